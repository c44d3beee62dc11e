"""Therapy labels per region, line, alteration and histology: each label's exact scope."""

from report_helpers import S310F_VCF, report, verdicts


def test_us_yvma_after_one_line_all_three_on_label():
    v = verdicts(report(prior_lines=1))
    assert v["tdxd_us_mutation"] == "on_label"
    assert "zongertinib_us_pretreated" not in v            # superseded 2026-02-26: history, not a verdict
    assert v["zongertinib_us_any_line"] == "on_label"
    assert v["sevabertinib_us_pretreated"] == "on_label"
    assert v["tdxd_us_ihc3_solid"] == "not_on_label"       # a mutation is not IHC 3+


def test_us_first_line_only_zongertinib_any_line():
    rep = report(prior_lines=0)
    v = verdicts(rep)
    assert v["zongertinib_us_any_line"] == "on_label"
    assert v["tdxd_us_mutation"] == v["sevabertinib_us_pretreated"] == "not_on_label"
    # the superseded 'after prior therapy' zongertinib wording prints no "not on label" line beside it
    assert [o.verdict for o in rep.steps.options if o.drug == "zongertinib"] == ["on_label"]
    reasons = next(o.reasons for o in rep.steps.options if o.label_id == "tdxd_us_mutation")
    assert any("first line" in r for r in reasons)


def test_s310f_is_outside_the_tki_labels_with_the_reason():
    rep = report(files=(S310F_VCF,))
    v = verdicts(rep)
    assert v["tdxd_us_mutation"] == "on_label"
    for label in ("zongertinib_us_any_line", "sevabertinib_us_pretreated"):
        assert v[label] == "not_on_label"
        reasons = " ".join(next(o.reasons for o in rep.steps.options if o.label_id == label))
        assert "tyrosine kinase domain" in reasons and "p.S310F" in reasons


def test_squamous_histology_excludes_non_squamous_labels():
    v = verdicts(report(histology="squamous"))
    assert v["zongertinib_us_any_line"] == "not_on_label"
    assert v["sevabertinib_us_pretreated"] == "not_on_label"
    assert v["tdxd_us_mutation"] == "on_label"      # T-DXd's label has no histology restriction


def test_ihc3_without_mutation_us_tumour_agnostic_tdxd():
    v = verdicts(report(files=None, ihc="3+", prior_lines=2))
    assert v["tdxd_us_ihc3_solid"] == "on_label"
    assert v["tdxd_us_mutation"] == "not_on_label"


def test_ihc2_is_not_ihc3():
    assert verdicts(report(files=None, ihc="2+"))["tdxd_us_ihc3_solid"] == "not_on_label"


def test_eu_mutation_label_a_line_count_cannot_show_prior_platinum():
    rep = report(region="EU")                                   # prior_lines: 1, regimens not stated
    option = next(o for o in rep.steps.options if o.label_id == "tdxd_eu_mutation")
    assert option.verdict == "needs_information"
    assert any("prior_therapies" in r and "platinum" in r for r in option.reasons)
    assert verdicts(rep)["zongertinib_eu"] == "label_not_verified"


def test_eu_mutation_label_on_label_after_platinum_not_after_immunotherapy_alone():
    on = report(region="EU", prior_lines=None, prior_therapies=["platinum_chemotherapy", "immunotherapy"])
    assert verdicts(on)["tdxd_eu_mutation"] == "on_label"
    off = report(region="EU", prior_lines=None, prior_therapies=["immunotherapy"])
    option = next(o for o in off.steps.options if o.label_id == "tdxd_eu_mutation")
    assert option.verdict == "not_on_label"
    assert any("platinum" in r for r in option.reasons)


def test_unverified_region_labels_say_so_instead_of_guessing():
    rep = report(region="JP")
    # next_steps_v2.yaml: the JP zongertinib and sevabertinib entries have no verified decision
    # (status: unknown); the JP T-DXd labels are approved.
    unverified = {o.label_id: o for o in rep.steps.options if o.status == "unknown"}
    assert sorted(unverified) == ["sevabertinib_jp", "zongertinib_jp"]
    assert {o.verdict for o in unverified.values()} == {"label_not_verified"}
    assert all(any("check the local label" in r for r in o.reasons) for o in unverified.values())
    # and no verified label is ever answered with "not verified"
    assert {o.label_id for o in rep.steps.options if o.verdict == "label_not_verified"} == set(unverified)


def test_early_stage_is_not_on_label():
    v = verdicts(report(stage="IIA"))
    assert set(v.values()) <= {"not_on_label", "label_not_verified"}


def test_only_the_case_region_is_shown_first_other_regions_kept_apart():
    rep = report(region="US")
    assert {o.region for o in rep.steps.options} == {"US"}
    assert "US" not in {o.region for o in rep.steps.other_regions}


def test_every_option_cites_its_label():
    rep = report()
    assert all(o.citations for o in rep.steps.options + rep.steps.other_regions)


def test_actionability_side_by_side_for_yvma():
    rep = report()
    tiers = {t.framework: t for t in rep.steps.tiers if "Y772" in t.alteration}
    assert tiers["amp_asco_cap"].tier == "Tier I, Level A"
    assert tiers["oncokb_style"].tier == "1"
    assert tiers["escat"].verified is False                # ESCAT tier for ERBB2 not verified: said so


def test_brain_mri_for_her2_mutant_advanced():
    rep = report(brain="yes")
    step = next(s for s in rep.steps.steps if s.step_id == "brain_mri")
    assert "brain metastases" in step.why


def test_trials_explain_match_and_non_match():
    rep = report(prior_lines=0, brain="yes")
    by = {t.acronym: t for t in rep.steps.trials}
    first_line = by["Beamion LUNG-2"]
    assert first_line.verdict in ("match", "possible")
    pretreated = by["DESTINY-Lung02"]        # SOHO-01 has a treatment-naive cohort F (line: any) since trials v2
    assert pretreated.verdict in ("no_match", "not_enrolling")
    assert any("treatment-naive" in r for r in pretreated.reasons)
    dl4 = by["DESTINY-Lung04"]
    assert any("brain" in r for r in dl4.reasons)
    assert all(t.reasons for t in rep.steps.trials)


def test_china_labels_follow_their_own_scope():
    rep = report(region="CN", prior_lines=1)
    v = verdicts(rep)
    assert v["tdxd_cn_mutation"] == "on_label"
    assert v["zongertinib_cn"] == "on_label"            # CN wording: activating, after prior therapy; YVMA is TKD
    assert verdicts(report(region="CN", prior_lines=0))["zongertinib_cn"] == "not_on_label"
