"""Turnaround (ordered -> resulted) per test type, and the HER2-mutation yield with a Wilson
95% interval, set against the expected 2-4% (burden assumptions, her2_prevalence)."""

from __future__ import annotations

import math

from ..burden.assumptions import load_assumptions
from ..vocabulary import TestState
from .snapshot import PatientRow

Z95 = 1.959963984540054


def percentile(values: list[int], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo))


def turnaround(patients: list[PatientRow]) -> dict:
    by_type: dict[str, dict] = {}
    for p in patients:
        for t in p.tests:
            d = by_type.setdefault(t.test_type, {"days": [], "pending": 0, "failed": 0, "total": 0})
            d["total"] += 1
            if t.status == TestState.resulted and t.ordered and t.resulted:
                d["days"].append((t.resulted - t.ordered).days)
            elif t.status in (TestState.ordered, TestState.received):
                d["pending"] += 1
            elif t.status == TestState.failed:
                d["failed"] += 1
    out = {}
    for test_type in sorted(by_type):
        d = by_type[test_type]
        days = d["days"]
        out[test_type] = {"n": len(days), "median_days": percentile(days, 0.5), "p90_days": percentile(days, 0.9),
                          "min_days": min(days) if days else None, "max_days": max(days) if days else None,
                          "tests": d["total"], "pending": d["pending"], "failed": d["failed"]}
    return out


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def expected_prevalence() -> dict:
    a = load_assumptions()
    prev = a.her2_prevalence
    cites = {k: " ".join(str(a.citations.get(k, {}).get("text", k)).split()) for k in prev.citations}
    return {"range": [prev.low, prev.high], "point": prev.point,
            "source": f"her2scope burden assumptions v{a.version} (her2_prevalence), checked {a.checked}",
            "citations": cites}


def her2_yield(patients: list[PatientRow]) -> dict:
    """Patients with at least one NGS test that assessed ERBB2 (a failed or not-assessed result
    is not a test), and how many of them are HER2-mutant."""
    tested = [p for p in patients if any(t.assessed for t in p.ngs())]
    mutant = sum(1 for p in tested if p.her2_mutant)
    n = len(tested)
    ci = wilson(mutant, n)
    exp = expected_prevalence()
    low, high = exp["range"]
    if ci is None:
        verdict = "no patient with an NGS test that assessed ERBB2 yet"
    elif ci[1] < low:
        verdict = "below the expected range (check for untested or missed patients)"
    elif ci[0] > high:
        verdict = "above the expected range (selected population?)"
    else:
        verdict = "consistent with the expected range"
    return {"tested": n, "her2_mutant": mutant, "yield": mutant / n if n else None,
            "ci95": list(ci) if ci else None, "ci_method": "Wilson score, 95%",
            "expected_range": exp["range"], "expected_source": exp["source"],
            "expected_citations": exp["citations"], "verdict": verdict,
            "advanced_tested": sum(1 for p in tested if p.advanced)}
