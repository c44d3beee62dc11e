"""readers.sample_names: the samples a file names, read without annotating it."""

from __future__ import annotations

import gzip
import random

import pysam
import pytest

from her2scope.errors import CorruptFileError, EmptyInputError, Her2scopeError
from her2scope.readers import sample_names

from conftest import rec, vcf_text, write_vcf

S310F = rec("chr17", 39711955, ".", "C", "T", 50, "PASS", "DP=80", "GT:AD", "0/1:40,40", "0/0:60,0")


def test_vcf_samples_in_column_order(tmp_path):
    path = write_vcf(tmp_path, "a.vcf", [S310F], samples=("TUMOR", "NORMAL"))
    assert sample_names(str(path)) == ("TUMOR", "NORMAL")


def test_sites_only_vcf_has_no_samples(tmp_path):
    path = write_vcf(tmp_path, "s.vcf", [rec("chr17", 39711955, ".", "C", "T", 50, "PASS", ".")])
    assert sample_names(str(path)) == ()


def test_gzip_vcf_reads_only_the_header(tmp_path):
    # The data after the header is truncated: the names are still known from the header.
    rng = random.Random(1)
    body = [rec("chr1", 1000 + i, ".", "A", rng.choice("CGT"), 50, "PASS", ".", "GT", "0/1", "0/0")
            for i in range(5000)]
    whole = gzip.compress(vcf_text(body, samples=("T1", "N1")).encode())
    path = tmp_path / "t.vcf.gz"
    path.write_bytes(whole[: len(whole) // 2])   # truncated mid-data
    assert sample_names(str(path)) == ("T1", "N1")


def test_bcf_samples(tmp_path):
    src = write_vcf(tmp_path, "b.vcf", [S310F], samples=("TUMOR", "NORMAL"))
    bcf = tmp_path / "b.bcf"
    with pysam.VariantFile(str(src)) as vin, pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
        for r in vin:
            vout.write(r)
    assert sample_names(str(bcf)) == ("TUMOR", "NORMAL")


def test_maf_barcodes_of_every_row_once(tmp_path):
    cols = ["Hugo_Symbol", "Chromosome", "Start_Position", "Tumor_Sample_Barcode"]
    rows = [["EGFR", "chr7", "55191822", "S2"], ["ERBB2", "chr17", "39711955", " S1 "],
            ["ERBB2", "chr17", "39711955", "S2"], ["TP53", "chr17", "7675088", '"S3"']]
    path = tmp_path / "m.maf"
    path.write_text("#version 2.4\n" + "\n".join("\t".join(r) for r in [cols] + rows) + "\n")
    # S3 has no ERBB2 row and is still a sample of the file (tested, no ERBB2 variant).
    assert sample_names(str(path)) == ("S2", "S1", "S3")


def test_hgvs_text_has_no_samples(tmp_path):
    path = tmp_path / "h.txt"
    path.write_text("NM_004448.4:c.2313_2324dup\n")
    assert sample_names(str(path)) == ()


@pytest.mark.parametrize("content, error", [(b"", EmptyInputError), (b"\x1f\x8b\x08\x00junk", CorruptFileError)])
def test_unreadable_files_raise_named_errors(tmp_path, content, error):
    path = tmp_path / "x.vcf.gz"
    path.write_bytes(content)
    with pytest.raises(error):
        sample_names(str(path))


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(Her2scopeError, match="no such file"):
        sample_names(str(tmp_path / "nope.vcf"))
