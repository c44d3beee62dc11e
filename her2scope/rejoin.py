"""Rejoin one event that a caller split into several records (split MNVs, complex delins).

Two records of the same sample are joined when they fall in one codon or touch each other,
and phase or allele fraction says they sit on one haplotype:
- phase: the same phase set (FORMAT PS with phased GT, or PID) and the same phased GT;
- allele fraction: both VAFs known and within ``VAF_ABS + VAF_REL * max`` of each other.
Without such evidence the records stay separate and each carries a note saying why.
The joined event keeps every original record (``joined_from``).
"""

from __future__ import annotations

from dataclasses import replace

from .genome.reference import ReferenceProvider
from .genome.transcript import erbb2
from .normalize import trim
from .variant import GenomicAllele, Observation

VAF_ABS = 0.05
VAF_REL = 0.10


def _codons(allele: GenomicAllele) -> set[int]:
    tx = erbb2()
    out = set()
    span = range(allele.start, allele.end) if allele.ref else range(allele.start - 1, allele.start + 1)
    for g in span:
        p = tx.to_tx(allele.build, g)
        if p is not None and not p.offset and tx.cds_start <= p.index < tx.cds_end:
            out.add((p.index - tx.cds_start) // 3)
    return out


def same_haplotype(a: Observation, b: Observation) -> tuple[bool | None, str]:
    """True/False when phase or VAF decides, None when nothing does; plus the reason."""
    sa, sb = a.source, b.source
    if sa.phase_set and sb.phase_set:
        if sa.phase_set != sb.phase_set:
            return False, "different phase sets"
        if sa.genotype and sb.genotype and "|" in sa.genotype and sa.genotype != sb.genotype:
            return False, f"phased on different haplotypes ({sa.genotype} vs {sb.genotype})"
        return True, f"same phase set {sa.phase_set}"
    if sa.vaf is not None and sb.vaf is not None:
        tolerance = VAF_ABS + VAF_REL * max(sa.vaf, sb.vaf)
        if abs(sa.vaf - sb.vaf) <= tolerance:
            return True, f"matching VAF ({sa.vaf:g} vs {sb.vaf:g})"
        return False, f"VAFs differ ({sa.vaf:g} vs {sb.vaf:g})"
    return None, "no phase or VAF to decide"


def rejoin(observations: list[Observation], ref: ReferenceProvider) -> tuple[list[Observation], dict]:
    """Observations with split events joined, and notes keyed by (input, record, sample)."""
    notes: dict[tuple, list[str]] = {}
    groups: dict[tuple, list[int]] = {}
    for i, obs in enumerate(observations):
        if obs.allele is not None and not obs.not_interpreted:
            groups.setdefault((obs.source.input, obs.source.sample, obs.build), []).append(i)
    replaced: dict[int, Observation] = {}
    dropped: set[int] = set()
    for members in groups.values():
        # Each allele trimmed once (the sort key and both sides of each pair need it).
        trimmed = {i: trim(_allele(observations[i]), prefix_first=True) for i in members}
        members.sort(key=lambda i: trimmed[i].start)
        current = members[0]
        merged, x = observations[current], trimmed[current]
        for nxt in members[1:]:
            b = observations[nxt]
            joined = _try_join(merged, b, ref, notes, x, trimmed[nxt])
            if joined is not None:
                merged, x = joined, trim(_allele(joined), prefix_first=True)
                dropped.add(nxt)
                replaced[current] = merged
            else:
                current, merged, x = nxt, b, trimmed[nxt]
    out = []
    for i, obs in enumerate(observations):
        if i in dropped:
            continue
        out.append(replaced.get(i, obs))
    return out, notes


def _key(obs: Observation) -> tuple:
    return (obs.source.input, obs.source.record, obs.source.sample)


def _allele(obs: Observation) -> GenomicAllele:
    """The allele of an observation grouped for joining (only those with one are)."""
    assert obs.allele is not None
    return obs.allele


def _try_join(a: Observation, b: Observation, ref: ReferenceProvider, notes: dict,
              x: GenomicAllele, y: GenomicAllele) -> Observation | None:
    """``x``, ``y``: the alleles of ``a`` and ``b`` trimmed with ``prefix_first``."""
    if y.start < x.end or (y.start == x.start and not x.ref):
        return None  # overlapping records are alternatives, not pieces of one event
    touching = y.start == x.end
    if not touching and not (_codons(x) & _codons(y)):
        return None
    verdict, why = same_haplotype(a, b)
    if verdict is not True:
        text = (f"record {b.source.record} lies in the same codon or next to record "
                f"{a.source.record}; not joined: {why}")
        notes.setdefault(_key(a), []).append(text)
        notes.setdefault(_key(b), []).append(text)
        return None
    seq = ref.sequence(x.build, x.start, max(x.end, y.end))
    if seq is None:
        notes.setdefault(_key(a), []).append(
            f"could not join with record {b.source.record}: reference bases unknown")
        return None
    alt = x.alt + seq[x.end - x.start:y.start - x.start] + y.alt + seq[y.end - x.start:]
    joined_allele = GenomicAllele(x.build, x.start, seq, alt)
    sources = (a.joined_from or (a.source,)) + (b.source,)
    text = f"joined records {', '.join(str(s.record) for s in sources)} into one event ({why})"
    source = replace(a.source, original="\n".join(s.original for s in sources))
    notes.setdefault((source.input, source.record, source.sample), []).append(text)
    return replace(a, source=source, allele=joined_allele, joined_from=sources)
