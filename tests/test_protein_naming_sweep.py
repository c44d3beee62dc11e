"""Protein names and consequences of many coding indels, against an independent translation.

Every in-frame deletion of 3..18 nt and every in-frame delins shape (1..9 nt replaced by 1..9
nt) at every position of exons 19-21, plus seeded random in-frame and frameshift indels
anywhere in the CDS, on both builds.  The expected names come from ``translation_namer``,
which translates the reference and the edited CDS itself and applies the HGVS p. rules; it
shares no code with her2scope.  (Issue 8 items 4 and 10: in-frame delins once came out as
truncations, and indels whose 3' shift reached an exon edge needed --reference.)
"""

from __future__ import annotations

import random

import pytest

from her2scope.genome.builds import Build
from her2scope.pipeline import Options, annotate_inputs

import translation_namer as tn

EXON_19_TO_21 = [ex for ex in tn.EXONS if ex[0] in (2209, 2308, 2494)]
ALLOWED_EXTRA = {"splice_region_variant"}


def _same_exon(first: int, last: int) -> bool:
    return any(a <= first and last <= b for a, b in tn.EXONS)


def _random_bases(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ACGT") for _ in range(n))


def _exon_19_21_cases() -> list[tuple[int, int, str]]:
    rng = random.Random(19_21)
    cases = []
    assert [a for a, _ in EXON_19_TO_21] == [2209, 2308, 2494]   # c. exon starts (SOURCES)
    for a, b in EXON_19_TO_21:
        for start in range(a, b + 1):
            for length in range(3, 19, 3):                       # every in-frame deletion
                if start + length - 1 <= b:
                    cases.append((start, start + length - 1, ""))
            for d in range(1, 10):                                # every delins shape
                for i in range(1, 10):
                    if (d - i) % 3 or d == i == 1 or start + d - 1 > b:
                        continue
                    cases.append((start, start + d - 1, _random_bases(rng, i)))
    return cases


def _random_cds_cases(n: int = 400) -> list[tuple[int, int, str]]:
    rng = random.Random(8_10)
    cases: list[tuple[int, int, str]] = []
    cds_end = len(tn.REF_PROTEIN) * 3
    while len(cases) < n:
        start = rng.randint(4, cds_end - 6)
        kind = rng.choice(("del", "ins", "dup", "delins"))
        length = rng.randint(1, 20)
        if kind == "del":
            case = (start, start + length - 1, "")
        elif kind == "ins":
            case = (start + 1, start, _random_bases(rng, length))
        elif kind == "dup":
            case = (start + length, start + length - 1, tn.CODING[start - 1:start + length - 1])
        else:
            case = (start, start + length - 1, _random_bases(rng, rng.randint(1, 20)))
        first, last = min(case[0], case[1]), max(case[0], case[1])
        if _same_exon(first, last) and last < cds_end - 3:
            cases.append(case)
    return cases


def _check(cases: list[tuple[int, int, str]], build: Build, tmp_path) -> int:
    expected, lines = [], []
    for case in cases:
        named = tn.name(*case)
        if named is None:
            continue
        expected.append((case, named))
        lines.append(tn.expression(*case))
    path = tmp_path / "sweep.txt"
    path.write_text("\n".join(lines) + "\n")
    items = list(annotate_inputs([str(path)], Options(build=build)))
    assert len(items) == len(lines)
    wrong = []
    for (case, (p_name, term)), line, item in zip(expected, lines, items):
        d = item.as_dict() if hasattr(item, "as_dict") else {"error": item.error, "message": item.message}
        terms = set((d.get("consequence") or "").split("&"))
        want = {term} | ({"frameshift_variant"} if term == "stop_gained" and
                         (len(case[2]) - (case[1] - case[0] + 1)) % 3 else set())
        if d.get("hgvs_p") != f"NP_004439.2:p.({p_name})" or not want <= terms \
                or terms - want - ALLOWED_EXTRA:
            wrong.append((line, p_name, sorted(want), d.get("hgvs_p"), d.get("consequence"),
                          d.get("error"), d.get("message")))
    assert not wrong, f"{len(wrong)} of {len(lines)} differ, e.g. {wrong[:5]}"
    return len(lines)


@pytest.mark.parametrize("build", [Build.GRCh37, Build.GRCh38])
def test_exon_19_to_21_inframe_deletions_and_delins(build, tmp_path):
    cases = _exon_19_21_cases()
    checked = _check(cases, build, tmp_path)
    assert checked > 0.98 * len(cases)          # the namer leaves out almost nothing here


@pytest.mark.parametrize("build", [Build.GRCh37, Build.GRCh38])
def test_random_cds_indels(build, tmp_path):
    cases = _random_cds_cases()
    checked = _check(cases, build, tmp_path)
    assert checked > 0.95 * len(cases)


def test_sweep_includes_the_issue_examples_and_all_kinds():
    # The sweep is only as good as what it covers: both issue examples, and every kind of name.
    named = (tn.name(*c) for c in _exon_19_21_cases() + _random_cds_cases())
    names = {n[0] for n in named if n}
    assert "Leu755_Glu757delinsSer" in {tn.name(2264, 2271, "CT")[0]}
    assert tn.name(2322, 2327, "") == ("Met774_Gly776delinsIle", "inframe_deletion")
    for marker in ("delins", "del", "dup", "ins", "fsTer", "Ter", "="):
        assert any(marker in n for n in names), marker
    assert any(n.endswith("Ter") and "delins" in n for n in names)   # truncating delins
