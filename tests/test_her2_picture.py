"""The HER2 picture of each demo patient: three dimensions, never merged."""

import pytest

from her2scope.case.schema import parse_case
from her2scope.report.model import make_report, report_for

from report_helpers import CASES, YVMA_VCF, report

EXPECTED = {
    "case01_yvma_after_one_line": ("positive", "not_tested", "negative"),
    "case02_s310f": ("positive", "not_tested", "not_tested"),
    "case03_amplification_no_mutation": ("negative", "positive", "equivocal"),
    "case04_ihc3_no_mutation": ("negative", "not_tested", "positive"),
    "case05_plasma_not_detected": ("not_detected", "not_tested", "not_tested"),
    "case06_egfr_co_driver": ("positive", "not_tested", "not_tested"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_demo_patient_picture(name):
    rep = make_report(CASES / f"{name}.yaml")
    pic = rep.picture
    assert (pic.mutation.status, pic.amplification.status, pic.expression.status) == EXPECTED[name]
    assert rep.knowledge["variants"] and rep.knowledge["next_steps"] and rep.knowledge["trials"]


def test_yvma_patient_variant_and_summary():
    rep = make_report(CASES / "case01_yvma_after_one_line.yaml")
    assert [v.protein_change for v in rep.picture.activating] == ["p.Y772_A775dup"]
    assert "p.Y772_A775dup" in rep.headline()
    assert "Activating ERBB2 mutation" in rep.headline() and "HER2 IHC 1+" in rep.headline()


def test_plasma_not_detected_is_not_negative_and_triggers_reflex_tissue():
    rep = make_report(CASES / "case05_plasma_not_detected.yaml")
    assert rep.picture.mutation.status == "not_detected"
    assert "not negative" in rep.picture.mutation.summary
    assert [s.step_id for s in rep.steps.steps] == ["reflex_tissue_after_negative_plasma"]


def _plasma_and_tissue(tissue_file: str, plasma_first: bool):
    """One patient, two NGS tests: a plasma panel that finds no ERBB2 variant and a tissue panel."""
    plasma = {"sample_type": "plasma", "assay": "plasma ctDNA panel", "files": ["plasma_no_erbb2_grch37.vcf"]}
    tissue = {"sample_type": "tissue", "assay": "tissue panel", "files": [tissue_file]}
    data = {"case_id": "T2", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US",
                                          "prior_lines": 0},
            "ngs": [plasma, tissue] if plasma_first else [tissue, plasma]}
    return report_for(parse_case(data), CASES)


@pytest.mark.parametrize("plasma_first", [True, False])
def test_plasma_and_tissue_positive_tissue_wins_over_plasma_negative(plasma_first):
    rep = _plasma_and_tissue(YVMA_VCF, plasma_first)
    # Each test keeps its own verdict: plasma "not detected" (never "negative"), tissue positive.
    assert sorted((t.test, t.status.value) for t in rep.picture.tests) == [
        ("plasma ctDNA panel on plasma", "not_detected"), ("tissue panel on tissue", "positive")]
    # The combined mutation status is the tissue positive, whatever the order of the tests.
    assert rep.picture.mutation.status == "positive"
    assert [v.protein_change for v in rep.picture.activating] == ["p.Y772_A775dup"]
    assert "(tissue)" in rep.picture.mutation.summary
    assert not rep.picture.plasma_only_negative
    assert "reflex_tissue_after_negative_plasma" not in [s.step_id for s in rep.steps.steps]


@pytest.mark.parametrize("plasma_first", [True, False])
def test_plasma_not_detected_and_tissue_negative_is_negative(plasma_first):
    rep = _plasma_and_tissue("tissue_no_erbb2_grch37.vcf", plasma_first)
    assert rep.picture.mutation.status == "negative"
    assert not rep.picture.plasma_only_negative


def test_co_driver_is_listed():
    rep = make_report(CASES / "case06_egfr_co_driver.yaml")
    assert [f.driver for f in rep.drivers.findings] == ["EGFR"]
    assert "L858R" in rep.drivers.findings[0].detail
    assert "EGFR" in rep.headline()


def test_amplification_without_mutation_is_not_called_a_mutation():
    rep = make_report(CASES / "case03_amplification_no_mutation.yaml")
    assert rep.picture.mutation.status == "negative"
    assert not rep.picture.activating
    assert all(o.verdict != "on_label" for o in rep.steps.options)
    tiers = {t.framework: t.tier for t in rep.steps.tiers}
    assert tiers["amp_asco_cap"] == "Tier II, Level C"


def test_ish_thresholds():
    assert report(files=None, ish={"her2_cep17_ratio": 2.0}).picture.amplification.status == "positive"
    assert report(files=None, ish={"her2_cep17_ratio": 1.4, "mean_her2_copies": 4.5}).picture.amplification.status == "equivocal"
    assert report(files=None, ish={"her2_cep17_ratio": 1.1, "mean_her2_copies": 2.1}).picture.amplification.status == "negative"


@pytest.mark.parametrize("cn,status", [({"copy_number": 8}, "positive"), ({"copy_number": 4.5}, "equivocal"),
                                        ({"copy_number": 2}, "negative"), ({"cbioportal_discrete": 2}, "positive"),
                                        ({"fold_change": 1.3}, "negative"), ({"lab_call": "amplified"}, "positive")])
def test_copy_number_forms(cn, status):
    assert report(copy_number=cn).picture.amplification.status == status


def test_no_ngs_is_not_tested_and_ihc_alone_triggers_broad_ngs():
    rep = report(files=None, ihc="3+")
    assert rep.picture.mutation.status == "not_tested"
    steps = [s.step_id for s in rep.steps.steps]
    assert "broad_ngs_before_first_line" in steps
    assert "IHC/ISH alone" in next(s.why for s in rep.steps.steps if s.step_id == "broad_ngs_before_first_line")


def _cnv_case(tmp_path, spec, build=None):
    from her2scope.case.schema import parse_case
    from her2scope.report.model import report_for

    ngs = {"sample_type": "tissue", "copy_number": spec}
    if build:
        ngs["build"] = build
    case = parse_case({"case_id": "CN1", "clinical": {"histology": "adenocarcinoma", "stage": "IV",
                                                       "region": "US"}, "ngs": [ngs]})
    return report_for(case, tmp_path).picture


def test_cnv_vcf_is_read_with_the_engines_reader_and_build_rules(tmp_path):
    head = "##fileformat=VCFv4.2\n{ref}#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n"
    rec = "chr17\t39000000\t.\tN\t<DUP>\t50\tPASS\tSVTYPE=DUP;END=40500000\tGT:CN\t./.:12\n"
    (tmp_path / "cnv.vcf").write_text(head.format(ref="##reference=GRCh38\n") + rec)
    (tmp_path / "nobuild.vcf").write_text(head.format(ref="") + rec)
    pic = _cnv_case(tmp_path, {"vcf_file": "cnv.vcf"})
    assert pic.amplification.status == "positive" and pic.copy_number.value == 12
    unknown = _cnv_case(tmp_path, {"vcf_file": "nobuild.vcf"})
    assert unknown.amplification.status == "failed"                 # never a guessed build
    assert "genome build is not stated" in unknown.copy_number.evidence


def test_segment_file_needs_a_stated_build(tmp_path):
    (tmp_path / "seg.tsv").write_text("chrom\tstart\tend\tcopy_number\n17\t39600000\t39800000\t8\n")
    assert _cnv_case(tmp_path, {"segment_file": "seg.tsv"}).amplification.status == "failed"
    assert _cnv_case(tmp_path, {"segment_file": "seg.tsv"}, build="GRCh38").amplification.status == "positive"
    # The same segment is not over ERBB2 on GRCh37 (ERBB2 is at 37.85 Mb there): the segments
    # did not measure ERBB2, which is "not assessed", never "no amplification".
    grch37 = _cnv_case(tmp_path, {"segment_file": "seg.tsv"}, build="GRCh37").amplification
    assert grch37.status == "not_assessed" and "no segment over ERBB2" in grch37.reason


def test_status_vocabulary_is_an_enum_of_the_stored_strings():
    import json

    from her2scope.case.picture import TESTED_STATUSES, Status

    assert [s.value for s in Status] == ["positive", "negative", "not_detected", "equivocal", "not_tested",
                                         "not_assessed", "failed"]
    assert {s.value for s in TESTED_STATUSES} == {"positive", "negative", "not_detected", "equivocal"}
    assert not any(Status(s).tested for s in ("not_tested", "not_assessed", "failed"))
    assert json.dumps({"s": Status.not_assessed}) == '{"s": "not_assessed"}' and f"{Status.failed}" == "failed"


def test_an_erbb2_record_that_cannot_be_interpreted_blocks_a_negative(tmp_path):
    # The YVMA record with a REF that is not the reference base (C at GRCh38 chr17:39724730).
    from conftest import rec, write_vcf

    from her2scope.case.picture import build_picture
    from her2scope.case.schema import parse_case

    write_vcf(tmp_path, "bad_ref.vcf", [rec("chr17", 39724730, ".", "G", "GATACGTGATGGC", 60, "PASS", ".",
                                            "GT", "0/1")], samples=("T",))
    case = parse_case({"case_id": "R1", "clinical": {"histology": "adenocarcinoma", "stage": "IV", "region": "US"},
                       "ngs": [{"sample_type": "tissue", "files": ["bad_ref.vcf"]}]})
    mutation = build_picture(case, tmp_path).mutation
    assert mutation.status == "failed" and mutation.reason_code == "uninterpreted_records"
    assert "ref_mismatch" not in mutation.reason and "reference" in mutation.reason.lower()
