"""Issue 8 item 1 (case report / HER2 picture): a sample name the file does not have is an error.

The failing input from the issue: a Mutect2-style tumour/normal VCF whose tumour column is
``TUMOR`` and carries the oncogenic exon 20 duplication p.Y772_A775dup (NM_004448.4:c.2313_2324dup;
GRCh38 chr17:39724730 C>CATACGTGATGGC, as in demo patient01), with the case naming the sample
``TUMOUR``. The picture filtered every variant away and said "No activating ERBB2 mutation"
(mutation NEGATIVE). Now the mutation dimension is ``failed`` with the reason, which names the
samples the file has; the registry/web path (``strict=True``) raises ``UnknownSampleError``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_no_traceback, rec, run_cli, write_vcf

from her2scope.case.picture import Status, build_picture
from her2scope.case.schema import parse_case
from her2scope.errors import InputError, UnknownSampleError
from her2scope.report.model import report_for

YVMA = rec("chr17", 39724730, ".", "C", "CATACGTGATGGC", 60, "PASS", "DP=420", "GT:AD:DP:AF",
           "0/0:380,0:380:0", "0/1:290,130:420:0.31")


def _case(sample: str | None, sample_type: str = "tissue") -> dict:
    ngs = {"sample_type": sample_type, "files": ["tumour.vcf"]}
    if sample is not None:
        ngs["sample"] = sample
    return {"case_id": "TYPO-1", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US",
                                              "prior_lines": 1}, "ngs": [ngs]}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_vcf(tmp_path, "tumour.vcf", [YVMA], samples=("NORMAL", "TUMOR"))
    return tmp_path


def test_the_right_sample_name_finds_the_duplication(folder):
    # The control: the file does carry the activating duplication in TUMOR.
    pic = build_picture(parse_case(_case("TUMOR")), folder)
    assert pic.mutation.status is Status.positive
    assert [v.protein_change for v in pic.activating] == ["p.Y772_A775dup"]


@pytest.mark.parametrize("sample_type", ["tissue", "plasma"])
def test_a_misspelt_sample_is_failed_with_the_files_samples_never_negative(folder, sample_type):
    pic = build_picture(parse_case(_case("TUMOUR", sample_type)), folder)
    assert pic.mutation.status is Status.failed            # not negative, not "not detected"
    assert not pic.mutation.status.tested
    assert pic.mutation.reason_code == "unknown_sample"
    assert "'TUMOUR'" in pic.mutation.reason and "NORMAL, TUMOR" in pic.mutation.reason
    assert "No activating ERBB2 mutation" not in pic.mutation.summary
    assert [e.error for e in pic.errors] == ["unknown_sample"]
    assert pic.tests[0].read_in_full is False


def test_strict_mode_raises_the_named_error_for_the_registry(folder):
    with pytest.raises(UnknownSampleError) as caught:
        build_picture(parse_case(_case("TUMOUR")), folder, strict=True)
    err = caught.value
    assert isinstance(err, InputError) and err.code == "unknown_sample"
    assert err.sample == "TUMOUR" and err.available == ("NORMAL", "TUMOR")
    assert "its samples are: NORMAL, TUMOR" in err.message


def test_no_therapy_is_withheld_on_a_negative_that_was_never_read(folder):
    rep = report_for(parse_case(_case("TUMOUR")), folder)
    reasons = [r for o in rep.steps.options for r in o.reasons if "mutation status" in r]
    assert reasons and all("failed" in r and "TUMOUR" in r for r in reasons)
    assert "broad_ngs_before_first_line" in [s.step_id for s in rep.steps.steps]


def test_a_maf_barcode_that_is_not_in_the_maf_is_an_error(tmp_path, demo_dir):
    maf = demo_dir / "cases" / "co_driver.maf"
    data = _case("DEMO-6")
    data["ngs"][0]["files"] = [str(maf)]
    pic = build_picture(parse_case(data), tmp_path)
    assert pic.mutation.status is Status.failed and "DEMO-06" in pic.mutation.reason


def test_a_file_without_samples_cannot_contradict_the_name(tmp_path):
    # HGVS text names no samples: the name cannot be checked, which the evidence says.
    (tmp_path / "report.txt").write_text("NM_004448.4:c.2313_2324dup\n")
    data = _case("TUMOUR")
    data["ngs"][0]["files"] = ["report.txt"]
    pic = build_picture(parse_case(data), tmp_path)
    assert pic.mutation.status is Status.positive
    assert any("could not be checked" in e for e in pic.mutation.evidence)


def test_cli_report_shows_the_reason_and_exits_1(folder):
    (folder / "case.json").write_text(json.dumps(_case("TUMOUR")))
    out_json, out_html = folder / "r.json", folder / "r.html"
    run = run_cli("report", folder / "case.json", "-o", out_json, "-o", out_html)
    assert_no_traceback(run)
    assert run.returncode == 1 and "unknown_sample" in run.stderr and "NORMAL, TUMOR" in run.stderr
    mutation = json.loads(out_json.read_text())["her2"]["mutation"]
    assert mutation["status"] == "failed" and mutation["reason_code"] == "unknown_sample"
    html = out_html.read_text()
    assert "Why:" in html and "no sample named &#39;TUMOUR&#39;" in html
