"""A MAF cell or HGVS line holding U+2028 (LINE SEPARATOR) or U+0085 (NEXT LINE) was split
in two by ``str.splitlines``: the row fell apart and every later record number shifted.  Lines
end only at LF, CR LF or CR; and the jsonl output escapes those characters so that a consumer
splitting on them still sees one record per line."""

from __future__ import annotations

import io
import json

import inprocess
from her2scope.pipeline import Options, annotate_inputs
from her2scope.render.records import write_jsonl, write_tsv

COLUMNS = ["Hugo_Symbol", "NCBI_Build", "Chromosome", "Start_Position", "End_Position",
           "Reference_Allele", "Tumor_Seq_Allele1", "Tumor_Seq_Allele2", "Tumor_Sample_Barcode"]
S310F = ["ERBB2", "GRCh38", "chr17", "39711955", "39711955", "C", "C", "T"]


def _maf(tmp_path):
    path = tmp_path / "u.maf"
    rows = [COLUMNS, S310F + ["S\u2028ONE"], S310F + ["S\x85TWO"], S310F + ["S3"]]
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_maf_rows_keep_their_numbers(tmp_path):
    run = inprocess.run(_maf(tmp_path))
    assert [(d["record"], d["sample"]) for d in run.lines] == [
        (1, "S\u2028ONE"), (2, "S\x85TWO"), (3, "S3")]


def test_hgvs_text_lines_keep_their_numbers(tmp_path):
    path = tmp_path / "h.txt"
    path.write_text("# note\u2028still the comment\nNM_004448.4:c.929C>T\n", encoding="utf-8")
    run = inprocess.run(path)
    assert [(d["record"], d["protein_change"]) for d in run.lines] == [(2, "p.S310F")]


def test_jsonl_output_has_one_record_per_line_for_any_line_splitter(tmp_path):
    out = io.StringIO()
    write_jsonl(annotate_inputs([str(_maf(tmp_path))], Options()), out)
    lines = out.getvalue().splitlines()       # splits at U+2028 and U+0085 too
    assert [json.loads(line)["sample"] for line in lines] == ["S\u2028ONE", "S\x85TWO", "S3"]


def test_tsv_output_has_one_row_per_record_for_any_line_splitter(tmp_path):
    out = io.StringIO()
    write_tsv(annotate_inputs([str(_maf(tmp_path))], Options()), out)
    rows = out.getvalue().splitlines()
    assert len(rows) == 1 + 3 and {len(r.split("\t")) for r in rows} == {len(rows[0].split("\t"))}
