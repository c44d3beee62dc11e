"""Other NSCLC drivers (VEP CSQ of KRAS, EGFR ...) are read from a BCF as from its VCF.

Found in the final review: ``readers.rows.read_rows`` gave no rows for BCF, so a VEP-annotated
BCF silently yielded no records of other genes (the case report then had no co-occurring
driver to flag), while the same calls as VCF gave KRAS G12C ...
"""

from __future__ import annotations

import pysam

from her2scope.readers.base import FileSummary
from her2scope.readers.gene_records import read_gene_records

from conftest import rec, write_vcf

CSQ = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
       'Format: Allele|Consequence|SYMBOL|Feature|HGVSc|HGVSp">')


def test_vep_records_of_a_bcf_match_its_vcf(tmp_path):
    src = write_vcf(tmp_path, "vep.vcf", [
        rec("chr12", 25245350, ".", "C", "A", 50, "PASS",
            "CSQ=A|missense_variant|KRAS|ENST00000256078.10|c.34G>T|ENSP00000256078.5:p.(Gly12Cys)"),
        rec("chr12", 25227344, ".", "G", "A", 50, "PASS",
            "CSQ=A|stop_gained|KRAS|ENST00000256078.10|c.1C>T|ENSP00000256078.5:p.Gln61Ter"),
    ], extra_header=(CSQ,))
    bcf = tmp_path / "vep.bcf"
    with pysam.VariantFile(str(src)) as vin, pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
        for r in vin:
            vout.write(r)
    summary = FileSummary("vep.bcf")
    got = [(r.gene, r.variant_class, r.protein_change, r.chrom, r.start, r.build, r.where)
           for r in read_gene_records(str(bcf), summary)]
    assert got == [("KRAS", "Missense_Mutation", "p.G12C", "12", 25245350, "GRCh38", "vep.bcf record 1"),
                   ("KRAS", "Nonsense_Mutation", "p.Q61*", "12", 25227344, "GRCh38", "vep.bcf record 2")]
    assert summary.format == "BCF" and summary.records == 2
