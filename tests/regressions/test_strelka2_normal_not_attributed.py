"""Issue 8 item 5: Strelka2 somatic VCFs (no GT) reported every call for NORMAL too, with 0
supporting reads.  A call belongs to a sample only when that sample carries the allele: its
GT when there is one, otherwise its allele counts; Strelka2's normal by the caller's own
normal genotype INFO NT.

Record layouts follow the Strelka2 somatic output (FORMAT DP:FDP:SDP:SUBDP:AU:CU:GU:TU for
SNVs, DP:DP2:TAR:TIR:TOR:DP50:FDP50:SUBDP50:BCN50 for indels, columns NORMAL then TUMOR).
VAFs are worked by hand with the Strelka2 user guide's formula: tier1 alt / (tier1 alt + tier1
ref), where tier 1 is the first of each "tier1,tier2" pair.  Positions: GRCh38 S310F
chr17:39711955 C>T, YVMA dup chr17:39724728 A>AGCATACGTGATG (bundled SOURCES.md key facts).
"""

from __future__ import annotations

import pytest

from conftest import annotate, assert_no_traceback, rec, write_vcf

SNV_FMT = "DP:FDP:SDP:SUBDP:AU:CU:GU:TU"
INDEL_FMT = "DP:DP2:TAR:TIR:TOR:DP50:FDP50:SUBDP50:BCN50"
SNV_INFO = "SOMATIC;QSS=147;TQSS=1;NT={nt};QSS_NT=147;TQSS_NT=1;SGT={sgt};DP=231;MQ=60.00;MQ0=0"
INDEL_INFO = "SOMATIC;QSI=86;TQSI=1;NT={nt};QSI_NT=86;TQSI_NT=1;SGT={sgt};MQ=60.00;MQ0=0;RU=GCATACGTGATG;RC=1;IC=2"


def _snv(normal: str, tumour: str, nt: str = "ref", sgt: str = "CC->CT") -> str:
    return rec("chr17", 39_711_955, ".", "C", "T", ".", "PASS", SNV_INFO.format(nt=nt, sgt=sgt),
               SNV_FMT, normal, tumour)


def _indel(normal: str, tumour: str, nt: str = "ref") -> str:
    return rec("chr17", 39_724_728, ".", "A", "AGCATACGTGATG", ".", "PASS",
               INDEL_INFO.format(nt=nt, sgt="ref->het"), INDEL_FMT, normal, tumour)


def _calls(tmp_path, records, samples=("NORMAL", "TUMOR")) -> list[tuple]:
    path = write_vcf(tmp_path, "strelka.vcf", records, samples=samples)
    run = annotate(path)
    assert_no_traceback(run)
    assert not run.errors, run.errors
    return [(d["sample"], d["depth"], d["vaf"], d["protein_change"]) for d in run.lines]


def test_snv_normal_with_no_reads_is_not_attributed(tmp_path):
    # NORMAL TU 0,0 ; TUMOR TU 41 of CU 101 + TU 41 -> 41/142
    got = _calls(tmp_path, [_snv("88:0:0:0:0,0:88,89:0,0:0,0", "143:1:0:0:0,0:101,103:0,0:41,42")])
    assert got == [("TUMOR", 143, 0.2887, "p.S310F")]


def test_snv_normal_with_noise_reads_and_nt_ref_is_not_attributed(tmp_path):
    # The Strelka2 documentation's own example has 3 alt reads in a normal of 95 with NT=ref:
    # the caller genotyped the normal as reference; those reads are noise, not a call.
    got = _calls(tmp_path, [_snv("95:0:0:0:0,0:92,948:0,0:3,22", "125:0:0:0:0,0:115,1197:0,0:10,48")])
    assert got == [("TUMOR", 125, round(10 / 125, 4), "p.S310F")]   # 10 / (10 + 115) = 0.08


def test_indel_normal_is_not_attributed(tmp_path):
    got = _calls(tmp_path, [_indel("74:74:73,76:0,0:1,1:75.32:0.10:0.00:0.00",
                                   "131:131:88,91:32,35:11,13:128.90:0.22:0.00:0.01")])
    assert got == [("TUMOR", 131, round(32 / 120, 4), "p.Y772_A775dup")]


def test_indel_normal_with_one_noise_read_and_nt_ref_is_not_attributed(tmp_path):
    got = _calls(tmp_path, [_indel("80:80:78,80:1,1:1,1:80.0:0.0:0.0:0.0",
                                   "120:120:90,92:30,31:0,0:120.0:0.0:0.0:0.0")])
    assert got == [("TUMOR", 120, 0.25, "p.Y772_A775dup")]          # 30 / (30 + 90)


