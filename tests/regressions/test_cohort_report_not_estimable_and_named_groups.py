"""Issue 12 item 6: an odds ratio that cannot be estimated printed 'nan' in the report, and the
log-rank test of HER2 activating vs the rest labelled its groups 'a' and 'b'."""

from __future__ import annotations

import math
import re
from pathlib import Path

from cohort_studies import lung_msk_2017_like

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.report import build
from her2scope.cohort.stats import REST


def test_not_estimable_odds_ratio_and_named_logrank_groups(tmp_path: Path):
    res = analyse(lung_msk_2017_like(tmp_path / "s"), DuckDBEngine())
    res.close()
    braf = next(r for r in res.stats["comutation"] if r["key"] == "braf")
    # BRAF: profiled in all 12 samples, mutated in none -> [[0, 4], [0, 8]]: OR = 0*8 / (4*0) = 0/0
    assert (braf["both_altered"], braf["her2_only"], braf["other_only"], braf["neither"]) == (0, 4, 0, 8)
    assert math.isnan(braf["odds_ratio"])
    doc, _ = build(res)
    row = re.search(r"<tr><td>BRAF</td>(.*?)</tr>", doc).group(1)
    assert "not estimable" in row and "nan" not in row
    assert ">nan<" not in doc and ">inf<" not in doc
    lr = res.stats["logrank_her2_vs_rest"]
    assert lr["groups"] == ["HER2 activating", REST] and REST == "all other profiled patients"
    assert "HER2 activating vs all other profiled patients: p = " in doc
