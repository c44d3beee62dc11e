"""One VCF data line -> one Observation per (ALT allele x sample carrying it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from ..errors import BuildConflictError, MalformedRecordError
from ..genome.builds import Build, build_from_accession
from ..variant import CallerAnnotation, GenomicAllele, Observation, SourceRecord
from .fields import count, has_long_number, plain_int, real
from .vcf_header import VcfHeader
from .vcf_info import csq_entries, parse_info
from .vcf_sample import Allele, SampleFields, no_call_samples, sample_calls, site_call, site_fields

_BASES = re.compile(r"^[ACGTNacgtn]+$")
_ERBB2_TX = ("NM_004448", "ENST00000269571")


_Entry = tuple[int, CallerAnnotation]   # (position among the record's entries, the names)


@dataclass(frozen=True, slots=True)
class _CallerNames:
    """The record's ERBB2 entries of VEP CSQ and snpEff ANN, read once per record (a record
    can have many ALTs): per source, the first entry overall and the first per allele, each
    with its position so the earliest matching entry wins, as in the file's order."""

    csq_first: tuple[int, CallerAnnotation] | None
    csq_by_allele: dict[str | None, tuple[int, CallerAnnotation]]   # None: an entry without Allele
    ann_any: tuple[int, CallerAnnotation] | None          # the first entry without an Allele
    ann_by_allele: dict[str, tuple[int, CallerAnnotation]]

    def for_allele(self, ref: str, alt: str, n_alts: int) -> tuple[CallerAnnotation, ...]:
        out = []
        if n_alts == 1:
            csq = self.csq_first
        else:
            vep_allele = (alt[1:] or "-") if ref[:1] == alt[:1] and len(ref) != len(alt) else alt
            csq = _earliest(self.csq_by_allele.get(alt), self.csq_by_allele.get(vep_allele))
        ann = _earliest(self.ann_by_allele.get(alt), self.ann_any)
        out += [c[1] for c in (csq, ann) if c is not None]
        return tuple(out)


def _earliest(*entries: _Entry | None) -> _Entry | None:
    found = [e for e in entries if e is not None]
    return min(found, key=lambda e: e[0]) if found else None


_NO_NAMES = _CallerNames(None, {}, None, {})


def _caller_names(info: dict[str, str], header: VcfHeader) -> _CallerNames:
    if "CSQ" not in info and "ANN" not in info:
        return _NO_NAMES             # most records: nothing to read (the value is never changed)
    csq_first: _Entry | None = None
    csq_by_allele: dict[str | None, _Entry] = {}
    for n, f in enumerate(csq_entries(info, header.csq_fields)):
        if f.get("SYMBOL") not in ("ERBB2", None) or not f.get("Feature", "").startswith(_ERBB2_TX):
            continue
        if has_long_number(f.get("HGVSc")) or has_long_number(f.get("HGVSp")):
            continue   # not HGVS any parser can read: a damaged entry, not a caller's name
        found = (n, CallerAnnotation("VEP CSQ", f.get("HGVSc") or None,
                                     unquote(f.get("HGVSp") or "") or None,
                                     f.get("Consequence") or None))
        csq_first = csq_first or found
        csq_by_allele.setdefault(f.get("Allele"), found)
    ann_any: _Entry | None = None
    ann_by_allele: dict[str, _Entry] = {}
    if "ANN" in info and header.ann_fields:
        for n, entry in enumerate(info["ANN"].split(",")):
            f = dict(zip(header.ann_fields, (x.strip() for x in entry.split("|"))))
            if not f.get("Feature_ID", "").startswith(_ERBB2_TX):
                continue
            if has_long_number(f.get("HGVS.c")) or has_long_number(f.get("HGVS.p")):
                continue
            found = (n, CallerAnnotation("snpEff ANN", f.get("HGVS.c") or None,
                                         f.get("HGVS.p") or None, f.get("Annotation") or None))
            if f.get("Allele") is None:
                ann_any = ann_any or found
            else:
                ann_by_allele.setdefault(f["Allele"], found)
    return _CallerNames(csq_first, csq_by_allele, ann_any, ann_by_allele)


