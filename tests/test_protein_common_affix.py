"""hgvs.protein.common_prefix / common_suffix (the binary searches that replaced residue-by-residue
walks) agree with the plain walk on every pair of strings."""

from hypothesis import given
from hypothesis import strategies as st

from her2scope.hgvs.protein import common_prefix, common_suffix

seqs = st.text(alphabet="ACDM*", max_size=40)


def _walk_prefix(a: str, b: str) -> int:
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    return p


def _walk_suffix(a: str, b: str, limit: int) -> int:
    s = 0
    while s < limit and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    return s


@given(seqs, seqs, seqs)
def test_prefix_matches_the_walk(shared, a, b):
    assert common_prefix(shared + a, shared + b) == _walk_prefix(shared + a, shared + b)


@given(seqs, seqs, seqs, st.integers(0, 50))
def test_suffix_matches_the_walk(shared, a, b, cut):
    x, y = a + shared, b + shared
    limit = min(cut, len(x), len(y))
    assert common_suffix(x, y, limit) == _walk_suffix(x, y, limit)


def test_protein_sized_examples():
    protein = "M" + "ACD" * 418 + "*"
    assert common_prefix(protein, protein[:700] + "W" + protein[701:]) == 700
    assert common_suffix(protein, protein[:700] + "WW" + protein[701:], len(protein) - 700) == len(protein) - 701
    assert common_prefix(protein, protein) == len(protein)
