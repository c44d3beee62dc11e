"""Issue 8 item 5: files written the way real pipelines write them are attributed to the right
sample, with the allele fraction from the caller's read counts, and named correctly.

The files in tests/data/callers/ follow each caller's documented FORMAT fields (header lines as
the callers emit them); each carries one real ERBB2 variant.  Expected values are worked out
by hand from the file's own numbers, never from the program:

- Mutect2 (GATK 4.2, tumour-normal): normal GT 0/0 -> no call; tumour AD 104,36 -> 36/140 = 0.2571
  (from the counts, as vcf2maf and the GDC do; Mutect2's own AF 0.262 is a model estimate).
- Strelka2 somatic SNVs (no GT): VAF = tier1 {ALT}U / ({ALT}U + {REF}U) (Strelka2 user guide,
  "Somatic variant allele frequencies"): REF C, ALT T, tumour TU 41, CU 101 -> 41/142 = 0.2887.
- Strelka2 somatic indels: tier1 TIR / (TIR + TAR) = 32 / (32 + 88) = 0.2667.
- VarDict paired: tumour AF 0.2567 (= VD/DP = 48/187); normal GT 0/0 -> no call.
  The insertion is written right-shifted (37880983 C>CATACGTGATGGC), as VarDict may.
- DRAGEN tumour-only: AD 402,97 -> 97/499 = 0.1944.
- Ion Torrent Variant Caller: AF 0.331 (= FAO/FDP = 662/2000); the L755S hotspot row is a
  no-call (GT ./.) and must not be reported as a call.
- GDC masked somatic MAF: t_alt_count / t_depth = 44/173 = 0.2543.

Names: GRCh38 chr17:39724728 A>AGCATACGTGATG = GRCh37 37880981 (= 37880983 C>CATACGTGATGGC
shifted) = NM_004448.4:c.2313_2324dup p.(Tyr772_Ala775dup); GRCh38 39711955 / GRCh37 37868208
C>T = c.929C>T p.(Ser310Phe) (the bundled SOURCES.md key positions; GRCh38 = GRCh37 + 1,843,747).
"""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest

import inprocess
from conftest import annotate, assert_no_traceback, rec, write_vcf

DATA = Path(__file__).resolve().parents[1] / "data" / "callers"

YVMA = ("NM_004448.4:c.2313_2324dup", "NP_004439.2:p.(Tyr772_Ala775dup)", "p.Y772_A775dup")
S310F = ("NM_004448.4:c.929C>T", "NP_004439.2:p.(Ser310Phe)", "p.S310F")

# file, build, [(sample, genotype, depth, vaf)], names
CASES = {
    "mutect2_tn_yvma_grch38.vcf": ("GRCh38", [("LUNG01_TUMOR", "0/1", 140, round(36 / 140, 4))], YVMA),
    "strelka2_somatic_snvs_s310f_grch38.vcf": ("GRCh38", [("TUMOR", None, 143, round(41 / 142, 4))], S310F),
    "strelka2_somatic_indels_yvma_grch38.vcf": ("GRCh38", [("TUMOR", None, 131, round(32 / 120, 4))], YVMA),
    "vardict_paired_yvma_grch37.vcf": ("GRCh37", [("P7_TUMOUR", "0/1", 187, 0.2567)], YVMA),
    "dragen_tumour_only_s310f_grch38.vcf": ("GRCh38", [("L0042-T", "0/1", 499, round(97 / 499, 4))], S310F),
    "iontorrent_tvc_s310f_grch37.vcf": ("GRCh37", [("OCAv3_S12", "0/1", 2001, 0.331)], S310F),
    "gdc_masked_somatic_yvma_grch38.maf": ("GRCh38", [("TCGA-ZZ-A001-01A-11D-A99X-08", None, 173,
                                                       round(44 / 173, 4))], YVMA),
}
NORMALS = {"mutect2_tn_yvma_grch38.vcf": "LUNG01_NORMAL", "vardict_paired_yvma_grch37.vcf": "P7_NORMAL",
           "strelka2_somatic_snvs_s310f_grch38.vcf": "NORMAL",
           "strelka2_somatic_indels_yvma_grch38.vcf": "NORMAL"}


