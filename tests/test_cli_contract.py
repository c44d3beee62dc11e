"""The command-line output contract (issue: "Output contract"): jsonl keys and types, tsv and
table carrying the same fields, -o FILE, --help, exit status, and the MAF reader on the real
TCGA LUAD ERBB2 rows bundled as demo data (expected values derived from the MAF itself and
from the reference facts in SOURCES.md, never from the program's output)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from conftest import DEMO, annotate, assert_no_traceback, rec, run_cli, write_vcf

# The contract keys, as listed in the issue (not imported from the package on purpose).
CONTRACT = ("input", "record", "sample", "gene", "build", "chrom", "pos", "ref", "alt", "hgvs_g",
            "hgvs_c", "hgvs_p", "protein_change", "consequence", "exon", "alteration_class",
            "oncogenicity", "evidence", "knowledge_version")
ONCOGENICITY = {"oncogenic", "likely_oncogenic", "uncertain_significance", "likely_benign", "benign"}

MAF = DEMO / "patient04_tcga_luad_erbb2.maf"
SHIFT_37_TO_38 = 1_843_747
G776_C2326_GRCH37 = 37_880_997      # SOURCES.md key positions: G776 = c.2326_2328 at 37880997-999


@pytest.fixture
def mixed_vcf(tmp_path):
    """GRCh38: S310F, YVMA (left-aligned), multi-allelic V777L/V777M, a <DEL>, a non-ERBB2 line."""
    return write_vcf(tmp_path, "mixed.vcf", [
        rec("chr12", 25_245_351, ".", "C", "A", 60, "PASS", "."),
        rec("chr17", 39_711_955, ".", "C", "T", 60, "PASS", "DP=200"),
        rec("chr17", 39_724_728, ".", "A", "AGCATACGTGATG", 60, "PASS", "DP=300"),
        rec("chr17", 39_724_747, ".", "G", "T,A", 60, "PASS", "DP=100"),
        rec("chr17", 39_700_500, ".", "N", "<DEL>", 60, "PASS", "SVTYPE=DEL;END=39710000"),
    ])


def _check_contract_line(d: dict) -> None:
    for key in CONTRACT:
        assert key in d, (key, d)
    assert d["gene"] == "ERBB2"
    assert d["chrom"] == "17"
    assert isinstance(d["input"], str) and d["input"]
    assert isinstance(d["record"], int) and d["record"] >= 1
    assert d["sample"] is None or isinstance(d["sample"], str)
    assert d["build"] in ("GRCh37", "GRCh38", None)
    assert isinstance(d["evidence"], list)
    for ev in d["evidence"]:
        assert isinstance(ev, dict) and {"statement", "citations"} <= set(ev)
        assert isinstance(ev["statement"], str) and ev["statement"].strip()
        assert isinstance(ev["citations"], list) and ev["citations"]
        assert all(isinstance(c, str) and c for c in ev["citations"])
    if d.get("status") == "not_interpreted":
        return
    assert d["oncogenicity"] in ONCOGENICITY
    assert isinstance(d["knowledge_version"], str) and d["knowledge_version"]
    assert d["evidence"], "every call lists its evidence"
    assert d["protein_change"].startswith("p.")
    assert d["hgvs_p"].startswith("NP_004439.2:p.")
    if d["hgvs_c"] is not None:
        assert d["hgvs_c"].startswith("NM_004448.4:c.")
        assert d["hgvs_g"].startswith(("NC_000017.10:g.", "NC_000017.11:g."))
        assert isinstance(d["pos"], int) and d["ref"] and d["alt"]
        # exonic variants have an exon number; intronic ones (splice sites) an intron number
        assert isinstance(d["exon"], int) or isinstance(d.get("intron"), int)


# --------------------------------------------------------------------------------------------
# jsonl
# --------------------------------------------------------------------------------------------

def test_jsonl_every_line_carries_the_contract(mixed_vcf):
    run = annotate(mixed_vcf, "--format", "jsonl")
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    lines = run.lines
    assert len(lines) == 5      # S310F, YVMA, V777L, V777M, <DEL>
    for d in lines:
        _check_contract_line(d)
        assert d["input"] == str(mixed_vcf)
    by_change = {d["protein_change"]: d for d in lines}
    assert by_change["p.Y772_A775dup"]["hgvs_c"] == "NM_004448.4:c.2313_2324dup"
    assert by_change["p.Y772_A775dup"]["hgvs_p"] == "NP_004439.2:p.(Tyr772_Ala775dup)"
    assert by_change["p.S310F"]["hgvs_c"] == "NM_004448.4:c.929C>T"
    assert by_change["p.S310F"]["hgvs_g"] == "NC_000017.11:g.39711955C>T"
    assert {d["record"] for d in lines} == {2, 3, 4, 5}
    assert [d["status"] for d in lines if d["record"] == 5] == ["not_interpreted"]


def test_jsonl_is_default_and_one_object_per_line(mixed_vcf):
    default, explicit = annotate(mixed_vcf), annotate(mixed_vcf, "--format", "jsonl")
    assert default.stdout == explicit.stdout
    for raw in default.stdout.splitlines():
        assert isinstance(json.loads(raw), dict)


def test_exit_0_when_all_fine_and_summary_on_stderr(mixed_vcf):
    run = annotate(mixed_vcf)
    assert run.returncode == 0
    assert "1 non-ERBB2 skipped" in run.stderr
    assert "{" not in run.stderr            # nothing of the result stream on stderr


# --------------------------------------------------------------------------------------------
# tsv and table
# --------------------------------------------------------------------------------------------

def _tsv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


def _as_cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def test_tsv_same_fields_and_values_as_jsonl(mixed_vcf):
    j = annotate(mixed_vcf, "--format", "jsonl")
    t = annotate(mixed_vcf, "--format", "tsv")
    assert t.returncode == j.returncode == 0
    header = t.stdout.splitlines()[0].split("\t")
    for key in CONTRACT:
        assert key in header
    rows = _tsv_rows(t.stdout)
    assert len(rows) == len(j.lines)
    for row, d in zip(rows, j.lines):
        assert len(row) == len(header) and None not in row      # no ragged rows
        for key in CONTRACT:
            if key == "evidence":
                assert json.loads(row[key]) == d[key]
            else:
                assert row[key] == _as_cell(d[key]), key


def test_tsv_carries_record_errors(tmp_path):
    bad = write_vcf(tmp_path, "bad.vcf", [rec("chr17", "x", ".", "C", "T", 50, "PASS", "."),
                                          rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", ".")])
    j = annotate(bad, "--format", "jsonl")
    t = annotate(bad, "--format", "tsv")
    assert t.returncode == j.returncode == 1
    rows = _tsv_rows(t.stdout)
    assert [r["record"] for r in rows] == ["1", "2"]
    assert rows[0]["error"] == j.lines[0]["error"] == "malformed_record"
    assert rows[0]["message"] == j.lines[0]["message"]
    assert rows[1]["protein_change"] == "p.S310F" and rows[1]["error"] == ""


def test_table_renders_the_same_variants(mixed_vcf, tmp_path):
    bad = write_vcf(tmp_path, "bad.vcf", [rec("chr17", 39_711_955, ".", "T", "C", 50, "PASS", ".")])
    run = annotate(mixed_vcf, bad, "--format", "table")
    assert_no_traceback(run)
    assert run.returncode == 1
    out = run.stdout
    # the compact table (issue 15): the variants, then the errors in their own section
    for text in ("p.S310F", "p.V777L", "p.V777M", "<DEL>", "ref_mismatch", "oncogenicity", "record 1"):
        assert text in out, text
    assert not out.lstrip().startswith("{")
    assert out.index("ref_mismatch") > out.index("p.V777M")
    # any other field on request
    wide = annotate(mixed_vcf, "--format", "table", "--columns", "gene,build,pos,vaf")
    assert wide.returncode == 0, wide.stderr
    assert "ERBB2" in wide.stdout and "GRCh38" in wide.stdout and "39711955" in wide.stdout


def test_table_with_no_results(tmp_path):
    empty = write_vcf(tmp_path, "none.vcf", [rec("chr12", 25_245_351, ".", "C", "A", 60, "PASS", ".")])
    run = annotate(empty, "--format", "table")
    assert_no_traceback(run)
    assert run.returncode == 0


# --------------------------------------------------------------------------------------------
# -o FILE
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
def test_output_file_equals_stdout(mixed_vcf, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    to_file = annotate(mixed_vcf, "--format", fmt, "-o", out)
    to_stdout = annotate(mixed_vcf, "--format", fmt)
    assert to_file.returncode == to_stdout.returncode == 0
    assert to_file.stdout == ""
    assert out.read_text(encoding="utf-8") == to_stdout.stdout
    assert sorted(os.listdir(tmp_path)) == sorted(["mixed.vcf", out.name])   # no leftovers


def test_output_file_complete_when_some_records_fail(tmp_path):
    bad = write_vcf(tmp_path, "bad.vcf", [rec("chr17", 39_711_955, ".", "T", "C", 50, "PASS", "."),
                                          rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", ".")])
    out = tmp_path / "out.jsonl"
    run = annotate(bad, "-o", out)
    assert run.returncode == 1
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(d["record"], d.get("error"), d.get("protein_change")) for d in lines] == [
        (1, "ref_mismatch", None), (2, None, "p.S310F")]


def test_output_into_missing_directory_is_a_usage_error(mixed_vcf, tmp_path):
    run = annotate(mixed_vcf, "-o", tmp_path / "no" / "such" / "dir" / "out.jsonl")
    assert_no_traceback(run)
    assert run.returncode == 2
    assert "out.jsonl" in run.stderr


def test_no_partial_file_left_when_writing_fails(mixed_vcf, tmp_path, monkeypatch):
    """A crash half-way through writing leaves neither the output nor a temporary file."""
    from her2scope import cli
    from her2scope.render import records

    def exploding_writer(items, fh):
        for n, item in enumerate(items):
            fh.write(json.dumps(records.as_dict(item)) + "\n")
            if n == 1:
                raise RuntimeError("disk on fire")

    monkeypatch.setattr(records, "write_jsonl", exploding_writer)
    out = tmp_path / "out" / "result.jsonl"
    out.parent.mkdir()
    with pytest.raises(RuntimeError):
        cli.run_annotate([str(mixed_vcf)], None, None, cli.OutputFormat.jsonl, out, None)
    assert os.listdir(out.parent) == []


def test_existing_output_file_untouched_when_writing_fails(mixed_vcf, tmp_path, monkeypatch):
    from her2scope import cli
    from her2scope.render import records

    def exploding_writer(items, fh):
        fh.write("partial\n")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(records, "write_jsonl", exploding_writer)
    out = tmp_path / "result.jsonl"
    out.write_text("previous run\n")
    with pytest.raises(RuntimeError):
        cli.run_annotate([str(mixed_vcf)], None, None, cli.OutputFormat.jsonl, out, None)
    assert out.read_text() == "previous run\n"
    assert sorted(os.listdir(tmp_path)) == ["mixed.vcf", "result.jsonl"]


# --------------------------------------------------------------------------------------------
# --help and --version
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("--help",), ("annotate", "--help"), ("demo", "--help"), ("knowledge", "--help"),
    ("knowledge", "show", "--help"),
], ids=lambda a: " ".join(a))
def test_help_everywhere(args):
    run = run_cli(*args)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert "Usage" in run.stdout


def test_annotate_help_documents_the_options():
    out = run_cli("annotate", "--help").stdout
    for opt in ("--build", "--reference", "--format", "--output"):
        assert opt in out, opt


def test_version():
    run = run_cli("--version")
    assert run.returncode == 0
    assert run.stdout.startswith("her2scope ")


def test_knowledge_show():
    run = run_cli("knowledge", "show")
    assert run.returncode == 0, run.stderr
    assert "knowledge_version" in run.stdout


# --------------------------------------------------------------------------------------------
# HGVS text lines: record = the line number in the text
# --------------------------------------------------------------------------------------------

def test_hgvs_text_record_is_the_line_number():
    path = DEMO / "patient05_report_hgvs.txt"
    numbered = [(n, line.strip()) for n, line in enumerate(path.read_text().splitlines(), 1)
                if line.strip() and not line.lstrip().startswith("#")]
    run = annotate(path)
    assert_no_traceback(run)
    assert sorted(d["record"] for d in run.lines) == [n for n, _ in numbered]
    for d in run.lines:
        assert d["input"] == str(path)
    first_n, first_text = numbered[0]
    assert first_text == "NM_004448.4:c.2313_2324dup"
    [first] = [d for d in run.lines if d["record"] == first_n]
    assert (first["hgvs_c"], first["hgvs_p"], first["protein_change"]) == (
        "NM_004448.4:c.2313_2324dup", "NP_004439.2:p.(Tyr772_Ala775dup)", "p.Y772_A775dup")
    # NM_004448.3 is an unknown reference sequence: an error line, the rest still processed
    [old] = [d for d in run.lines if d["record"] == next(n for n, t in numbered if t.startswith("NM_004448.3"))]
    assert old["error"] == "unsupported_reference"
    assert run.returncode == 1


# --------------------------------------------------------------------------------------------
# MAF: the real TCGA LUAD ERBB2 rows (Oncotator spellings)
# --------------------------------------------------------------------------------------------

def _maf_rows() -> list[dict]:
    with open(MAF, newline="") as fh:
        lines = [line for line in fh if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture(scope="module")
def maf_run():
    run = annotate(MAF)
    assert_no_traceback(run)
    return run


def test_maf_every_erbb2_row_is_reported_with_its_row_number(maf_run):
    rows = _maf_rows()
    erbb2 = [(n, r) for n, r in enumerate(rows, 1) if r["Hugo_Symbol"] == "ERBB2"]
    assert maf_run.returncode == 0, maf_run.stderr
    got = maf_run.lines
    assert [d["record"] for d in got] == [n for n, _ in erbb2]
    for d, (_, row) in zip(got, erbb2):
        _check_contract_line(d)
        assert d["sample"] == row["Tumor_Sample_Barcode"]
        assert d["build"] == "GRCh37"          # NCBI_Build 37
    non_erbb2 = len(rows) - len(erbb2)
    assert f"{len(rows)} records" in maf_run.stderr
    assert f"{non_erbb2} non-ERBB2 skipped" in maf_run.stderr


def test_maf_yvma_oncotator_spelling(maf_run):
    rows = _maf_rows()
    wanted = [n for n, r in enumerate(rows, 1) if r["Protein_Change"] == "p.771_771A>AYVMA"]
    assert len(wanted) == 4        # what the bundled file holds; the program is not consulted
    got = [d for d in maf_run.lines if d["record"] in wanted]
    assert len(got) == len(wanted)
    for d in got:
        assert d["hgvs_c"] == "NM_004448.4:c.2313_2324dup"
        assert d["hgvs_p"] == "NP_004439.2:p.(Tyr772_Ala775dup)"
        assert d["protein_change"] == "p.Y772_A775dup"
        # the GRCh38 anchor 39724728 A>AGCATACGTGATG, on GRCh37
        assert (d["pos"], d["ref"], d["alt"]) == (39_724_728 - SHIFT_37_TO_38, "A", "AGCATACGTGATG")


def test_maf_g776_oncotator_spelling(maf_run):
    rows = _maf_rows()
    wanted = {n: r for n, r in enumerate(rows, 1) if r["Protein_Change"] == "p.776_776G>VC"}
    assert len(wanted) == 2
    got = {d["record"]: d for d in maf_run.lines if d["record"] in wanted}
    assert set(got) == set(wanted)
    expected_c = set()
    for n, row in wanted.items():
        d = got[n]
        # an insertion between Start and End: c.(2326+k)_(2327+k)ins<allele>
        c1 = 2326 + int(row["Start_Position"]) - G776_C2326_GRCH37
        ins = row["Tumor_Seq_Allele2"]
        expected_c.add(f"NM_004448.4:c.{c1}_{c1 + 1}ins{ins}")
        assert d["hgvs_c"] == f"NM_004448.4:c.{c1}_{c1 + 1}ins{ins}"
        assert d["protein_change"] == "p.G776delinsVC"
        assert d["hgvs_p"] == "NP_004439.2:p.(Gly776delinsValCys)"
    assert expected_c == {"NM_004448.4:c.2326_2327insTAT", "NM_004448.4:c.2326_2327insTCT"}


def test_maf_s310f(maf_run):
    rows = _maf_rows()
    wanted = [n for n, r in enumerate(rows, 1) if r["Protein_Change"] == "p.S310F"]
    assert wanted
    for d in (d for d in maf_run.lines if d["record"] in wanted):
        assert (d["hgvs_c"], d["protein_change"]) == ("NM_004448.4:c.929C>T", "p.S310F")
        assert (d["pos"], d["ref"], d["alt"]) == (37_868_208, "C", "T")


def test_maf_depth_and_vaf_kept(maf_run):
    rows = _maf_rows()
    for d in maf_run.lines:
        row = rows[d["record"] - 1]
        assert d["depth"] == int(row["t_depth"])
        assert d["vaf"] == pytest.approx(float(row["t_vaf"]))


def test_maf_windows_line_endings(tmp_path, maf_run):
    crlf = tmp_path / "crlf.maf"
    crlf.write_bytes(MAF.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    run = annotate(crlf)
    assert run.returncode == 0, run.stderr
    keep = ("record", "sample", "pos", "ref", "alt", "hgvs_c", "hgvs_p", "protein_change", "depth", "vaf")
    assert [[d[k] for k in keep] for d in run.lines] == [[d[k] for k in keep] for d in maf_run.lines]
