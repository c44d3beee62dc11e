"""Invalid case fields give a clear error that names the field."""

import os
import subprocess
import sys

import pytest

from her2scope.case.schema import CaseError, parse_case

GOOD = {"case_id": "P1", "clinical": {"histology": "adenocarcinoma", "stage": "IV", "region": "US"}}


@pytest.mark.parametrize("patch,field,words", [
    ({"ihc": {"score": "4+", "scoring_system": "gastric"}}, "ihc.score", "0, 1+, 2+, 3+"),
    ({"ish": {"her2_cep17_ratio": -1.2}}, "ish.her2_cep17_ratio", "greater than 0"),
    ({"clinical": {"histology": "adenocarcinoma", "stage": "V", "region": "US"}}, "clinical.stage", "stage must be"),
    ({"clinical": {"histology": "adenocarcinoma", "stage": "IV", "region": "UK"}}, "clinical.region", "'US'"),
    ({"clinical": {"histology": "adenocarcinoma", "stage": "IV", "region": "US", "prior_lines": -1}},
     "clinical.prior_lines", "greater than or equal"),
    ({"ngs": [{"sample_type": "saliva"}]}, "ngs.0.sample_type", "tissue"),
    ({"ngs": [{"sample_type": "tissue", "tumour_content": 40}]}, "ngs.0.tumour_content", "less than or equal to 1"),
    ({"case_id": "Jane Doe"}, "case_id", "pattern"),
    ({"surname": "Doe"}, "surname", "Extra inputs"),
])
def test_invalid_fields_are_named(patch, field, words):
    data = {**GOOD, **patch}
    with pytest.raises(CaseError) as err:
        parse_case(data)
    assert field in err.value.message and words in err.value.message


def test_ihc_scores_accept_plain_numbers():
    assert parse_case({**GOOD, "ihc": {"score": 3, "scoring_system": "gastric"}}).ihc.score == "3+"


def test_cli_reports_an_invalid_case_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_id: P1\nclinical: {histology: adenocarcinoma, stage: IV, region: US}\n"
                   "ihc: {score: 4+, scoring_system: gastric}\n")
    run = subprocess.run([sys.executable, "-m", "her2scope.cli", "report", str(bad), "-o",
                          str(tmp_path / "r.json")], capture_output=True, text=True)
    assert run.returncode == 1
    assert "ihc.score" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "r.json").exists()


def test_case_given_as_cli_options(tmp_path):
    from report_helpers import DEMO

    out = tmp_path / "r.json"
    run = subprocess.run([sys.executable, "-m", "her2scope", "report", "-o", str(out),
                          "--histology", "adenocarcinoma", "--stage", "IVB", "--region", "US",
                          "--prior-lines", "1", "--ngs", str(DEMO / "patient01_yvma_grch38.vcf"),
                          "--ihc", "1+"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    import json

    d = json.loads(out.read_text())
    assert d["her2"]["mutation"]["status"] == "positive"
    assert d["her2"]["protein_expression"]["status"] == "negative"


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("--stage", "V", "IVB"), ("--region", "XX", "JP"), ("--ihc", "4+", "3+")])
def test_invalid_cli_options_are_named(tmp_path, option, value, allowed):
    """An enumerated option refuses a value outside the case schema's list as a usage error (exit 2),
    naming the option and the allowed values (issue 15: the values are the option's choices)."""
    run = subprocess.run([sys.executable, "-m", "her2scope", "report", "-o", str(tmp_path / "r.json"),
                          "--histology", "adenocarcinoma", option, value],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert option in run.stderr and allowed in run.stderr