@pytest.fixture(scope="module")
def run():
    """All pipeline files in one batch, as a lab would run them."""
    result = annotate(*(DATA / name for name in CASES))
    assert_no_traceback(result)
    return result


@pytest.mark.parametrize("name", sorted(CASES))
def test_pipeline_file_attributed_named_and_vaf(run, name):
    build, calls, (hgvs_c, hgvs_p, short) = CASES[name]
    lines = [d for d in run.lines if d["input"] == str(DATA / name)]
    assert not [d for d in lines if "error" in d], lines
    got = [(d["sample"], d["genotype"], d["depth"], d["vaf"]) for d in lines]
    assert got == calls
    for d in lines:
        assert d["build"] == build
        assert (d["hgvs_c"], d["hgvs_p"], d["protein_change"]) == (hgvs_c, hgvs_p, short)
        assert d["record"] == 1
        assert d["oncogenicity"] in ("oncogenic", "likely_oncogenic")


@pytest.mark.parametrize("name", sorted(NORMALS))
def test_matched_normal_without_the_allele_gets_no_call(run, name):
    samples = {d["sample"] for d in run.lines if d["input"] == str(DATA / name)}
    assert NORMALS[name] not in samples


def test_ion_torrent_hotspot_no_call_is_not_a_call(run):
    lines = [d for d in run.lines if d["input"] == str(DATA / "iontorrent_tvc_s310f_grch37.vcf")]
    assert [d["record"] for d in lines] == [1]          # record 2 (L755S, GT ./.) gives nothing
    assert "2 records, 2 ERBB2" in run.stderr           # ... but was read and counted
    assert run.returncode == 0


KEYS = ("record", "sample", "genotype", "depth", "vaf", "hgvs_c", "protein_change", "build", "error")


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.endswith(".vcf")))
def test_bgzipped_indexed_and_bcf_copies_read_the_same(tmp_path, name):
    """As pipelines ship them: bgzip + tabix, and BCF with a CSI index (pysam = htslib)."""
    source = DATA / name
    gz = tmp_path / (name + ".gz")
    pysam.tabix_compress(str(source), str(gz), force=True)
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    bcf = tmp_path / (source.stem + ".bcf")
    with pysam.VariantFile(str(source)) as vin, pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
        for record in vin:
            vout.write(record)
    pysam.tabix_index(str(bcf), preset="bcf", csi=True, force=True)
    plain = [tuple(d.get(k) for k in KEYS) for d in inprocess.run(source).lines]
    assert plain and all(row[-1] is None for row in plain)
    for copy in (gz, bcf):
        assert [tuple(d.get(k) for k in KEYS) for d in inprocess.run(copy).lines] == plain, copy.name


def test_manta_somatic_structural_call_is_not_attributed_to_the_normal(tmp_path):
    """Manta somatic SVs (the SV half of the Strelka2 workflow) carry no GT: PR and SR are
    "ref,alt" read counts per sample.  The normal has no alt read, the tumour 14 + 9 of 60."""
    line = rec("chr17", 39_700_000, "MantaDUP:TANDEM:1:2:3:0:0:0", "G", "<DUP:TANDEM>", ".", "PASS",
               "END=39730000;SVTYPE=DUP;SVLEN=30000;SOMATIC;SOMATICSCORE=60", "PR:SR",
               "30,0:25,0", "21,14:16,9")
    path = write_vcf(tmp_path, "manta.vcf", [line], samples=("NORMAL", "TUMOR"))
    run = inprocess.run(path)
    assert [(d["sample"], d["status"], d["vaf"]) for d in run.lines] == [
        ("TUMOR", "not_interpreted", round(23 / 60, 4))]
