"""One VCF data line -> one Observation per (ALT allele x sample carrying it)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from ..errors import BuildConflictError, MalformedRecordError
from ..genome.builds import Build, build_from_accession
from ..variant import CallerAnnotation, GenomicAllele, Observation, SourceRecord
from .vcf_header import VcfHeader

_BASES = re.compile(r"^[ACGTNacgtn]+$")
_ERBB2_TX = ("NM_004448", "ENST00000269571")


def _info(text: str) -> dict[str, str]:
    out = {}
    if text == ".":
        return out
    for item in text.split(";"):
        key, _, value = item.partition("=")
        out[key] = value
    return out


def _num(text: str | None, kind=float):
    if text in (None, "", "."):
        return None
    try:
        return kind(text)
    except ValueError:
        return None


def _caller_annotations(info: dict[str, str], header: VcfHeader, ref: str, alt: str,
                        n_alts: int) -> tuple[CallerAnnotation, ...]:
    out = []
    if "CSQ" in info and header.csq_fields:
        vep_allele = (alt[1:] or "-") if ref[:1] == alt[:1] and len(ref) != len(alt) else alt
        for entry in info["CSQ"].split(","):
            f = dict(zip(header.csq_fields, entry.split("|")))
            if f.get("SYMBOL") not in ("ERBB2", None) or not f.get("Feature", "").startswith(_ERBB2_TX):
                continue
            if n_alts > 1 and f.get("Allele") not in (alt, vep_allele):
                continue
            out.append(CallerAnnotation("VEP CSQ", f.get("HGVSc") or None,
                                        unquote(f.get("HGVSp") or "") or None,
                                        f.get("Consequence") or None))
            break
    if "ANN" in info and header.ann_fields:
        for entry in info["ANN"].split(","):
            f = dict(zip(header.ann_fields, (x.strip() for x in entry.split("|"))))
            feature = f.get("Feature_ID", "")
            if f.get("Allele") not in (alt, None) or not feature.startswith(_ERBB2_TX):
                continue
            out.append(CallerAnnotation("snpEff ANN", f.get("HGVS.c") or None,
                                        f.get("HGVS.p") or None, f.get("Annotation") or None))
            break
    return tuple(out)


def parse_record(line: str, *, header: VcfHeader, build: Build, input_name: str,
                 record: int) -> list[Observation]:
    where = f"{input_name} record {record}"
    text = line.rstrip("\r\n")
    cols = text.split("\t")
    n_expected = 8 + (1 + len(header.samples) if header.samples else 0)
    if len(cols) != n_expected:
        raise MalformedRecordError(
            f"{where}: {len(cols)} tab-separated columns, expected {n_expected}"
            + (" (spaces instead of tabs?)" if len(cols) < 8 and " " in text else ""))
    chrom, pos_s, _id, ref, alts_s, _qual, filt, info_s = cols[:8]
    by_name = build_from_accession(chrom)
    if by_name is not None and by_name is not build:
        raise BuildConflictError(f"{where}: contig {chrom} is {by_name.value}, but the file is "
                                 f"being read as {build.value}")
    if not pos_s.isdigit() or int(pos_s) < 1:
        raise MalformedRecordError(f"{where}: POS {pos_s!r} is not a positive integer")
    pos = int(pos_s)
    if not _BASES.match(ref):
        raise MalformedRecordError(f"{where}: REF {ref!r} is not a DNA sequence (A, C, G, T, N)")
    ref = ref.upper()
    alts = alts_s.split(",")
    info = _info(info_s)
    fmt = cols[8].split(":") if header.samples else []
    sample_values = [c.split(":") for c in cols[9:]]
    observations: list[Observation] = []
    for index, alt in enumerate(alts, 1):
        if alt in (".", "*"):
            continue  # no ALT, or an overlapping deletion described by another record
        symbolic = alt.startswith("<") or "[" in alt or "]" in alt
        if not symbolic and not _BASES.match(alt):
            raise MalformedRecordError(f"{where}: ALT {alt!r} is not a DNA sequence or symbolic allele")
        annotations = () if symbolic else _caller_annotations(info, header, ref, alt.upper(), len(alts))
        carriers = _carriers(header, fmt, sample_values, index, len(alts), info, where)
        for sample, genotype, depth, vaf, phase_set in carriers:
            source = SourceRecord(input_name, record, text, sample, genotype, depth, vaf,
                                  filt, phase_set, annotations)
            if symbolic:
                reason = (f"symbolic/structural allele {alt} (SVTYPE={info.get('SVTYPE', '?')}, "
                          f"END={info.get('END', '?')}) is passed through, not interpreted")
                observations.append(Observation(source, build, not_interpreted=reason,
                                                allele=GenomicAllele(build, pos - 1, ref, "")))
            else:
                observations.append(Observation(source, build,
                                                allele=GenomicAllele(build, pos - 1, ref, alt.upper())))
    return observations


def _carriers(header, fmt, sample_values, index, n_alts, info, where):
    """(sample, GT, depth, VAF, phase set) for each sample carrying ALT number ``index``."""
    if not header.samples:
        af = info.get("AF", "").split(",")
        vaf = _num(af[index - 1]) if len(af) == n_alts else None
        return [(None, None, _num(info.get("DP"), int), vaf, None)]
    out = []
    for sample, values in zip(header.samples, sample_values):
        field = dict(zip(fmt, values))
        gt = field.get("GT")
        alleles = re.split(r"[/|]", gt) if gt else []
        called = [a for a in alleles if a != "."]
        if any(not a.isdigit() or int(a) > n_alts for a in called):
            raise MalformedRecordError(f"{where}: sample {sample}: GT {gt!r} is not valid for "
                                       f"{n_alts} ALT allele(s)")
        ad = [_num(x, int) for x in field.get("AD", "").split(",")] if field.get("AD") else []
        af = field.get("AF", "").split(",") if field.get("AF") else []
        vaf = _num(af[index - 1]) if len(af) == n_alts else None
        if vaf is None and len(ad) == n_alts + 1 and all(x is not None for x in ad) and sum(ad):
            vaf = round(ad[index] / sum(ad), 4)
        depth = _num(field.get("DP"), int)
        if depth is None and ad and all(x is not None for x in ad):
            depth = sum(ad)
        if called:
            carries = str(index) in called
        elif len(ad) == n_alts + 1 and ad[index] is not None:
            carries = ad[index] > 0
        else:
            carries = vaf is None or vaf > 0
        if carries:
            phased = gt is not None and "|" in gt
            ps = field.get("PS") if field.get("PS") not in (None, ".") else None
            pid = field.get("PID") if field.get("PID") not in (None, ".") else None
            phase_set = pid or (f"PS:{ps}" if phased and ps else None)
            out.append((sample, gt, depth, vaf, phase_set))
    return out
