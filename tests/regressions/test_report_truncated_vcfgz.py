"""Issue 8 item 8 (and item 1's "read to its end"): a truncated .vcf.gz in a case report.

The failing input from the issue: the demo's ``bad_truncated.vcf.gz`` (a bgzipped VCF cut in
half; record 1 is ERBB2 S310F, then ~20,000 non-ERBB2 records before the cut). ``her2scope
report`` printed "Aborted." (an EOFError in case/drivers.py, which parsed the file itself) while
``annotate`` reported the record before the damage and a ``corrupt_file`` error. Now the report
is written: S310F (read before the damage) is shown, the test is marked as not read in full with
the reason, and the exit status is 1.

A truncated file whose activating variant lay *after* the cut must never read as negative: the
test is ``failed`` with the reader's reason.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import DEMO, assert_no_traceback, run_cli, sorted_vcf_gz_with_late_yvma

from her2scope.case.drivers import find_drivers
from her2scope.case.picture import Status, build_picture
from her2scope.case.schema import parse_case
from her2scope.readers.rows import read_rows

TRUNCATED = DEMO / "bad_truncated.vcf.gz"


def _case(path: Path, sample_type: str = "tissue") -> dict:
    return {"case_id": "TRUNC-1", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US",
                                               "prior_lines": 1},
            "ngs": [{"sample_type": sample_type, "files": [str(path)]}]}


def test_cli_report_on_the_demo_truncated_file(tmp_path):
    (tmp_path / "case.json").write_text(json.dumps(_case(TRUNCATED)))
    outs = [tmp_path / n for n in ("r.json", "r.html", "r.fhir.json")]
    run = run_cli("report", tmp_path / "case.json", *[a for o in outs for a in ("-o", o)])
    assert_no_traceback(run)
    assert "Aborted" not in run.stderr and run.returncode == 1
    assert "corrupt_file" in run.stderr
    assert all(o.exists() for o in outs)
    rep = json.loads(outs[0].read_text())
    assert [v["protein_change"] for v in rep["variants"]] == ["p.S310F"]     # the record before the damage
    assert [v["record"] for v in rep["variants"]] == [1]
    assert [e["error"] for e in rep["errors"]] == ["corrupt_file"]
    test = rep["ngs_tests"][0]
    assert test["read_in_full"] is False and test["reason_code"] == "incomplete_file"
    assert test["status"] == "failed"            # the test itself failed: the file must be re-exported
    assert "truncated" in test["reason"]
    # S310F is activating (likely oncogenic): a positive found stays positive, marked incomplete.
    assert rep["her2"]["mutation"]["status"] == "positive"
    assert "not every file was read to its end" in rep["her2"]["mutation"]["summary"]
    assert "NO: file incomplete" in outs[1].read_text()
    fhir = json.loads(outs[2].read_text())
    notes = [n["text"] for e in fhir["entry"] for n in e["resource"].get("note", [])]
    assert any("not every file was read to its end" in n for n in notes)


@pytest.fixture
def cut_after_many_records(tmp_path) -> tuple[Path, Path]:
    """A sorted bgzipped VCF: 40,000 chr1 records, then the YVMA duplication on chr17; the whole
    file and the same file cut in half (the duplication lies after the cut)."""
    whole = sorted_vcf_gz_with_late_yvma(tmp_path)
    cut = tmp_path / "cut.vcf.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    return whole, cut


def test_the_whole_file_is_positive_the_cut_one_is_failed_never_negative(tmp_path, cut_after_many_records):
    whole, cut = cut_after_many_records
    assert build_picture(parse_case(_case(whole)), tmp_path).mutation.status is Status.positive
    for sample_type in ("tissue", "plasma"):
        pic = build_picture(parse_case(_case(cut, sample_type)), tmp_path)
        assert pic.mutation.status is Status.failed, sample_type
        assert pic.mutation.reason_code == "corrupt_file" and "truncated" in pic.mutation.reason
        assert "cut.vcf.gz" in pic.mutation.reason and str(tmp_path) not in pic.mutation.reason


def test_driver_rows_end_at_the_damage_with_the_rows_before_kept(tmp_path):
    # A gzipped MAF whose first row is KRAS G12C, cut inside the rows that follow.
    header = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tVariant_Classification\t"
              "Tumor_Sample_Barcode\tNCBI_Build\tHGVSp_Short\n")
    rows = ["KRAS\t12\t25398285\t25398285\tMissense_Mutation\tS1\tGRCh37\tp.G12C\n"]
    rows += [f"TTN\t2\t{179_000_000 + i}\t{179_000_000 + i}\tMissense_Mutation\tS1\tGRCh37\tp.A{i + 1}T\n"
             for i in range(60_000)]
    data = gzip.compress((header + "".join(rows)).encode())
    cut = tmp_path / "cut.maf.gz"
    cut.write_bytes(data[: len(data) // 2])
    report = find_drivers([cut], [])
    assert [f.driver for f in report.findings] == ["KRAS"]
    assert report.problems and "cut.maf.gz" in report.problems[0]


def test_no_cut_point_of_the_demo_file_raises(tmp_path):
    # Every damaged prefix of the demo file: the driver rows and the picture end cleanly.
    data = TRUNCATED.read_bytes()
    path = tmp_path / "prefix.vcf.gz"
    for size in sorted({0, 1, 2, 10, 27, 100, 1000, len(data) // 4, len(data) // 3, len(data) - 1}):
        path.write_bytes(data[:size])
        try:
            list(read_rows(str(path)).rows)
        except Exception as exc:   # only the named error, never EOFError or zlib.error
            assert type(exc).__name__ == "CorruptFileError", exc
        find_drivers([path], [])
        pic = build_picture(parse_case(_case(path)), tmp_path)
        assert pic.mutation.status in (Status.failed, Status.positive), size
