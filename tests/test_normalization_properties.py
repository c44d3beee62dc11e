"""Property tests: normalization is stable and naming round-trips.

Alleles are drawn inside exons 19-21 and 8 (bundled sequence known on both builds) so no
intronic base is ever needed.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from her2scope.genome.builds import Build
from her2scope.genome.transcript import erbb2
from her2scope.normalize import normalize, shift, trim
from her2scope.variant import GenomicAllele

from helpers_engine import REF, expression, vcf

TX = erbb2()
EXONS = [e for e in TX.exons[Build.GRCh38] if e.number in (8, 19, 20, 21)]
BASES = st.sampled_from("ACGT")


@st.composite
def exonic_indels(draw):
    build = draw(st.sampled_from(list(Build)))
    exon = draw(st.sampled_from([e.number for e in EXONS]))
    ex = next(e for e in TX.exons[build] if e.number == exon)
    # Keep 30 bases from each exon edge so shifting stays inside known sequence.
    start = draw(st.integers(ex.g_start + 30, ex.g_end - 45))
    if draw(st.booleans()):
        length = draw(st.integers(1, 12))
        return GenomicAllele(build, start, REF.sequence(build, start, start + length), "")
    inserted = draw(st.text(BASES, min_size=1, max_size=12))
    return GenomicAllele(build, start, "", inserted)


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(exonic_indels())
def test_left_align_then_right_shift_is_stable(allele):
    left = shift(trim(allele), REF, right=False)
    right = shift(trim(allele), REF, right=True)
    assert shift(left, REF, right=True) == right
    assert shift(right, REF, right=False) == left
    assert normalize(left, REF) == normalize(right, REF) == normalize(allele, REF)


def _apply(allele: GenomicAllele, lo: int, hi: int) -> str:
    seq = REF.sequence(allele.build, lo, hi)
    return seq[:allele.start - lo] + allele.alt + seq[allele.end - lo:]


@PROPS
@given(exonic_indels())
def test_every_placement_of_an_indel_gives_the_same_sequence_and_name(allele):
    # Each shifted placement must describe the same resulting sequence, and all get one name.
    left = shift(trim(allele), REF, right=False)
    right = shift(trim(allele), REF, right=True)
    lo, hi = left.start - 5, right.end + len(allele.alt) + 5
    names = set()
    for k in range(0, right.start - left.start + 1):
        placed = left
        for _ in range(k):
            placed = _step_right(placed)
        assert _apply(placed, lo, hi) == _apply(allele, lo, hi)
        n = normalize(placed, REF)
        names.add((n.vcf_pos, n.vcf_ref, n.vcf_alt))
    assert len(names) == 1
    assert placed == right   # stepping base by base from the 5' end reaches the 3' form


def _step_right(a: GenomicAllele) -> GenomicAllele:
    seq = a.ref or a.alt
    nxt = REF.sequence(a.build, a.start + len(a.ref), a.start + len(a.ref) + 1)
    rotated = seq[1:] + nxt
    if a.ref:
        return GenomicAllele(a.build, a.start + 1, rotated, "")
    return GenomicAllele(a.build, a.start + 1, "", rotated)


@PROPS
@given(exonic_indels())
def test_vcf_to_hgvs_to_vcf_round_trip(allele):
    n = normalize(allele, REF)
    first = vcf(allele.build, n.vcf_pos, n.vcf_ref, n.vcf_alt)
    again = expression(first.hgvs_c, build=allele.build)
    assert (again["pos"], again["ref"], again["alt"]) == (n.vcf_pos, n.vcf_ref, n.vcf_alt)
    assert again["hgvs_c"] == first.hgvs_c
    assert again["hgvs_g"] == first.hgvs_g
    # ...and through g. as well
    via_g = expression(first.hgvs_g)
    assert (via_g["pos"], via_g["ref"], via_g["alt"]) == (n.vcf_pos, n.vcf_ref, n.vcf_alt)
