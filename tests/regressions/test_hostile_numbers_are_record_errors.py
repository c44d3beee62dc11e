"""Issue 8 item 7: a MAF field holding ``inf`` (Start_Position, a depth column) raised
OverflowError with a traceback.  Every numeric field of a MAF or VCF turns a hostile value
(inf, -inf, nan, 1e400, negative, a huge integer, 1.5 for a count) into an error record that
names the field, and the rest of the file is still processed.  QUAL, which her2scope does not
use, only earns a warning.

Positions are the GRCh38 S310F site chr17:39711955 C>T (bundled SOURCES.md key facts).
"""

from __future__ import annotations

import pytest

import inprocess
from conftest import annotate, assert_no_traceback, rec, write_vcf

HOSTILE = ["inf", "-inf", "nan", "NaN", "1e400", "-5", "99999999999999999999", "1.5", "Infinity", "0x10", "²"]

MAF_COLUMNS = ["Hugo_Symbol", "NCBI_Build", "Chromosome", "Start_Position", "End_Position",
               "Variant_Classification", "Reference_Allele", "Tumor_Seq_Allele1", "Tumor_Seq_Allele2",
               "Tumor_Sample_Barcode", "HGVSp_Short", "t_depth", "t_ref_count", "t_alt_count"]
GOOD_ROW = {"Hugo_Symbol": "ERBB2", "NCBI_Build": "GRCh38", "Chromosome": "chr17",
            "Start_Position": "39711955", "End_Position": "39711955",
            "Variant_Classification": "Missense_Mutation", "Reference_Allele": "C",
            "Tumor_Seq_Allele1": "C", "Tumor_Seq_Allele2": "T", "Tumor_Sample_Barcode": "S1",
            "HGVSp_Short": "p.S310F", "t_depth": "100", "t_ref_count": "75", "t_alt_count": "25"}


def _maf(tmp_path, rows: list[dict], extra: tuple[str, ...] = ()):
    path = tmp_path / "hostile.maf"
    columns = MAF_COLUMNS + list(extra)
    lines = ["\t".join(columns)] + ["\t".join(r.get(c, "") for c in columns) for r in rows]
    path.write_text("#version 2.4\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("column", ["Start_Position", "End_Position", "t_depth", "t_ref_count", "t_alt_count",
                                    "n_depth", "n_ref_count", "n_alt_count"])
def test_maf_hostile_number_is_a_record_error_naming_the_field(tmp_path, column):
    rows = [dict(GOOD_ROW, **{column: value}) for value in HOSTILE] + [GOOD_ROW]
    run = inprocess.run(_maf(tmp_path, rows, extra=("n_depth", "n_ref_count", "n_alt_count")))
    errors = {d["record"]: d for d in run.errors}
    assert sorted(errors) == list(range(1, len(HOSTILE) + 1)), run.texts
    for n, value in enumerate(HOSTILE, 1):
        assert errors[n]["error"] == "malformed_record"
        assert column in errors[n]["message"] and f"record {n}" in errors[n]["message"], errors[n]
    # the last, good row is still annotated: 25 / 100 reads
    [good] = run.results
    assert (good["record"], good["protein_change"], good["depth"], good["vaf"]) == (
        len(HOSTILE) + 1, "p.S310F", 100, 0.25)


def test_maf_inf_start_position_on_the_command_line(tmp_path):
    # The report: OverflowError and a traceback.  Now an error line and exit status 1.
    run = annotate(_maf(tmp_path, [dict(GOOD_ROW, Start_Position="inf", t_depth="inf"), GOOD_ROW]))
    assert_no_traceback(run)
    assert run.returncode == 1
    assert [(d["record"], d.get("error"), d.get("protein_change")) for d in run.lines] == [
        (1, "malformed_record", None), (2, None, "p.S310F")]


def test_maf_whole_float_counts_from_pandas_are_accepted(tmp_path):
    run = inprocess.run(_maf(tmp_path, [dict(GOOD_ROW, t_depth="100.0", t_alt_count="25.0")]))
    assert [(d["depth"], d["vaf"]) for d in run.results] == [(100, 0.25)]


@pytest.mark.parametrize("t_vaf", ["inf", "nan", "7", "-0.1"])
def test_maf_fraction_outside_0_1_is_an_error(tmp_path, t_vaf):
    path = tmp_path / "vaf.maf"
    cols = MAF_COLUMNS + ["t_vaf"]
    path.write_text("\t".join(cols) + "\n" + "\t".join([GOOD_ROW[c] for c in MAF_COLUMNS] + [t_vaf]) + "\n")
    run = inprocess.run(path)
    assert [d["error"] for d in run.lines] == ["malformed_record"] and "t_vaf" in run.lines[0]["message"]


