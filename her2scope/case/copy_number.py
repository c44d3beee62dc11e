"""ERBB2 copy number from NGS in the forms labs send it.

Thresholds for raw copy number are assay choices, not a clinical standard: her2scope's
defaults (>= 6 copies or fold change >= 2.0 amplified; 4-6 copies equivocal) are stated in
every call so a lab can see and override them (a stated ``lab_call`` always wins).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..genome.builds import Build
from ..genome.transcript import erbb2

CN_AMPLIFIED = 6.0
CN_EQUIVOCAL = 4.0
FOLD_AMPLIFIED = 2.0


@dataclass(frozen=True)
class CopyNumberCall:
    status: str                # positive | equivocal | negative | failed | not_assessed
    value: float | None
    evidence: str
    code: str | None = None    # why failed / not_assessed (an errors.py code, or "not_covered")


def _number(text: str, where: str) -> float:
    """A copy number, log2 ratio or fold change as written; inf, nan and words are errors, never a call."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: {text!r} is not a finite number")
    return value


def _classify_cn(cn: float, source: str) -> CopyNumberCall:
    if cn >= CN_AMPLIFIED:
        return CopyNumberCall("positive", cn, f"{source}: ERBB2 copy number {cn:g} (>= {CN_AMPLIFIED:g}: amplified; her2scope default threshold)")
    if cn >= CN_EQUIVOCAL:
        return CopyNumberCall("equivocal", cn, f"{source}: ERBB2 copy number {cn:g} ({CN_EQUIVOCAL:g}-{CN_AMPLIFIED:g}: gain, equivocal)")
    return CopyNumberCall("negative", cn, f"{source}: ERBB2 copy number {cn:g} (not amplified)")


def call_copy_number(spec, base: Path, options) -> CopyNumberCall:
    if spec.lab_call is not None:
        status = {"amplified": "positive", "not_amplified": "negative", "failed": "failed"}[spec.lab_call]
        return CopyNumberCall(status, None, f"laboratory call: {spec.lab_call.replace('_', ' ')}")
    if spec.cbioportal_discrete is not None:
        d = spec.cbioportal_discrete
        status = "positive" if d == 2 else ("equivocal" if d == 1 else "negative")
        return CopyNumberCall(status, float(d), f"cBioPortal discrete CNA {d} (2 = amplification, 1 = gain)")
    if spec.copy_number is not None:
        return _classify_cn(spec.copy_number, "NGS")
    if spec.fold_change is not None:
        fc = spec.fold_change
        status = "positive" if fc >= FOLD_AMPLIFIED else "negative"
        return CopyNumberCall(status, fc, f"NGS fold change {fc:g} ({'>=' if status == 'positive' else '<'} "
                                          f"{FOLD_AMPLIFIED:g}: {'amplified' if status == 'positive' else 'not amplified'}; her2scope default threshold)")
    path = base / (spec.segment_file or spec.vcf_file)
    if spec.segment_file:
        return _from_segments(path, options)
    return _from_vcf(path, options)


def _overlaps(build: Build, chrom: str, start: int, end: int) -> bool:
    lo, hi = erbb2().span(build)
    return chrom in ("17", "chr17") and start < hi and end > lo


def _from_segments(path: Path, options) -> CopyNumberCall:
    """Tab-separated: chrom, start, end (1-based), then copy_number or log2 (header names it)."""
    build = options.build
    if build is None:
        # Segment files carry no build; guessing one would place ERBB2 wrongly.
        raise InputError(f"{path}: a segment file does not state its genome build: give ngs[].build")
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read segment file: {exc}") from None
    if not lines:
        raise InputError(f"{path}: the segment file is empty")
    header = [h.strip().lower() for h in lines[0].split("\t")]
    value_col = next((i for i, h in enumerate(header) if h in ("copy_number", "cn", "total_cn")), None)
    log2_col = next((i for i, h in enumerate(header) if h in ("log2", "log2_ratio", "seg.mean")), None)
    if value_col is None and log2_col is None:
        raise InputError(f"{path} line 1: need a copy_number or log2 column")
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        f = line.split("\t")
        try:
            chrom, start, end = f[0].strip(), int(f[1]), int(f[2])
        except (IndexError, ValueError):
            raise InputError(f"{path} line {n}: expected chrom, start, end") from None
        if _overlaps(build, chrom, start - 1, end):
            col = value_col if value_col is not None else log2_col
            if col >= len(f):
                raise InputError(f"{path} line {n}: no value in column {col + 1}")
            value = _number(f[col], f"{path} line {n}")
            if value_col is not None and value < 0:
                raise InputError(f"{path} line {n}: a negative copy number ({f[col]})")
            cn = value if value_col is not None else 2 * 2 ** min(value, 64.0)
            return _classify_cn(round(cn, 2), f"segment {chrom}:{start}-{end} ({build.value})")
    # Segments cover what the assay measured: none over ERBB2 means it was not measured there.
    return CopyNumberCall("not_assessed", None, f"{path.name}: no segment over ERBB2 ({build.value}): "
                                                "copy number was not measured there", "not_covered")


def _from_vcf(path: Path, options) -> CopyNumberCall:
    """A CNV/DUP record over ERBB2 (FORMAT CN, INFO CN, or an <AMP>/<DUP> call), read with the
    engine's own VCF reader: same build detection, same errors, no second parser."""
    from ..readers.base import FileSummary, RecordError
    from ..readers.dispatch import read_input

    summary = FileSummary(input=str(path))
    for item in read_input(str(path), options.build, summary):
        if isinstance(item, RecordError) or not item.not_interpreted:
            continue
        f = item.source.original.split("\t")
        info = dict(kv.split("=", 1) if "=" in kv else (kv, "") for kv in f[7].split(";")) if len(f) > 7 else {}
        cn = info.get("CN")
        keys, values = (f[8].split(":"), f[9].split(":")) if len(f) > 9 else ([], [])
        if "CN" in keys and keys.index("CN") < len(values):
            cn = values[keys.index("CN")]
        where = f"{f[4]} {f[0]}:{f[1]}-{info.get('END', f[1])} ({summary.build})"
        if cn not in (None, "", "."):
            value = _number(cn, f"{path} record {item.source.record}: CN")
            if value < 0:
                raise InputError(f"{path} record {item.source.record}: a negative CN ({cn})")
            return _classify_cn(value, where)
        if f[4] in ("<DUP>", "<AMP>", "<DUP:TANDEM>"):
            return CopyNumberCall("equivocal", None, f"{where} over ERBB2 without a copy number (CN)")
    return CopyNumberCall("negative", None, f"{path.name}: no CNV record over ERBB2 ({summary.build})")
