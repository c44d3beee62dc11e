"""Copy-number input read in readers/ (``readers.copy_number``) and decided in
``case.copy_number``: segment tables and CNV records of a VCF."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from her2scope.case.copy_number import call_copy_number
from her2scope.errors import InputError
from her2scope.genome.builds import Build
from her2scope.readers.base import FileSummary
from her2scope.readers.copy_number import read_cnv_records, read_segments
from her2scope.readers.vcf_info import first_sample, parse_info

_GRCH38_HEAD = ("##fileformat=VCFv4.2\n##reference=GRCh38\n"
                "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n")


def test_segments_name_their_value_column_and_line(tmp_path):
    path = tmp_path / "seg.tsv"
    path.write_text("Chrom\tStart\tEnd\tSeg.Mean\n1\t10\t20\tx\n\n17\t39600000\t39800000\t1.5\n")
    segs = list(read_segments(path))
    assert [(s.line, s.chrom, s.start, s.end, s.log2) for s in segs] == [
        (2, "1", 10, 20, True), (4, "17", 39600000, 39800000, True)]
    assert segs[1].number() == 1.5
    with pytest.raises(InputError, match=r"seg.tsv line 2: 'x' is not a number"):
        segs[0].number()          # a bad value is an error only when that segment is used


@pytest.mark.parametrize("text,message", [("", "the segment file is empty"),
                                          ("chrom\tstart\tend\tdepth\n", "line 1: need a copy_number or log2 column"),
                                          ("chrom\tstart\tend\tcn\n17\tx\t3\t4\n", "line 2: expected chrom, start, end")])
def test_segment_file_errors_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "s.tsv"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        list(read_segments(path))


def test_cnv_records_prefer_the_sample_cn_to_info_cn(tmp_path):
    path = tmp_path / "cnv.vcf"
    path.write_text(_GRCH38_HEAD
                    + "chr17\t39000000\t.\tN\t<DUP>\t50\tPASS\tSVTYPE=DUP;END=40500000;CN=3\tGT:CN\t./.:12\n"
                    + "chr17\t39700000\t.\tN\t<AMP>\t50\tPASS\tSVTYPE=AMP;END=39800000;CN=7\tGT\t./.\n")
    summary = FileSummary(str(path))
    got = [(r.record, r.chrom, r.pos, r.end, r.alt, r.cn) for r in read_cnv_records(str(path), None, summary)]
    assert got == [(1, "chr17", "39000000", "40500000", "<DUP>", "12"), (2, "chr17", "39700000", "39800000", "<AMP>", "7")]
    assert summary.build == "GRCh38"


def test_info_and_sample_fields():
    assert parse_info("DP=10;SOMATIC;CSQ=a|b") == {"DP": "10", "SOMATIC": "", "CSQ": "a|b"}
    assert parse_info(".") == {}
    assert first_sample(["17", "1", ".", "A", "G", ".", ".", ".", "GT:CN:CN", "0/1:4:5"]) == {"GT": "0/1", "CN": "4"}
    assert first_sample(["17", "1", ".", "A", "G", ".", ".", "."]) == {}
    assert first_sample(["17", "1", ".", "A", "G", ".", ".", ".", "GT:CN", "0/1"]) == {"GT": "0/1"}


def _spec(**kw) -> SimpleNamespace:
    fields = dict(lab_call=None, cbioportal_discrete=None, copy_number=None, fold_change=None,
                  segment_file=None, vcf_file=None)
    return SimpleNamespace(**{**fields, **kw})


def test_case_calls_from_the_read_values(tmp_path):
    grch38 = SimpleNamespace(build=Build.GRCh38)
    (tmp_path / "log2.tsv").write_text("chrom\tstart\tend\tlog2\n17\t39600000\t39800000\t1.5\n")
    call = call_copy_number(_spec(segment_file="log2.tsv"), tmp_path, grch38)
    # 2 x 2^1.5 = 5.657 copies, rounded to 5.66: at least 4, below 6: equivocal.
    assert (call.status, call.value) == ("equivocal", 5.66)
    assert call.evidence.startswith("segment 17:39600000-39800000 (GRCh38)")
    (tmp_path / "neg.tsv").write_text("chrom\tstart\tend\tcopy_number\nchr17\t39600000\t39800000\t-1\n")
    with pytest.raises(InputError, match=r"neg.tsv line 2: a negative copy number \(-1\)"):
        call_copy_number(_spec(segment_file="neg.tsv"), tmp_path, grch38)
    (tmp_path / "inf.vcf").write_text(_GRCH38_HEAD + "chr17\t39700000\t.\tN\t<AMP>\t50\tPASS\tEND=39800000;CN=inf\tGT\t./.\n")
    with pytest.raises(InputError, match=r"inf.vcf record 1: CN: 'inf' is not a finite number"):
        call_copy_number(_spec(vcf_file="inf.vcf"), tmp_path, SimpleNamespace(build=None))
