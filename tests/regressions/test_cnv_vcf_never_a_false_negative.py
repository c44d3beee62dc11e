"""Amplification from a CNV VCF is 'negative' only when the file was read to its end and no
chr17 CNV record of unknown span could cover ERBB2 (issue 8's rule, applied to copy number).

Found while moving copy-number parsing into readers/: a symbolic <AMP> on chr17 before ERBB2
with neither INFO END nor SVLEN was placed at its POS only, so the file read as "no CNV record
over ERBB2" -> amplification NEGATIVE, although the call may span ERBB2 (CN 12). And the
reader's errors were dropped by the copy-number code, so a CNV VCF damaged before its ERBB2
record could also read as negative.
"""

from __future__ import annotations

import gzip

from her2scope.case.picture import build_picture
from her2scope.case.schema import parse_case

HEAD = ("##fileformat=VCFv4.2\n##reference=GRCh38\n##contig=<ID=chr17,length=83257441>\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n")


def _amplification(tmp_path, name: str):
    case = parse_case({"case_id": "CNV-1",
                       "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"},
                       "ngs": [{"sample_type": "tissue", "no_variant_reported": True,
                                "copy_number": {"vcf_file": name}}]})
    return build_picture(case, tmp_path).amplification


def test_symbolic_record_without_end_before_erbb2_is_not_a_negative(tmp_path):
    (tmp_path / "noend.vcf").write_text(HEAD + "chr17\t39000000\t.\tN\t<AMP>\t50\tPASS\tSVTYPE=AMP\tGT:CN\t./.:12\n")
    amp = _amplification(tmp_path, "noend.vcf")
    assert amp.status == "failed"
    assert "neither END nor SVLEN" in " ".join(amp.evidence) + amp.reason


def test_same_record_with_its_end_is_read(tmp_path):
    (tmp_path / "end.vcf").write_text(
        HEAD + "chr17\t39000000\t.\tN\t<AMP>\t50\tPASS\tSVTYPE=AMP;END=40500000\tGT:CN\t./.:12\n")
    assert _amplification(tmp_path, "end.vcf").status == "positive"


def test_record_without_end_after_erbb2_does_not_matter(tmp_path):
    # Starts after ERBB2's last base (GRCh38 39,728,658): it cannot cover ERBB2 whatever its span.
    (tmp_path / "after.vcf").write_text(HEAD + "chr17\t39800000\t.\tN\t<DUP>\t50\tPASS\tSVTYPE=DUP\tGT:CN\t./.:12\n")
    assert _amplification(tmp_path, "after.vcf").status == "negative"


def test_damaged_cnv_file_is_failed_not_negative(tmp_path):
    body = "".join(f"chr1\t{1_000_000 + 10 * i}\t.\tN\t<DEL>\t50\tPASS\tSVTYPE=DEL;END={1_000_005 + 10 * i}"
                   "\tGT:CN\t./.:1\n" for i in range(30_000))
    data = gzip.compress((HEAD + body + "chr17\t39700100\t.\tN\t<AMP>\t50\tPASS\tSVTYPE=AMP;END=39730000"
                          "\tGT:CN\t./.:12\n").encode())
    (tmp_path / "cut.vcf.gz").write_bytes(data[: len(data) // 2])    # the ERBB2 record is after the cut
    assert _amplification(tmp_path, "cut.vcf.gz").status == "failed"
