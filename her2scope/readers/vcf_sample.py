"""Which samples of a VCF record carry an ALT allele, with depth and allele fraction, read the
way each caller writes its FORMAT fields.

A sample carries ALT number ``i`` when
- it has a GT (Mutect2, VarDict, DRAGEN, Ion Torrent, freebayes, VarScan ...): GT names allele
  ``i``, and the sample's allele count for it (below), when written, is not zero.  GT ``0/0``
  and the no-call ``./.`` never carry it (a no-call at an ERBB2 record is kept apart,
  ``no_call_samples``: not carrying is not the same as not called); a zero count overrides a GT that names the allele
  (Mutect2 writes 0/1 for every sample as a placeholder, whatever its reads say).  Structural
  and copy-number calls (symbolic ALTs) are the exception for ``./.``: CNV callers write it
  for real calls, so there the counts or a FORMAT CN decide;
- it has no GT (Strelka2 somatic): its allele count is above zero.  Strelka2's normal column is
  judged by the caller's own genotype of the normal, INFO ``NT``: ``ref`` means the normal does
  not carry the allele, even with a few noise reads (the VCF's own example has 3 of 95);
- nothing says either way: it is reported, with a warning (never silently dropped).

Allele counts, first found: AD (Number=R; VarScan's single-value AD with RD), Ion Torrent flow
counts FAO/FDP, read counts AO/RO (Ion Torrent, freebayes), Strelka2 tier-1 counts (indels
TIR vs TAR, SNVs {ALT}U vs {REF}U), VarDict VD/DP, Platypus NV/NR, Manta PR + SR (structural).
The allele fraction (``vaf``) comes from the caller's counts: alt / total of the counts above,
rounded to 4 places (Strelka2's documented formula: tier1 alt / (tier1 alt + tier1 ref)); the
caller's own fraction (AF, VAF, VF for Illumina Pisces, FREQ in percent for VarScan) only when
the sample has no counts.

A field holding a value that is not a plausible number (inf, nan, 1e400, negative, 1.5 reads,
a fraction above 1) makes the record an error naming sample and field: the sample's call can
then not be trusted either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from ..errors import MalformedRecordError
from .fields import count, counts, fraction

_T = TypeVar("_T")

NT_CARRIES = {"het": True, "hom": True, "ref": False}   # Strelka2 INFO NT; "conflict": counts decide


@dataclass(frozen=True, slots=True)
class SampleCall:
    """One sample carrying one ALT allele."""

    sample: str | None
    genotype: str | None
    depth: int | None
    vaf: float | None
    phase_set: str | None


@dataclass(frozen=True, slots=True)
class Support:
    """Reads for the ALT allele and the total the fraction is taken over."""

    alt: int
    total: int
    fields: str


@dataclass(frozen=True, slots=True)
class Allele:
    """The allele being attributed and its record."""

    ref: str
    alt: str
    index: int          # 1-based ALT number
    n_alts: int
    info: dict[str, str]
    where: str

    @property
    def structural(self) -> bool:
        """A symbolic or breakend ALT (<DUP>, <CNV>, N[chr17:...[): an SV or copy-number call."""
        return self.alt.startswith("<") or "[" in self.alt or "]" in self.alt


class SampleFields:
    """One sample's FORMAT values (or a record's INFO) in one record, each field parsed once
    however many ALTs the record has: parsing per ALT would make a record with thousands of
    ALTs cost millions of steps."""

    __slots__ = ("name", "raw", "where", "prefix", "_cache")

    def __init__(self, name: str | None, raw: dict[str, str], where: str, prefix: str = "") -> None:
        self.name, self.raw, self.where, self.prefix = name, raw, where, prefix
        self._cache: dict[tuple[str, ...], object] = {}

    def _once(self, key: tuple[str, ...], make: Callable[[], _T]) -> _T:
        if key not in self._cache:
            self._cache[key] = make()
        return cast(_T, self._cache[key])

    def has(self, key: str) -> bool:
        return self.raw.get(key) not in (None, "", ".")

    def count(self, key: str) -> int | None:
        return self._once(("count", key), lambda: count(self.raw.get(key), self.prefix + key, self.where))

    def counts(self, key: str) -> list[int | None] | None:
        return self._once(("counts", key), lambda: counts(self.raw.get(key), self.prefix + key, self.where))

    def total(self, key: str) -> int:
        """Sum of a complete count list (check ``complete`` first)."""
        return self._once(("total", key), lambda: sum(self.full(key)))

    def complete(self, key: str) -> bool:
        """The field is present and none of its entries is missing."""
        def make() -> bool:
            values = self.counts(key)
            return values is not None and None not in values
        return self._once(("complete", key), make)

    def full(self, key: str) -> list[int]:
        """The counts of a field ``complete`` said is full (no entry missing)."""
        return cast("list[int]", self.counts(key))

    def fractions(self, key: str) -> list[float | None]:
        return self._once(("fractions", key), lambda: [
            fraction(v, self.prefix + key, self.where) for v in self.raw[key].split(",")])

    def called(self, n_alts: int) -> list[str]:
        """The called allele numbers of GT (no-call '.' left out)."""
        return self._once(("called",), lambda: _called_alleles(self.raw["GT"], n_alts, self.where))

    def empty(self) -> bool:
        return all(v in ("", ".") for v in self.raw.values())


def sample_calls(samples: list[SampleFields], allele: Allele, warnings: list[str]) -> list[SampleCall]:
    """The samples that carry ``allele``, in column order."""
    support = [_support(s, allele) for s in samples]
    freq = [_frequency(s, allele) for s in samples]
    carries = [_carries(s, sup, q, allele) for s, sup, q in zip(samples, support, freq)]
    normal = _strelka_normal(samples, allele.info)
    if normal is not None:
        carries[normal] = _strelka_normal_carries(normal, carries, support, allele.info)
    out = []
    for i, s in enumerate(samples):
        if carries[i] is False:
            continue
        if carries[i] is None:
            warnings.append(f"{s.where}: neither a genotype (GT) nor allele counts say whether "
                            "it carries ALT " + allele.alt + ": reported as carrying it")
        out.append(SampleCall(s.name, s.raw.get("GT"), _depth(s, support[i]),
                              _vaf(support[i], freq[i]),
                              _phase_set(s.raw)))
    return out


def no_call_samples(samples: list[SampleFields], allele: Allele) -> list[str]:
    """The samples with no genotype call for a sequence ALT: GT all missing (``./.``, ``.``) or an
    all-missing column. Not carrying it is not the same as not called: a hotspot caller writes
    ``./.`` where coverage was too low to tell (Torrent Variant Caller's NOCALL). Symbolic ALTs
    are left out: CNV callers write ``./.`` for real calls."""
    if allele.structural:
        return []
    out = []
    for s in samples:
        gt = s.raw.get("GT")
        if s.empty() or (gt is not None and all(a == "." for a in re.split(r"[/|]", gt))):
            out.append(s.name or "")
    return out


def site_fields(info: dict[str, str], where: str) -> SampleFields:
    return SampleFields(None, info, where, prefix="INFO ")


def site_call(site: SampleFields, allele: Allele) -> SampleCall:
    """A sites-only record (no samples): sample None, depth and fraction from INFO."""
    vaf = None
    if site.has("AF"):
        values = site.fractions("AF")
        vaf = values[allele.index - 1] if len(values) == allele.n_alts else None
    return SampleCall(None, None, site.count("DP"), vaf, None)


def _carries(s: SampleFields, support: Support | None, freq: float | None,
             allele: Allele) -> bool | None:
    if s.empty():
        return False   # an empty sample column: no data, no call
    if "GT" in s.raw:
        called = s.called(allele.n_alts)
        # Copy-number and SV callers often write no genotype (./.) for a real call (CN=12):
        # there GT says nothing and the other fields decide.
        if called or not allele.structural:
            if str(allele.index) not in called:
                return False   # 0/0, another ALT, or the no-call ./.
            return support is None or support.alt > 0
    if support is not None:
        return support.alt > 0
    if freq is not None:
        return freq > 0
    if allele.structural and s.has("CN"):
        return True    # a copy-number call for this sample
    return None


def _called_alleles(gt: str, n_alts: int, where: str) -> list[str]:
    called = [a for a in re.split(r"[/|]", gt) if a != "."]
    if any(not (a.isascii() and a.isdigit()) or len(a) > 6 or int(a) > n_alts for a in called):
        raise MalformedRecordError(f"{where}: GT {gt[:40]!r} is not valid for {n_alts} ALT allele(s)")
    return called


def _strelka_normal(samples: list[SampleFields], info: dict[str, str]) -> int | None:
    """The normal column of a Strelka2 somatic record (INFO NT and SGT, no GT), or None.
    Strelka2 writes NORMAL then TUMOR; a renamed pair keeps that order."""
    if len(samples) != 2 or "NT" not in info or "SGT" not in info or any("GT" in s.raw for s in samples):
        return None
    named = [i for i, s in enumerate(samples) if (s.name or "").upper() == "NORMAL"]
    return named[0] if named else 0


def _strelka_normal_carries(normal: int, carries: list[bool | None], support: list[Support | None],
                            info: dict[str, str]) -> bool | None:
    said = NT_CARRIES.get(info["NT"])
    if said is None:
        return carries[normal]
    tumour = 1 - normal
    if not said:
        in_normal, in_tumour = _ratio(support[normal]), _ratio(support[tumour])
        if in_normal is not None and in_tumour is not None and in_normal > in_tumour:
            # The "normal" holds more of the allele than the tumour: the columns are probably
            # not in Strelka2's order, so do not trust NT for this column; counts decide.
            return carries[normal]
    return said


def _support(s: SampleFields, allele: Allele) -> Support | None:
    i, n = allele.index, allele.n_alts
    if s.complete("AD"):
        ad = s.full("AD")
        if len(ad) == n + 1:
            return Support(ad[i], s.total("AD"), "AD")
        rd = s.count("RD") if n == 1 and len(ad) == 1 else None
        if rd is not None:
            # VarScan: AD and RD are single counts of the alt and the ref reads
            return Support(ad[0], ad[0] + rd, "AD/RD")
    for alt_key, total_key in (("FAO", "FDP"), ("AO", "RO"), ("NV", "NR")):
        if not (s.complete(alt_key) and s.complete(total_key)) or len(s.full(alt_key)) != n:
            continue
        alts, other = s.full(alt_key), s.full(total_key)
        if alt_key == "AO":       # RO counts the reference only
            total = other[0] + s.total(alt_key) if len(other) == 1 else None
        else:                     # FDP, NR: the depth itself (NR is Number=A in Platypus)
            total = other[0] if len(other) == 1 else (other[i - 1] if len(other) == n else None)
        if total is not None:
            return _checked(Support(alts[i - 1], total, f"{alt_key}/{total_key}"), s.where)
    return _strelka(s, allele) or _vardict(s, allele) or _manta(s, allele)


def _strelka(s: SampleFields, allele: Allele) -> Support | None:
    """Strelka2 somatic tier-1 counts (the first of each "tier1,tier2" pair)."""
    if allele.n_alts != 1:
        return None
    if "TIR" in s.raw and "TAR" in s.raw:
        keys = ("TIR", "TAR")
    elif len(allele.ref) == len(allele.alt) == 1 and f"{allele.alt}U" in s.raw and f"{allele.ref}U" in s.raw:
        keys = (f"{allele.alt}U", f"{allele.ref}U")
    else:
        return None
    alt, ref = (s.counts(k) for k in keys)
    if not alt or not ref or alt[0] is None or ref[0] is None:
        return None
    return Support(alt[0], alt[0] + ref[0], f"{keys[0]}/{keys[1]} tier 1")


def _vardict(s: SampleFields, allele: Allele) -> Support | None:
    vd, dp = s.count("VD"), s.count("DP")
    if allele.n_alts != 1 or vd is None or dp is None:
        return None
    return _checked(Support(vd, dp, "VD/DP"), s.where)


def _manta(s: SampleFields, allele: Allele) -> Support | None:
    """Manta structural variants (no GT in somatic output): PR and SR are "ref,alt" counts of
    spanning pairs and split reads."""
    if allele.n_alts != 1 or not s.complete("PR") or len(s.full("PR")) != 2:
        return None
    pr = s.full("PR")
    sr = s.full("SR") if s.complete("SR") and len(s.full("SR")) == 2 else [0, 0]
    return Support(pr[1] + sr[1], pr[0] + pr[1] + sr[0] + sr[1], "PR/SR")


def _checked(support: Support, where: str) -> Support:
    if support.alt > support.total:
        raise MalformedRecordError(f"{where}: {support.fields}: {support.alt} reads for the allele "
                                   f"out of a total of {support.total}")
    return support


def _frequency(s: SampleFields, allele: Allele) -> float | None:
    """The caller's own allele fraction for this ALT, or None."""
    i, n = allele.index, allele.n_alts
    for key in ("AF", "VAF"):
        if s.has(key):
            values = s.fractions(key)
            if len(values) == n:          # Number=A
                return values[i - 1]
            if len(values) == n + 1:      # Number=R (the reference first)
                return values[i]
    if n == 1 and s.has("VF"):
        return fraction(s.raw["VF"], "VF", s.where)
    if n == 1 and s.has("FREQ"):
        return fraction(s.raw["FREQ"], "FREQ", s.where, percent=True)
    return None


def _vaf(support: Support | None, freq: float | None) -> float | None:
    """Observed fraction from the caller's read counts (as vcf2maf and the GDC compute it); the
    caller's own AF/VAF/FREQ only when it wrote no counts (Mutect2's AF is a model estimate)."""
    ratio = _ratio(support)
    return ratio if ratio is not None else freq


def _ratio(support: Support | None) -> float | None:
    if support is None or support.total == 0:
        return None
    return round(support.alt / support.total, 4)


def _depth(s: SampleFields, support: Support | None) -> int | None:
    depth = s.count("DP")
    if depth is None and support is not None and support.fields == "AD":
        depth = support.total
    return depth


def _phase_set(field: dict[str, str]) -> str | None:
    gt = field.get("GT")
    ps = field.get("PS") if field.get("PS") not in (None, ".") else None
    pid = field.get("PID") if field.get("PID") not in (None, ".") else None
    phased = gt is not None and "|" in gt
    return pid or (f"PS:{ps}" if phased and ps else None)
