"""ERBB2 copy number from NGS in the forms labs send it.

Thresholds for raw copy number are assay choices, not a clinical standard: her2scope's
defaults (>= 6 copies or fold change >= 2.0 amplified; 4-6 copies equivocal) are stated in
every call so a lab can see and override them (a stated ``lab_call`` always wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..genome.builds import Build
from ..genome.transcript import overlaps_erbb2
from ..readers.base import FileSummary, RecordError
from ..readers.copy_number import finite_number, read_cnv_records, read_segments, unplaced_cnv_records
from ..vocabulary import Status

CN_AMPLIFIED = 6.0
CN_EQUIVOCAL = 4.0
FOLD_AMPLIFIED = 2.0


@dataclass(frozen=True)
class CopyNumberCall:
    status: Status             # positive | equivocal | negative | failed | not_assessed
    value: float | None
    evidence: str
    code: str | None = None    # why failed / not_assessed (an errors.py code, or "not_covered")


def _classify_cn(cn: float, source: str) -> CopyNumberCall:
    if cn >= CN_AMPLIFIED:
        return CopyNumberCall(Status.positive, cn, f"{source}: ERBB2 copy number {cn:g} (>= {CN_AMPLIFIED:g}: amplified; her2scope default threshold)")
    if cn >= CN_EQUIVOCAL:
        return CopyNumberCall(Status.equivocal, cn, f"{source}: ERBB2 copy number {cn:g} ({CN_EQUIVOCAL:g}-{CN_AMPLIFIED:g}: gain, equivocal)")
    return CopyNumberCall(Status.negative, cn, f"{source}: ERBB2 copy number {cn:g} (not amplified)")


def call_copy_number(spec, base: Path, options) -> CopyNumberCall:
    if spec.lab_call is not None:
        status = {"amplified": Status.positive, "not_amplified": Status.negative, "failed": Status.failed}[spec.lab_call]
        return CopyNumberCall(status, None, f"laboratory call: {spec.lab_call.replace('_', ' ')}")
    if spec.cbioportal_discrete is not None:
        d = spec.cbioportal_discrete
        status = Status.positive if d == 2 else (Status.equivocal if d == 1 else Status.negative)
        return CopyNumberCall(status, float(d), f"cBioPortal discrete CNA {d} (2 = amplification, 1 = gain)")
    if spec.copy_number is not None:
        return _classify_cn(spec.copy_number, "NGS")
    if spec.fold_change is not None:
        fc = spec.fold_change
        status = Status.positive if fc >= FOLD_AMPLIFIED else Status.negative
        return CopyNumberCall(status, fc, f"NGS fold change {fc:g} ({'>=' if status is Status.positive else '<'} "
                                          f"{FOLD_AMPLIFIED:g}: {'amplified' if status is Status.positive else 'not amplified'}; her2scope default threshold)")
    path = base / (spec.segment_file or spec.vcf_file)
    if spec.segment_file:
        return _from_segments(path, options)
    return _from_vcf(path, options)


def _from_segments(path: Path, options) -> CopyNumberCall:
    """The first segment over ERBB2 (``readers.copy_number.read_segments``: chrom, start, end,
    then copy_number or log2)."""
    build = options.build
    if build is None:
        # Segment files carry no build; guessing one would place ERBB2 wrongly.
        raise InputError(f"{path}: a segment file does not state its genome build: give ngs[].build")
    for seg in read_segments(path):
        if seg.chrom in ("17", "chr17") and overlaps_erbb2(build, seg.start - 1, seg.end):
            value = seg.number()
            if not seg.log2 and value < 0:
                raise InputError(f"{path} line {seg.line}: a negative copy number ({seg.text})")
            cn = 2 * 2 ** min(value, 64.0) if seg.log2 else value
            return _classify_cn(round(cn, 2), f"segment {seg.chrom}:{seg.start}-{seg.end} ({build.value})")
    # Segments cover what the assay measured: none over ERBB2 means it was not measured there.
    return CopyNumberCall(Status.not_assessed, None, f"{path.name}: no segment over ERBB2 ({build.value}): "
                                                "copy number was not measured there", "not_covered")


def _from_vcf(path: Path, options) -> CopyNumberCall:
    """A CNV/DUP record over ERBB2 (FORMAT CN, INFO CN, or an <AMP>/<DUP> call), read with the
    engine's own VCF reader (``readers.copy_number.read_cnv_records``). No record over ERBB2 is
    a negative only when the file was read to its end and no chr17 CNV record of unknown span
    could cover ERBB2."""
    summary = FileSummary(input=str(path))
    call: CopyNumberCall | None = None
    errors: list[RecordError] = []
    for rec in read_cnv_records(str(path), options.build, summary):
        if isinstance(rec, RecordError):
            errors.append(rec)
        elif call is None:
            call = _call_from_record(rec, path, summary)
    if call is not None and (call.status is Status.positive or not errors):
        return call
    if errors:
        first = errors[0]
        return CopyNumberCall(Status.failed, None, f"{path.name}: copy-number file not read in full "
                                              f"({first.message.replace(str(path), path.name)})", first.error)
    unplaced = unplaced_cnv_records(str(path), Build(summary.build)) if summary.build else []
    if unplaced:
        return CopyNumberCall(Status.failed, None, f"{path.name} record {unplaced[0]}: a symbolic chr17 CNV record "
                                              "before ERBB2 states neither END nor SVLEN, so whether it covers "
                                              "ERBB2 cannot be told", "malformed_record")
    return CopyNumberCall(Status.negative, None, f"{path.name}: no CNV record over ERBB2 ({summary.build})")


def _call_from_record(rec, path: Path, summary: FileSummary) -> CopyNumberCall | None:
    where = f"{rec.alt} {rec.chrom}:{rec.pos}-{rec.end} ({summary.build})"
    if rec.cn not in (None, "", "."):
        value = finite_number(rec.cn, f"{path} record {rec.record}: CN")
        if value < 0:
            raise InputError(f"{path} record {rec.record}: a negative CN ({rec.cn})")
        return _classify_cn(value, where)
    if rec.alt in ("<DUP>", "<AMP>", "<DUP:TANDEM>"):
        return CopyNumberCall(Status.equivocal, None, f"{where} over ERBB2 without a copy number (CN)")
    return None     # another passed-through record (<DEL>, a breakend ...): not a copy-number gain
