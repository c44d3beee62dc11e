"""A record with thousands of ALT alleles (a damaged or hostile file) took minutes: every
sample field (AD, AF ...) and every VEP CSQ entry was parsed again for each ALT, so the work
grew with the square of the ALT count (4,000 ALTs: 46 s).  Fields are now parsed once per
record."""

from __future__ import annotations

import signal

import inprocess
from conftest import rec, write_vcf

CSQ_HEAD = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
            'Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Feature|HGVSc|HGVSp">')


def _hung(signum, frame):
    raise TimeoutError("annotating one record with 20,001 ALT alleles did not finish in 120 s")


def test_twenty_thousand_alt_alleles_do_not_hang(tmp_path):
    n = 20_001
    alts = ",".join(["T", "A", "G"] * (n // 3))
    ad = "90,10," + ",".join(["0"] * (n - 1))     # ALT 1 carries 10 of 100 reads
    af = ",".join(["0.1"] * n)
    csq = ",".join(["T|missense_variant|MODERATE|ERBB2|NM_004448.4|NM_004448.4:c.929C>T|"
                    "NP_004439.2:p.Ser310Phe"] * n)
    # S310F (GRCh38 chr17:39711955 C>T) is ALT 1; the tumour's GT names only ALT 1.
    line = rec("chr17", 39_711_955, ".", "C", alts, 50, "PASS", f"DP=100;CSQ={csq}", "GT:AD:AF:DP",
               f"0/1:{ad}:{af}:100", f"0/0:{ad}:{af}:100")
    path = write_vcf(tmp_path, "alts.vcf", [line], samples=("T", "N"), extra_header=(CSQ_HEAD,))
    # A hang guard, not a speed test (speed is measured in benchmarks/): the quadratic version
    # took minutes here; a linear one finishes long before the alarm.
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(120)
    try:
        run = inprocess.run(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [(d["sample"], d["protein_change"], d["vaf"]) for d in run.lines] == [("T", "p.S310F", 0.1)]
    assert run.lines[0]["caller_annotations"][0]["hgvs_p"] == "NP_004439.2:p.Ser310Phe"