def parse_record(line: str, *, header: VcfHeader, build: Build, input_name: str,
                 record: int, warnings: list[str] | None = None,
                 no_calls: list[tuple[str, str]] | None = None) -> list[Observation]:
    """Observations for the samples carrying each ALT (see vcf_sample for the rule).
    ``warnings`` receives notes about fields that are doubtful but not needed (e.g. QUAL);
    ``no_calls`` the (sample, ALT) pairs without a genotype call."""
    warnings = [] if warnings is None else warnings
    where = f"{input_name} record {record}"
    text = line.rstrip("\r\n")
    cols = text.split("\t")
    n_expected = 8 + (1 + len(header.samples) if header.samples else 0)
    if len(cols) != n_expected:
        raise MalformedRecordError(
            f"{where}: {len(cols)} tab-separated columns, expected {n_expected}"
            + (" (spaces instead of tabs?)" if len(cols) < 8 and " " in text else ""))
    chrom, pos_s, _id, ref, alts_s, qual, filt, info_s = cols[:8]
    by_name = build_from_accession(chrom)
    if by_name is not None and by_name is not build:
        raise BuildConflictError(f"{where}: contig {chrom} is {by_name.value}, but the file is "
                                 f"being read as {build.value}")
    pos = plain_int(pos_s)
    if pos is None or pos < 1:
        raise MalformedRecordError(f"{where}: POS {pos_s[:40]!r} is not a positive integer")
    if not _BASES.match(ref):
        raise MalformedRecordError(f"{where}: REF {ref[:40]!r} is not a DNA sequence (A, C, G, T, N)")
    _check_qual(qual, where, warnings)
    ref = ref.upper()
    alts = alts_s.split(",")
    info = parse_info(info_s)
    end = count(info.get("END"), "INFO END", where)
    if end is not None and end < pos:
        raise MalformedRecordError(f"{where}: INFO END {end} lies before POS {pos}")
    names = _caller_names(info, header)
    site = site_fields(info, where)
    fmt = cols[8].split(":") if header.samples else []
    samples = [SampleFields(name, dict(zip(fmt, c.split(":"))), f"{where}: sample {name}")
               for name, c in zip(header.samples, cols[9:])]
    observations: list[Observation] = []
    for index, alt in enumerate(alts, 1):
        if alt in (".", "*"):
            continue  # no ALT, or an overlapping deletion described by another record
        allele = Allele(ref, alt.upper(), index, len(alts), info, where)
        if not allele.structural and not _BASES.match(alt):
            raise MalformedRecordError(f"{where}: ALT {alt[:40]!r} is not a DNA sequence or symbolic allele")
        annotations = () if allele.structural or names is _NO_NAMES else names.for_allele(ref, allele.alt, len(alts))
        calls = sample_calls(samples, allele, warnings) if header.samples else [site_call(site, allele)]
        if no_calls is not None:
            no_calls.extend((name, allele.alt) for name in no_call_samples(samples, allele))
        sources = [SourceRecord(input_name, record, text, call.sample, call.genotype, call.depth,
                                call.vaf, filt, call.phase_set, annotations) for call in calls]
        observations += _observations(sources, allele, alt, build, pos)
    return observations


def _observations(sources: list[SourceRecord], allele: Allele, alt: str, build: Build,
                  pos: int) -> list[Observation]:
    """One observation per sample carrying ``allele`` (``alt`` as written); a symbolic allele is
    passed through."""
    if allele.structural:
        info = allele.info
        reason = (f"symbolic/structural allele {alt} (SVTYPE={info.get('SVTYPE', '?')}, "
                  f"END={info.get('END', '?')}) is passed through, not interpreted")
        return [Observation(source, build, not_interpreted=reason,
                            allele=GenomicAllele(build, pos - 1, allele.ref, "")) for source in sources]
    return [Observation(source, build, allele=GenomicAllele(build, pos - 1, allele.ref, allele.alt))
            for source in sources]


def _check_qual(qual: str, where: str, warnings: list[str]) -> None:
    """QUAL is not used; a value that is not a finite number is worth a warning, not a failure."""
    if qual == "." or (len(qual) <= 300 and qual.isascii() and qual.isdigit()):
        return     # missing, or a plain whole number (most records): nothing to say
    try:
        real(qual, "QUAL", where, minimum=0)
    except MalformedRecordError as exc:
        warnings.append(f"{exc.message}; ignored (QUAL is not used)")
