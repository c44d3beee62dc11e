"""A sample without a genotype call at an ERBB2 record (GT ``./.``, or an all-missing column) was
read as "does not carry the allele", so a tumour whose caller could not call the ERBB2 exon 20
insertion (a hotspot caller's NOCALL: too little coverage to tell) got "No activating ERBB2
mutation". The reader now keeps such no-calls; the HER2 picture gives "not assessed" (reason
code ``no_call``) instead of a negative, annotate says so on stderr (its output rows are
unchanged), and the sweep's registry step stores no negative for that sample.

Expected by hand: the record is YVMA (p.Y772_A775dup, oncogenic) at chr17:39724730 (GRCh38)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import rec, write_vcf

from her2scope.case.picture import build_picture
from her2scope.case.schema import parse_case
from her2scope.pipeline import annotate_inputs
from her2scope.readers.base import FileSummary

FORMAT = "GT:AD:DP:AF"


def _yvma(tumour: str, normal: str = "0/0:380,0:380:0") -> str:
    return rec("chr17", 39724730, ".", "C", "CATACGTGATGGC", 60, "PASS", "DP=420", FORMAT, tumour, normal)


def _mutation(tmp_path: Path, record: str, sample: str | None = "TUMOR"):
    path = write_vcf(tmp_path, "t.vcf", [record], samples=("TUMOR", "NORMAL"))
    case = parse_case({"case_id": "NOCALL", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"},
                       "ngs": [{"sample_type": "tissue", "files": [str(path)],
                                                      **({"sample": sample} if sample else {})}]})
    return build_picture(case, tmp_path).mutation


@pytest.mark.parametrize("tumour", ["./.:290,130:420:0.31", "./.:.:.:.", ".:.:.:.", "."])
def test_a_no_call_in_the_tumour_is_not_a_negative(tmp_path, tumour):
    mutation = _mutation(tmp_path, _yvma(tumour))
    assert mutation.status == "not_assessed" and mutation.reason_code == "no_call"
    assert "TUMOR" in mutation.reason and "chr17:39724730" in mutation.reason


def test_called_samples_are_unchanged(tmp_path):
    assert _mutation(tmp_path, _yvma("0/1:290,130:420:0.31")).status == "positive"
    assert _mutation(tmp_path, _yvma("0/0:420,0:420:0")).status == "negative"
    # the normal's own no-call does not touch the named tumour's negative
    assert _mutation(tmp_path, _yvma("0/0:420,0:420:0", "./.:.:.:.")).status == "negative"
    # with no sample named, every sample counts, so a no-call in any of them blocks a negative
    assert _mutation(tmp_path, _yvma("0/0:420,0:420:0", "./.:.:.:."), sample=None).status == "not_assessed"


def test_a_symbolic_copy_number_call_with_no_genotype_is_not_a_no_call(tmp_path):
    dup = rec("chr17", 39700000, ".", "N", "<DUP>", 50, "PASS", "SVTYPE=DUP;END=39800000", "GT:CN", "./.:6", "0/0:2")
    snv = _yvma("0/0:420,0:420:0")
    path = write_vcf(tmp_path, "cn.vcf", [dup, snv], samples=("TUMOR", "NORMAL"))
    summaries: list[FileSummary] = []
    list(annotate_inputs([str(path)], summaries=summaries))
    assert summaries[0].no_calls == []


def test_annotate_keeps_its_rows_and_says_it(tmp_path):
    path = write_vcf(tmp_path, "t.vcf", [_yvma("./.:290,130:420:0.31")], samples=("TUMOR", "NORMAL"))
    summaries: list[FileSummary] = []
    assert list(annotate_inputs([str(path)], summaries=summaries)) == []
    [no_call] = summaries[0].no_calls
    assert (no_call.record, no_call.sample, no_call.site) == (1, "TUMOR", "chr17:39724730 C>CATACGTGATGGC")
    assert any("has no genotype call at ERBB2" in w for w in summaries[0].warnings)


def test_a_deep_intronic_no_call_does_not_block_a_negative(tmp_path):
    """Intron 10 of NM_004448.4 on GRCh38 spans chr17:39,715,360-39,715,445 (1-based); 39,715,403
    (reference C) lies 43 bases from either exon, beyond the 20-base splice region."""
    intronic = rec("chr17", 39715403, ".", "C", "T", 60, "PASS", "DP=300", FORMAT, "./.:.:.:.", "0/1:150,150:300:0.5")
    mutation = _mutation(tmp_path, intronic)
    assert mutation.status == "negative"
    near_exon = rec("chr17", 39715361, ".", "T", "A", 60, "PASS", "DP=300", FORMAT, "./.:.:.:.", "0/0:300,0:300:0")
    path = write_vcf(tmp_path, "splice.vcf", [near_exon], samples=("TUMOR", "NORMAL"))
    summaries: list[FileSummary] = []
    list(annotate_inputs([str(path)], summaries=summaries))
    assert [c.sample for c in summaries[0].no_calls] == ["TUMOR"]      # 2 bases into the intron