def test_maf_alt_reads_above_depth_is_an_error(tmp_path):
    run = inprocess.run(_maf(tmp_path, [dict(GOOD_ROW, t_depth="10", t_alt_count="25")]))
    assert [d["error"] for d in run.lines] == ["malformed_record"]
    assert "t_alt_count 25 exceeds" in run.lines[0]["message"]


def test_maf_row_with_zero_alt_reads_is_not_a_call(tmp_path):
    run = inprocess.run(_maf(tmp_path, [dict(GOOD_ROW, t_alt_count="0", t_ref_count="100")]))
    assert run.lines == [] and any("t_alt_count is 0" in w for w in run.warnings)


# --------------------------------------------------------------------------------------------
# VCF
# --------------------------------------------------------------------------------------------

def _vcf_errors(tmp_path, records, **kw):
    good = rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", "DP=80", *(
        ("GT:AD:AF:DP", "0/1:60,20:0.25:80") if kw.get("samples") else ()))
    path = write_vcf(tmp_path, "hostile.vcf", list(records) + [good], **kw)
    run = inprocess.run(path)
    good_line = run.results[-1]
    assert (good_line["record"], good_line["protein_change"]) == (len(records) + 1, "p.S310F")
    return run.errors


@pytest.mark.parametrize("value", HOSTILE)
def test_vcf_hostile_pos(tmp_path, value):
    errors = _vcf_errors(tmp_path, [rec("chr17", value, ".", "C", "T", 50, "PASS", ".")])
    if value == "99999999999999999999":
        assert errors == []        # a plain position beyond chr17's end cannot be ERBB2: skipped
        return
    assert [(e["record"], e["error"]) for e in errors] == [(1, "malformed_record")]
    assert "POS" in errors[0]["message"]


@pytest.mark.parametrize("fmt, value, field", [
    ("GT:AD:AF:DP", "0/1:60,20:inf:80", "AF"),
    ("GT:AD:AF:DP", "0/1:60,20:nan:80", "AF"),
    ("GT:AD:AF:DP", "0/1:60,20:7:80", "AF"),
    ("GT:AD:AF:DP", "0/1:60,20:1e400:80", "AF"),
    ("GT:AD:AF:DP", "0/1:60,-20:0.25:80", "AD"),
    ("GT:AD:AF:DP", "0/1:60,1.5:0.25:80", "AD"),
    ("GT:AD:AF:DP", "0/1:60,99999999999999999999:0.25:80", "AD"),
    ("GT:AD:AF:DP", "0/1:60,20:0.25:inf", "DP"),
    ("GT:AD:AF:DP", "0/1:60,20:0.25:-80", "DP"),
    ("DP:FDP:SDP:SUBDP:AU:CU:GU:TU", "80:0:0:0:0,0:60,60:0,0:inf,20", "TU"),
    ("GT:DP:FDP:RO:FRO:AO:FAO:AF", "0/1:80:80:60:60:20:nan:0.25", "FAO"),
    ("GT:DP:VD:AF", "0/1:80:1e400:0.25", "VD"),
    ("GT:DP:FREQ", "0/1:80:250%", "FREQ"),
])
def test_vcf_hostile_sample_field(tmp_path, fmt, value, field):
    bad = rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", "DP=80", fmt, value)
    errors = _vcf_errors(tmp_path, [bad], samples=("T1",))
    assert [(e["record"], e["error"]) for e in errors] == [(1, "malformed_record")]
    assert f"sample T1: {field} " in errors[0]["message"], errors[0]


@pytest.mark.parametrize("info, field", [("DP=inf", "INFO DP"), ("DP=80;AF=nan", "INFO AF"),
                                         ("AF=1e400", "INFO AF"), ("DP=-3", "INFO DP"),
                                         ("END=inf", "INFO END"), ("END=39711950", "INFO END")])
def test_vcf_sites_only_hostile_info(tmp_path, info, field):
    errors = _vcf_errors(tmp_path, [rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", info)])
    assert [(e["record"], e["error"]) for e in errors] == [(1, "malformed_record")]
    assert field in errors[0]["message"]


@pytest.mark.parametrize("qual", ["inf", "nan", "1e400", "-5"])
def test_vcf_hostile_qual_is_a_warning_only(tmp_path, qual):
    path = write_vcf(tmp_path, "qual.vcf", [rec("chr17", 39_711_955, ".", "C", "T", qual, "PASS", ".")])
    run = inprocess.run(path)
    assert [d["protein_change"] for d in run.lines] == ["p.S310F"]
    assert any("QUAL" in w for w in run.warnings)
