"""``readers.detect_format``: the one content sniffer, on each kind of input.

Expectations come from the formats' definitions, not from the code:
- VCFv4.x spec 1.1: the first line of a VCF is the mandatory ``##fileformat=VCFvX.Y``.
- BCFv2.2 spec 6: a BCF is a BGZF stream whose inflated content starts with ``BCF\\2\\2``.
- GDC MAF spec: optional ``#`` comment lines (``#version 2.4``), then a tab-separated header
  whose first column is ``Hugo_Symbol``.
- Gzip (RFC 1952) and BGZF are containers: the format is the one of the inflated content.
- Anything else that is text is HGVS text (one expression per line; the line reader judges
  each line). An empty file, blank lines, a VCF body without its ``##fileformat`` line,
  binary bytes and a gzip stream that cannot be inflated are no format at all, each with the
  named error the engine raises for it.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pysam
import pytest

from her2scope.errors import CorruptFileError, EmptyInputError, MalformedRecordError
from her2scope.readers import InputFormat, detect_format
from her2scope.readers.base import FileSummary
from her2scope.readers.dispatch import read_file

CALLERS = Path(__file__).parent / "data" / "callers"
VCF = CALLERS / "mutect2_tn_yvma_grch38.vcf"
MAF = CALLERS / "gdc_masked_somatic_yvma_grch38.maf"
# A copy-number VCF (VCFv4.3 spec 5.3/5.4: symbolic <DUP> allele, SVTYPE and END in INFO); by
# content it is a VCF like any other: the copy-number reader reads the same format.
CNV_VCF = ("##fileformat=VCFv4.2\n"
           "##contig=<ID=chr17,length=83257441>\n"
           "##ALT=<ID=DUP,Description=\"Duplication\">\n"
           "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type\">\n"
           "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n"
           "##FORMAT=<ID=CN,Number=1,Type=Integer,Description=\"Copy number\">\n"
           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n"
           "chr17\t39687914\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=39730426\tCN\t12\n")
HGVS_TEXT = "NM_004448.4:c.2313_2324dup\nERBB2 p.S310F\n"
LETTER = "Dear Dr Smith,\nHER2: negative\nKind regards\n"


def _write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def _gzip(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(gzip.compress(data))
    return str(path)


@pytest.mark.parametrize("make,expected", [
    (lambda t: str(VCF), InputFormat.VCF),
    (lambda t: _gzip(t, "x.vcf.gz", VCF.read_bytes()), InputFormat.VCF),
    (lambda t: _write(t, "cnv.vcf", CNV_VCF), InputFormat.VCF),
    (lambda t: str(MAF), InputFormat.MAF),
    (lambda t: _gzip(t, "x.maf.gz", MAF.read_bytes()), InputFormat.MAF),
    (lambda t: _write(t, "x.maf", "#version 2.4\n#comment\nHugo_Symbol\tEntrez_Gene_Id\nERBB2\t2064\n"),
     InputFormat.MAF),
    (lambda t: _write(t, "x.txt", HGVS_TEXT), InputFormat.HGVS),
    (lambda t: _gzip(t, "x.txt.gz", HGVS_TEXT.encode()), InputFormat.HGVS),
    # Text that is none of the tabular formats is read as HGVS text; whether any line is a
    # variant is the line reader's question (and the web's refusal), not the sniffer's.
    (lambda t: _write(t, "letter.txt", LETTER), InputFormat.HGVS),
    # Named .vcf but a MAF by content: the name never decides.
    (lambda t: _write(t, "misnamed.vcf", MAF.read_bytes()), InputFormat.MAF),
], ids=["vcf", "vcf_gz", "cnv_vcf", "maf", "maf_gz", "maf_version_comment", "hgvs_text",
        "hgvs_text_gz", "junk_text", "maf_named_vcf"])
def test_format_by_content(tmp_path, make, expected):
    found = detect_format(make(tmp_path))
    assert found.format is expected
    assert found.require("x") is expected


def test_bgzf_vcf_and_bcf(tmp_path):
    bgzf = tmp_path / "x.vcf.gz"
    pysam.tabix_compress(str(VCF), str(bgzf))
    assert bgzf.read_bytes()[:4] == b"\x1f\x8b\x08\x04"      # BGZF: gzip with the FEXTRA flag
    assert detect_format(str(bgzf)).format is InputFormat.VCF
    bcf = tmp_path / "x.bcf"
    with pysam.VariantFile(str(VCF)) as vin, pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
        for rec in vin:
            vout.write(rec)
    assert detect_format(str(bcf)).format is InputFormat.BCF
    assert detect_format(str(bcf)).format.label == "BCF"


@pytest.mark.parametrize("content,error,reason", [
    (b"", EmptyInputError, "the file is empty"),
    (b"\n  \r\n\t\n", EmptyInputError, "the file is empty (blank lines only)"),
    (b"\x00\x01\x02\x03" * 100, MalformedRecordError, "binary content that is not VCF, BCF or MAF"),
    (b"%PDF-1.7\n\x00\x00obj", MalformedRecordError, "binary content that is not VCF, BCF or MAF"),
    (b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr17\t1\t.\tA\tT\t.\t.\t.\n", MalformedRecordError,
     "VCF without the ##fileformat line"),
    (b"\x1f\x8b\x08\x00garbage", CorruptFileError, "compressed data that cannot be decompressed"),
], ids=["empty", "blank_lines", "binary", "binary_after_text", "vcf_without_fileformat", "damaged_gzip"])
def test_what_no_reader_reads(tmp_path, content, error, reason):
    found = detect_format(_write(tmp_path, "in.vcf", content))
    assert found.format is None
    assert found.reason == reason
    with pytest.raises(error, match="^upload.vcf: "):
        found.require("upload.vcf")


def test_blank_head_then_text_is_not_blank(tmp_path):
    """Blank for longer than the sniffed head, then an expression: not an empty file."""
    path = _write(tmp_path, "x.txt", "\n" * 70_000 + "ERBB2 p.S310F\n")
    assert detect_format(path).format is InputFormat.HGVS


def test_truncated_gzip_text_keeps_its_format(tmp_path):
    """Gzip cut after the first lines: the lines before the damage say what it is (the HGVS
    reader then reports the damage after reading them)."""
    data = gzip.compress((HGVS_TEXT * 2000).encode())
    path = _write(tmp_path, "x.txt.gz", data[: len(data) // 2])
    assert detect_format(path).format is InputFormat.HGVS


def test_same_answer_as_the_engine(tmp_path):
    """The engine reads what the sniffer names: the summary's format is the detected one."""
    for path in (str(VCF), str(MAF), _write(tmp_path, "x.txt", HGVS_TEXT)):
        summary = FileSummary(path)
        list(read_file(path, None, summary))
        assert summary.format == detect_format(path).format.value

