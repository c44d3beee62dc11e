"""HGVS text holding a number of thousands of digits (``NM_004448.4:c.2313_2324dup999...``,
a MAF protein column, a VEP CSQ HGVSp) ended in a ValueError traceback: Python will not turn
a string of more than 4,300 digits into a number.  Such text is now a record error (input
lines, MAF rows) or, for a caller's own annotation, left out; the rest is processed."""

from __future__ import annotations

import inprocess
from conftest import rec, write_vcf

BIG = "9" * 5000


def test_hgvs_text_lines(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("\n".join([f"NM_004448.4:c.2313_2324dup{BIG}", f"ERBB2:p.S{BIG}F",
                               f"NC_000017.11:g.{BIG}C>T", "NM_004448.4:c.929C>T"]) + "\n")
    run = inprocess.run(path)
    assert [(d["record"], d.get("error"), d.get("protein_change")) for d in run.lines] == [
        (1, "malformed_record", None), (2, "malformed_record", None), (3, "malformed_record", None),
        (4, None, "p.S310F")]
    assert "5,000 digits" in run.lines[0]["message"]


def test_maf_protein_column(tmp_path):
    path = tmp_path / "p.maf"
    cols = ["Hugo_Symbol", "NCBI_Build", "Tumor_Sample_Barcode", "HGVSp_Short"]
    rows = [["ERBB2", "GRCh38", "S1", f"p.S{BIG}F"], ["ERBB2", "GRCh38", "S2", "p.S310F"]]
    path.write_text("\n".join("\t".join(r) for r in [cols] + rows) + "\n")
    run = inprocess.run(path)
    assert [(d["sample"] if "sample" in d else d["record"], d.get("error") or d["protein_change"])
            for d in run.lines] == [(1, "malformed_record"), ("S2", "p.S310F")]


def test_vep_csq_with_a_huge_number_is_left_out(tmp_path):
    head = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
            'Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Feature|HGVSc|HGVSp">')
    csq = f"T|missense_variant|MODERATE|ERBB2|NM_004448.4|NM_004448.4:c.929C>T|NP_004439.2:p.Ser{BIG}Phe"
    path = write_vcf(tmp_path, "csq.vcf", [rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", f"CSQ={csq}")],
                     extra_header=(head,))
    run = inprocess.run(path)
    assert [(d["protein_change"], d["caller_annotations"]) for d in run.lines] == [("p.S310F", [])]
