"""Statistics: Wilson score interval, Fisher exact test with Benjamini-Hochberg correction,
Kaplan-Meier / log-rank / Cox proportional hazards (lifelines).

Survival inputs arrive aggregated (group, time, events, n) from the engines, so millions of
patients cost one row per distinct time; lifelines takes them as integer weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .attributes import stage_covariate

# scipy, lifelines and pandas (2-4 s to import) stay inside the functions that need them: a prevalence
# (Wilson only) or a query run must not pay for the survival models.

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score 95% CI for k successes of n (Wilson 1927); (0, 0)... never: n == 0 -> (nan, nan)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def fisher(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Two-sided Fisher exact test on [[a, b], [c, d]] -> (odds ratio, p)."""
    from scipy.stats import fisher_exact  # lazy: seconds to import (see the top)

    res = fisher_exact([[a, b], [c, d]], alternative="two-sided")
    return float(res.statistic), float(res.pvalue)


def benjamini_hochberg(pvalues: list[float]) -> list[float]:
    """BH-adjusted p-values (q-values), same order as the input."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        adjusted[i] = running
    return adjusted


@dataclass(frozen=True)
class KMCurve:
    group: str
    n: int
    events: int
    median: float | None                 # None: the curve never reaches 0.5
    median_ci: tuple[float | None, float | None]
    times: tuple[float, ...]
    survival: tuple[float, ...]


def km_median_from_counts(rows: list[tuple[float, int, int]]) -> float | None:
    """Product-limit estimate from (time, events, n at that time); the median is the first time
    with S(t) <= 0.5 (the convention of lifelines and R survival)."""
    for t, s in zip(*product_limit(rows)):
        if s <= 0.5 + 1e-12:
            return t
    return None


def product_limit(rows: list[tuple[float, int, int]]) -> tuple[list[float], list[float]]:
    """S(t) at each event time, from (time, events, n) rows."""
    at_risk = sum(n for _, _, n in rows)
    s = 1.0
    times, surv = [], []
    for t, e, n in sorted(rows):
        if e:
            s *= 1 - e / at_risk
            times.append(t)
            surv.append(s)
        at_risk -= n
    return times, surv


def kaplan_meier(counts: list[dict]) -> list[KMCurve]:
    """counts rows: driver_group, months, events, n (from the SURVIVAL_COUNTS query)."""
    from lifelines import KaplanMeierFitter  # lazy: seconds to import (see the top)
    from lifelines.utils import median_survival_times

    curves = []
    for group in sorted({r["driver_group"] for r in counts}):
        rows = [r for r in counts if r["driver_group"] == group]
        t, e, w = [], [], []
        for r in rows:                       # split each time into event and censored weights
            if r["events"]:
                t.append(r["months"]); e.append(1); w.append(r["events"])
            if r["n"] - r["events"]:
                t.append(r["months"]); e.append(0); w.append(r["n"] - r["events"])
        kmf = KaplanMeierFitter().fit(np.array(t, float), np.array(e), weights=np.array(w, float), label=group)
        # Curve and median from the exact product-limit (lifelines' weighted fit can land on
        # 0.5000000000000001 where S(t) is exactly 0.5); the median's CI from lifelines.
        agg = [(r["months"], int(r["events"]), int(r["n"])) for r in rows]
        times, surv = product_limit(agg)
        ci = median_survival_times(kmf.confidence_interval_).iloc[0].tolist()
        curves.append(KMCurve(group, int(sum(r["n"] for r in rows)), int(sum(r["events"] for r in rows)),
                              km_median_from_counts(agg),
                              tuple(None if (math.isinf(x) or math.isnan(x)) else float(x)  # type: ignore[arg-type]
                                    for x in ci),   # lifelines: (lower, upper)
                              tuple(float(x) for x in times), tuple(float(x) for x in surv)))
    return curves


REST = "all other profiled patients"


def logrank(counts: list[dict], group_a: str | None = None) -> dict:
    """Multivariate log-rank across all groups; with group_a, group_a vs everyone else
    (the second group is named REST)."""
    from lifelines.statistics import multivariate_logrank_test  # lazy: seconds to import (see the top)

    t, e, w, g = [], [], [], []
    for r in counts:
        label = r["driver_group"] if group_a is None else (group_a if r["driver_group"] == group_a else REST)
        if r["events"]:
            t.append(r["months"]); e.append(1); w.append(r["events"]); g.append(label)
        if r["n"] - r["events"]:
            t.append(r["months"]); e.append(0); w.append(r["n"] - r["events"]); g.append(label)
    groups = sorted(set(g)) if group_a is None else [x for x in (group_a, REST) if x in set(g)]
    if len(groups) < 2:
        return {"test_statistic": None, "p": None, "groups": groups}
    res = multivariate_logrank_test(np.array(t, float), np.array(g), np.array(e), weights=np.array(w, float))
    return {"test_statistic": float(res.test_statistic), "p": float(res.p_value),
            "df": int(res.degrees_of_freedom), "groups": groups}


def _cox_columns(patients: list[dict]) -> dict[str, list]:
    """Each covariate per patient (None = unknown for that patient)."""
    stage_name, stage_of = stage_covariate({r["stage_group"] for r in patients})
    sex = {"Male": 1, "Female": 0}
    smoking = {"ever": 1, "never": 0}
    return {
        "her2_activating": [int(r["her2"] == 1) for r in patients],
        "age_per_10y": [None if r["age"] is None else r["age"] / 10 for r in patients],
        "male": [sex.get(r["sex"]) for r in patients],
        stage_name: [stage_of(r["stage_group"]) for r in patients],
        "ever_smoker": [smoking.get(r["smoking_group"]) for r in patients],
    }


def cox(patients: list[dict]) -> dict:
    """Cox PH: HER2-activating vs all other profiled patients, adjusted for age (per 10 years),
    sex (male), stage (III/IV vs I/II; IV vs I-III when the study records I-III as one level),
    ever-smoker. A covariate the study does not have (no patient with a value) or that does not
    vary among the complete cases is dropped and listed with the reason; complete cases only
    (n stated). rows: patient_id, her2, months, event, age, sex, stage_group, smoking_group."""
    import pandas as pd  # lazy: seconds to import (see the top)
    from lifelines import CoxPHFitter

    columns = _cox_columns(patients)
    dropped: dict[str, str] = {}
    for name, values in list(columns.items()):
        if all(v is None for v in values):
            dropped[name] = "not in the study (no patient has a value)"
            del columns[name]
    keep = [i for i in range(len(patients)) if all(v[i] is not None for v in columns.values())]
    for name, values in list(columns.items()):
        if len({values[i] for i in keep}) < 2:
            dropped[name] = "constant among the complete cases"
            del columns[name]
    out = {"covariates": list(columns), "dropped_covariates": dropped, "n": len(keep),
           "events": sum(patients[i]["event"] for i in keep), "excluded_incomplete": len(patients) - len(keep),
           "hazard_ratios": {}, "error": None}
    if not keep:
        out["error"] = "no complete cases"
        return out
    if "her2_activating" not in columns:
        out["error"] = ("the HER2 hazard ratio cannot be estimated: her2_activating "
                        f"{dropped.get('her2_activating', 'missing')}")
        return out
    df = pd.DataFrame({"T": [patients[i]["months"] for i in keep], "E": [patients[i]["event"] for i in keep],
                       **{name: [values[i] for i in keep] for name, values in columns.items()}})
    df["T"] = df["T"].clip(lower=1e-6)
    try:
        cph = CoxPHFitter(penalizer=0.0).fit(df, "T", "E")
    except Exception as exc:          # lifelines raises ConvergenceError and friends
        out["error"] = f"{type(exc).__name__}: {exc}".split("\n")[0]
        return out
    s = cph.summary
    for cov in columns:
        out["hazard_ratios"][cov] = {"hr": float(s.loc[cov, "exp(coef)"]),
                                     "ci95": [float(s.loc[cov, "exp(coef) lower 95%"]),
                                              float(s.loc[cov, "exp(coef) upper 95%"])],
                                     "p": float(s.loc[cov, "p"])}
    return out