def test_normal_genotyped_het_by_strelka_is_attributed(tmp_path):
    # NT=het: Strelka2 itself says the normal carries the allele (a germline-like call).
    got = _calls(tmp_path, [_snv("90:0:0:0:0,0:46,47:0,0:44,45", "140:0:0:0:0,0:70,71:0,0:70,70",
                                 nt="het", sgt="CT->CT")])
    assert got == [("NORMAL", 90, round(44 / 90, 4), "p.S310F"), ("TUMOR", 140, 0.5, "p.S310F")]


def test_renamed_strelka_columns_keep_the_normal_first(tmp_path):
    # bcftools reheader keeps Strelka2's column order (normal, then tumour).
    got = _calls(tmp_path, [_snv("95:0:0:0:0,0:92,948:0,0:3,22", "125:0:0:0:0,0:115,1197:0,0:10,48")],
                 samples=("P9-N", "P9-T"))
    assert [g[0] for g in got] == ["P9-T"]


def test_tumour_without_tier1_alt_reads_gets_no_call(tmp_path):
    got = _calls(tmp_path, [_snv("88:0:0:0:0,0:88,89:0,0:0,0", "90:0:0:0:0,0:90,90:0,0:0,2")])
    assert got == []


# --------------------------------------------------------------------------------------------
# The same rule for callers that write GT: 0/0, ./. and zero alt reads never carry the call
# --------------------------------------------------------------------------------------------

S310F = ("chr17", 39_711_955, ".", "C", "T", 50, "PASS", "DP=300")


@pytest.mark.parametrize("other, why", [
    ("0/0:60,0:0.0:60", "hom-ref"),
    ("./.:60,2:0.03:62", "no-call, even with a few reads"),
    (".:.:.:.", "missing"),
    ("0/1:60,0:0.016:60", "GT 0/1 but zero alt reads (Mutect2's placeholder genotype)"),
    ("0/1:0,0:.:0", "no coverage at all"),
])
def test_sample_without_the_allele_is_not_attributed(tmp_path, other, why):
    path = write_vcf(tmp_path, "gt.vcf", [rec(*S310F, "GT:AD:AF:DP", "0/1:80,40:0.333:120", other)],
                     samples=("T1", "OTHER"))
    run = annotate(path)
    assert_no_traceback(run)
    assert [(d["sample"], d["vaf"]) for d in run.lines] == [("T1", round(40 / 120, 4))], why   # AD 80,40


def test_vaf_from_allele_depths_when_no_af(tmp_path):
    path = write_vcf(tmp_path, "ad.vcf", [rec(*S310F, "GT:AD:DP", "0/1:75,25:100", "0/0:50,0:50")],
                     samples=("T1", "N1"))
    run = annotate(path)
    assert [(d["sample"], d["depth"], d["vaf"]) for d in run.lines] == [("T1", 100, 0.25)]


def test_sites_only_vcf_keeps_sample_null(tmp_path):
    path = write_vcf(tmp_path, "sites.vcf", [rec(*S310F[:7], "DP=300;AF=0.21")])
    run = annotate(path)
    assert [(d["sample"], d["depth"], d["vaf"]) for d in run.lines] == [(None, 300, 0.21)]


def test_no_genotype_and_no_counts_is_reported_with_a_warning(tmp_path):
    # Nothing says whether the sample carries the allele: never silently dropped.
    path = write_vcf(tmp_path, "bare.vcf", [rec(*S310F, "DP", "120")], samples=("S1",))
    run = annotate(path)
    assert [d["sample"] for d in run.lines] == ["S1"]
    assert "neither a genotype (GT) nor allele counts" in run.stderr


def test_copy_number_call_without_a_genotype_is_kept(tmp_path):
    # CNV callers write GT ./. for real calls: for symbolic ALTs the no-call GT says nothing,
    # and FORMAT CN shows the sample has a call.  Dropping it would read as "no amplification".
    line = rec("chr17", 39_000_000, ".", "N", "<DUP>", 50, "PASS", "SVTYPE=DUP;END=40500000", "GT:CN", "./.:12")
    path = write_vcf(tmp_path, "cnv.vcf", [line], samples=("T",))
    run = annotate(path)
    assert [(d["sample"], d["status"]) for d in run.lines] == [("T", "not_interpreted")]
    assert "neither a genotype" not in run.stderr
