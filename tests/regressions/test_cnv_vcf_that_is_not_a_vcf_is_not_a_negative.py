"""A copy-number ``vcf_file`` that is not a VCF/BCF is never an amplification negative.

Found in the final review: the CNV file was read with ``read_input``, whose content sniffing
accepts HGVS text (and MAF) too. Such a file yields no not-interpreted records, so the case
read "no CNV record over ERBB2" -> amplification NEGATIVE although no copy number was read.
"""

from __future__ import annotations

from her2scope.case.picture import build_picture
from her2scope.case.schema import parse_case


def _amplification(tmp_path, name: str):
    case = parse_case({"case_id": "CNV-2",
                       "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"},
                       "ngs": [{"sample_type": "tissue", "no_variant_reported": True,
                                "copy_number": {"vcf_file": name}}]})
    return build_picture(case, tmp_path).amplification


def test_hgvs_text_named_vcf_is_not_a_negative(tmp_path):
    (tmp_path / "cnv.vcf").write_text("NM_004448.4:c.2313_2324dup\n")
    amp = _amplification(tmp_path, "cnv.vcf")
    assert amp.status == "failed"
    assert "not as a VCF/BCF" in amp.reason


def test_real_vcf_without_erbb2_record_is_still_a_negative(tmp_path):
    (tmp_path / "cnv.vcf").write_text(
        "##fileformat=VCFv4.2\n##reference=GRCh38\n##contig=<ID=chr17,length=83257441>\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n"
        "chr17\t1000\t.\tN\t<DUP>\t50\tPASS\tEND=2000\tGT:CN\t./.:4\n")
    assert _amplification(tmp_path, "cnv.vcf").status == "negative"
