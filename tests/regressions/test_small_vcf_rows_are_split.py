"""A small VCF (data within the first 64 KiB) gave the driver check ONE row: all its records.

``readers.rows._lines`` split only the bytes read after the header chunk; when the header
read had already taken the whole file (any VCF under 64 KiB), the data lines came out as a
single "line", so the other-driver check of a case report saw one row whose INFO ran into the
next records: a VEP-annotated EGFR L858R or KRAS G12C in a small VCF was never flagged. Found
while moving the driver check's parsing into readers/ (issue 11 item 1).
"""

from __future__ import annotations

from conftest import rec, write_vcf

from her2scope.case.drivers import find_drivers
from her2scope.readers.rows import read_rows

CSQ = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
       'Format: Allele|Consequence|SYMBOL|Feature|HGVSc|HGVSp">')


def _vcf(tmp_path):
    return write_vcf(tmp_path, "small.vcf", [
        rec("chr1", 1000, ".", "A", "G", 50, "PASS", "DP=10"),
        rec("chr12", 25245350, ".", "C", "A", 50, "PASS",
            "CSQ=A|missense_variant|KRAS|ENST00000256078.10|c.34G>T|ENSP00000256078.5:p.Gly12Cys"),
        rec("chr1", 2000, ".", "A", "T", 50, "PASS", "DP=12"),
    ], extra_header=(CSQ,))


def test_every_record_of_a_small_vcf_is_a_row(tmp_path):
    rows = list(read_rows(str(_vcf(tmp_path))).rows)
    assert [(r.record, r.cells[:2], len(r.cells)) for r in rows] == [
        (1, ("chr1", "1000"), 8), (2, ("chr12", "25245350"), 8), (3, ("chr1", "2000"), 8)]


def test_the_driver_in_the_second_record_is_flagged(tmp_path):
    report = find_drivers([_vcf(tmp_path)], [])
    assert [(f.driver, f.detail) for f in report.findings] == [("KRAS", "KRAS p.G12C (small.vcf record 2)")]
