"""Issue 11 items 1 and 4: a single-patient report needed DuckDB and pandas.

``case/drivers.py`` imported the cohort analytics' rules (SQL text) and ran them on DuckDB over
the case's records of other genes, so ``her2scope report`` loaded DuckDB and pandas (and,
without them, left the other drivers "not assessed"). The rules are now data
(``her2scope.knowledge.drivers``) evaluated in plain Python; ``.importlinter`` forbids ``case``
to import ``cohort``. Here: the CLI ``report`` on the demo's EGFR co-driver case (a MAF, so the
driver check runs) finds EGFR L858R and loads none of the cohort engines.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import DEMO, ROOT

_RUN = """
import runpy, sys
case, out_json, out_html = sys.argv[1:]
sys.argv = ["her2scope", "report", case, "-o", out_json, "-o", out_html]
try:
    runpy.run_module("her2scope", run_name="__main__")
except SystemExit as exc:
    print("exit", exc.code)
print(sorted(m for m in ("duckdb", "pandas", "pyspark", "sqlglot") if m in sys.modules))
"""


def test_cli_report_loads_no_cohort_engine(tmp_path):
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    run = subprocess.run([sys.executable, "-c", _RUN, str(DEMO / "cases" / "case06_egfr_co_driver.yaml"),
                          str(out_json), str(out_html)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]", run.stdout
    drivers = json.loads(out_json.read_text())["other_drivers"]
    assert drivers["assessed"] is True
    # The demo MAF's row 2 is EGFR p.L858R (co_driver.maf): the EGFR rule's first clause.
    assert [(f["driver"], f["detail"]) for f in drivers["findings"]] == [("EGFR", "EGFR p.L858R (co_driver.maf row 2)")]
