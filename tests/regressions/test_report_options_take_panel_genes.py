"""`her2scope report --ngs FILE` (a case given as options) took every assay as a broad panel:
a file from a panel without ERBB2 gave 'no activating ERBB2 mutation'. `--genes-covered` now
says the assay's genes, as a case file's ngs[].genes_covered does; without ERBB2 the mutation
status is 'not assessed'."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from her2scope.cli import app
from report_helpers import CASES

NO_ERBB2 = str(CASES / "tissue_no_erbb2_grch37.vcf")     # a tissue VCF without ERBB2 records
BASE = ["report", "--case-id", "GENES-1", "--histology", "adenocarcinoma", "--stage", "IVB", "--region", "US"]


def _mutation(tmp_path, *extra: str) -> tuple[int, dict | None, str]:
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, [*BASE, *extra, "-o", str(out)])
    data = json.loads(out.read_text()) if r.exit_code == 0 else None
    return r.exit_code, (data["her2"]["mutation"] if data else None), r.output


def test_a_panel_without_erbb2_is_not_assessed(tmp_path):
    code, mutation, _ = _mutation(tmp_path, "--ngs", NO_ERBB2, "--genes-covered", "EGFR;KRAS;ALK")
    assert code == 0 and mutation["status"] == "not_assessed"
    assert "does not include ERBB2" in mutation["reason"]


def test_without_the_option_or_with_erbb2_listed_it_is_a_negative(tmp_path):
    for extra in ((), ("--genes-covered", "EGFR;ERBB2")):
        code, mutation, _ = _mutation(tmp_path, "--ngs", NO_ERBB2, *extra)
        assert code == 0 and mutation["status"] == "negative"


def test_bad_lists_are_refused_naming_the_option(tmp_path):
    code, _, output = _mutation(tmp_path, "--ngs", NO_ERBB2, "--genes-covered", "EGFR;;KRAS")
    assert code == 1 and "--genes-covered: entries must not be blank" in output
    code, _, output = _mutation(tmp_path, "--genes-covered", "EGFR")
    assert code == 1 and "give --ngs too" in output
    code, _, output = _mutation(tmp_path, "--ngs", NO_ERBB2, "--genes-covered", " ")   # given, but empty
    assert code == 1 and "--genes-covered: give the genes" in output
