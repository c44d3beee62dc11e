"""Issue 12 item 4: the Cox model failed with "no complete cases" when a study lacks one covariate
(a never-smoker study has no smoking column), and a study with PFS but no OS had no survival.
Now absent or constant covariates are dropped and named; PFS is used when OS is absent."""

from __future__ import annotations

from pathlib import Path

from cohort_studies import never_smoker_wgs_like, nsclc_pd1_msk_2018_like

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.stats import cox


def _run(d: Path) -> dict:
    res = analyse(d, DuckDBEngine())
    res.close()
    return res


def test_never_smoker_study_fits_without_the_smoking_covariate(tmp_path: Path):
    res = _run(never_smoker_wgs_like(tmp_path / "wgs"))
    cx = res.stats["cox"]
    assert cx["error"] is None and cx["n"] == 20
    assert cx["dropped_covariates"] == {"ever_smoker": "not in the study (no patient has a value)"}
    assert set(cx["hazard_ratios"]) == {"her2_activating", "age_per_10y", "male", "stage_III_IV"}
    assert res.summary["survival_endpoint"] == "OS"


def test_pfs_used_when_os_is_absent(tmp_path: Path):
    res = _run(nsclc_pd1_msk_2018_like(tmp_path / "pd1"))
    assert res.summary["survival_endpoint"] == "PFS"
    km = {k["group"]: (k["n"], k["events"]) for k in res.stats["km"]}
    assert sum(n for n, _ in km.values()) == 8 and sum(e for _, e in km.values()) == 5   # 5 x "1:Progressed"
    assert km["HER2 activating"] == (3, 2)            # patients 101 (1:Progressed), 104 (1), 106 (0)
    assert "stage_III_IV" in res.stats["cox"]["dropped_covariates"]
    assert any("progression-free survival" in w for w in res.summary["warnings"])


def test_constant_covariate_is_dropped_and_named():
    # 6 patients, all male: 'male' does not vary among the complete cases
    rows = [{"patient_id": str(i), "her2": int(i < 3), "months": 2.0 + 3 * i, "event": int(i % 2 == 0),
             "age": 50 + 7 * (i % 3), "sex": "Male", "stage_group": "IV" if i % 2 else "II",
             "smoking_group": "Unknown"} for i in range(6)]
    cx = cox(rows)
    assert cx["dropped_covariates"] == {"ever_smoker": "not in the study (no patient has a value)",
                                        "male": "constant among the complete cases"}
    assert cx["covariates"] == ["her2_activating", "age_per_10y", "stage_III_IV"] and cx["n"] == 6


def test_her2_constant_is_said_not_silently_fitted():
    rows = [{"patient_id": str(i), "her2": 0, "months": 1.0 + i, "event": 1, "age": 60, "sex": "Male",
             "stage_group": "IV", "smoking_group": "ever"} for i in range(4)]
    cx = cox(rows)
    assert cx["error"].startswith("the HER2 hazard ratio cannot be estimated") and cx["hazard_ratios"] == {}
