"""Issue 10: typed label knowledge, current labels only, the test each label asks for, sequencing and
intracranial evidence, label warnings as checks, prior therapy as regimens, and freshness.

Expected values come from the sources cited in next_steps_v2.yaml (FDA notices and labels, EMA opinion,
Beamion LUNG-1 / SOHO-01 label populations), not from the code."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from report_helpers import CASES, S310F_VCF, case, report, verdicts

from her2scope.case.schema import CaseError, parse_case
from her2scope.errors import KnowledgeBaseError
from her2scope.knowledge.guidance import _DATA, NEXT_STEPS, NEXT_STEPS_V1, load_guidance, parse_guidance
from her2scope.report.diff import diff_knowledge
from her2scope.report.html import render_html
from her2scope.report.model import report_for


def _option(rep, label_id):
    return next(o for o in rep.steps.options if o.label_id == label_id)


def _raw():
    return yaml.safe_load((_DATA / NEXT_STEPS).read_text())


# ---- typed knowledge ------------------------------------------------------------------------------

def test_a_typo_in_a_label_refuses_to_load_naming_file_entry_and_field():
    raw = _raw()
    index = next(i for i, label in enumerate(raw["therapy_labels"]) if label["id"] == "sevabertinib_us_pretreated")
    raw["therapy_labels"][index]["line"] = "after_prior_sytemic"
    with pytest.raises(KnowledgeBaseError) as err:
        parse_guidance(raw, "next_steps_typo.yaml")
    text = str(err.value)
    assert "next_steps_typo.yaml" in text and "sevabertinib_us_pretreated" in text and ": line:" in text
    assert "after_prior_sytemic" in text


@pytest.mark.parametrize("field, value", [("unexpected_key", 1), ("region", "UK"), ("status", "approvd"),
                                          ("variant_scope", "tkd")])
def test_unknown_fields_and_values_refuse_to_load(field, value):
    raw = _raw()
    raw["therapy_labels"][0][field] = value
    with pytest.raises(KnowledgeBaseError, match=field):
        parse_guidance(raw, "x.yaml")


def test_every_source_has_a_kind_and_a_checked_date_and_citations_resolve():
    g = load_guidance()
    assert g.version == "2.0.0"
    for key, src in g.model.sources.items():
        assert src.kind and src.checked and src.how, key


def test_v1_stays_in_the_package_and_diff_shows_the_history():
    lines = diff_knowledge(str(_DATA / NEXT_STEPS_V1), str(_DATA / NEXT_STEPS))
    assert any("tdxd_eu_ihc3_solid: status 'unknown' -> 'approved'" in line for line in lines)
    assert any("zongertinib_us_pretreated" in line and "current" in line for line in lines)


# ---- US scenarios -------------------------------------------------------------------------------

def test_us_first_line_zongertinib_on_label_for_kinase_domain_mutation_in_non_squamous():
    rep = report(prior_lines=0)
    v = verdicts(rep)
    assert v["zongertinib_us_any_line"] == "on_label"
    assert v["sevabertinib_us_pretreated"] == "not_on_label"          # label still needs prior therapy
    assert v["tdxd_us_mutation"] == "not_on_label"
    assert "zongertinib_us_pretreated" not in v                       # superseded: never a current verdict
    assert all(o.drug != "zongertinib" or o.verdict == "on_label" for o in rep.steps.options)


def test_us_tdxd_after_prior_therapy_is_on_label():
    rep = report(prior_lines=None, prior_therapies=["platinum_chemotherapy", "immunotherapy"])
    assert verdicts(rep)["tdxd_us_mutation"] == "on_label"


def test_prior_her2_adc_shows_the_lower_tki_response_figures():
    rep = report(prior_lines=2, prior_her2_adc=True)
    zong = _option(rep, "zongertinib_us_any_line")
    seq = next(c for c in zong.considerations if c.topic == "sequencing")
    assert any("44%" in f and "n=34" in f for f in seq.figures)       # after an ADC (FDA notice)
    assert any("75%" in f and "n=71" in f for f in seq.figures)       # ADC-naive
    seva = _option(rep, "sevabertinib_us_pretreated")
    figures = " ".join(next(c for c in seva.considerations if c.topic == "sequencing").figures)
    assert "38%" in figures and "71%" in figures
    # without a prior ADC the sequencing figures are not shown
    plain = report(prior_lines=1)
    assert not [c for c in _option(plain, "zongertinib_us_any_line").considerations if c.topic == "sequencing"]


def test_brain_metastases_show_intracranial_data_and_say_what_is_not_verified():
    rep = report(brain="active")
    zong = next(c for c in _option(rep, "zongertinib_us_any_line").considerations if c.topic == "intracranial")
    assert any("41%" in f and "n=27" in f for f in zong.figures) and zong.secondary
    tdxd = next(c for c in _option(rep, "tdxd_us_mutation").considerations if c.topic == "intracranial")
    assert not tdxd.verified and "36.3%" in " ".join(tdxd.figures)
    assert not [c for o in report(brain="no").steps.options for c in o.considerations if c.topic == "intracranial"]


def test_plasma_only_positive_tki_needs_the_tissue_companion_diagnostic():
    rep = report(sample_type="plasma")
    assert verdicts(rep)["tdxd_us_mutation"] == "on_label"                 # Guardant360 CDx is plasma
    for label in ("zongertinib_us_any_line", "sevabertinib_us_pretreated"):
        option = _option(rep, label)
        assert option.verdict == "needs_tissue_test"
        assert any("tissue" in r and "companion diagnostic" in r for r in option.reasons)
        assert "tissue only" in option.test
    # the same mutation in tissue: on label
    assert verdicts(report())["zongertinib_us_any_line"] == "on_label"


def test_safety_checks_are_checks_for_the_drugs_that_are_options():
    rep = report(prior_lines=1)
    checks = {k.check_id: k for k in rep.steps.checks}
    assert checks["tdxd_ild_baseline"].boxed_warning and checks["tdxd_ild_monitoring"].timing == "monitoring"
    assert "LVEF" in checks["zongertinib_lvef"].check and "every 2 weeks" in checks["zongertinib_liver"].check
    assert {"sevabertinib_diarrhoea", "sevabertinib_ocular", "sevabertinib_pancreatic"} <= set(checks)
    first_line = {k.drug for k in report(prior_lines=0).steps.checks}
    assert first_line == {"zongertinib"}                                  # only the on-label drug's checks


def test_poziotinib_is_not_a_therapy_option():
    rep = report()
    assert all(o.drug != "poziotinib" for o in rep.steps.options + rep.steps.other_regions)
    assert any("poziotinib" in n.why and "2022-11-25" in n.why for n in rep.steps.not_options)


# ---- EU and Japan and China -------------------------------------------------------------------------

def test_eu_tdxd_needs_prior_platinum():
    assert verdicts(report(region="EU", prior_lines=None, prior_therapies=["platinum"]))["tdxd_eu_mutation"] == "on_label"
    assert verdicts(report(region="EU", prior_lines=None,
                           prior_therapies=["immunotherapy", "other_targeted"]))["tdxd_eu_mutation"] == "not_on_label"
    assert verdicts(report(region="EU", prior_lines=2))["tdxd_eu_mutation"] == "needs_information"


def test_eu_ihc3_on_label_marked_as_secondary_source():
    rep = report(region="EU", files=None, ihc="3+", prior_lines=None, prior_therapies=["platinum_chemotherapy"])
    option = _option(rep, "tdxd_eu_ihc3_solid")
    assert option.verdict == "on_label" and option.secondary
    assert any("secondary" in r for r in option.reasons)
    html = render_html(rep)
    assert "secondary source only" in html


def test_japan_mutation_label_and_tumour_agnostic_definition_not_claimed():
    rep = report(region="JP", prior_lines=None, prior_therapies=["platinum_chemotherapy"])
    assert verdicts(rep)["tdxd_jp_mutation"] == "on_label"
    assert _option(rep, "tdxd_jp_mutation").date == "2023-08-23"
    ihc3 = report(region="JP", files=None, ihc="3+", prior_lines=None, prior_therapies=["platinum_chemotherapy"])
    option = _option(ihc3, "tdxd_jp_her2pos_solid")
    assert option.verdict == "label_not_verified"
    assert any("HER2-positive" in r for r in option.reasons)
    io_only = report(region="JP", prior_lines=None, prior_therapies=["immunotherapy"])
    assert verdicts(io_only)["tdxd_jp_mutation"] == "needs_information"


def test_china_zongertinib_outside_the_kinase_domain_is_not_claimed_on_label():
    assert verdicts(report(region="CN"))["zongertinib_cn"] == "on_label"            # YVMA: kinase domain
    s310f = _option(report(region="CN", files=(S310F_VCF,)), "zongertinib_cn")
    assert s310f.verdict == "label_not_verified"
    assert any("p.S310F" in r for r in s310f.reasons)


# ---- case schema: regimens and brain metastases -----------------------------------------------------

def test_old_case_with_a_count_still_loads_and_says_what_to_add():
    c = case(region="EU", prior_lines=1)
    assert c.clinical.prior_lines == 1 and c.clinical.prior_therapies is None
    option = _option(report_for(c, CASES), "tdxd_eu_mutation")
    assert any("add clinical.prior_therapies" in r for r in option.reasons)


def test_brain_metastases_active_vs_treated_stable_decides_stable_only_trials():
    active = {t.acronym: t for t in report(prior_lines=0, brain="active").steps.trials}
    stable = {t.acronym: t for t in report(prior_lines=0, brain="treated_stable").steps.trials}
    assert any("active brain metastases exclude" in r for r in active["DESTINY-Lung04"].reasons)
    assert any("treated, stable brain metastases are allowed" in r for r in stable["DESTINY-Lung04"].reasons)


# ---- freshness --------------------------------------------------------------------------------------

def test_report_prints_knowledge_checked_on_and_flags_old_facts():
    c = case()
    fresh = report_for(c, CASES, today=dt.date(2026, 12, 1))
    assert fresh.steps.freshness.oldest == "2026-11-28" and not fresh.steps.freshness.stale
    assert "Knowledge checked on 2026-11-28" in render_html(fresh)
    late = report_for(c, CASES, today=dt.date(2027, 7, 1))                 # 215 days after 2026-11-28
    assert any("label tdxd_us_mutation" in s for s in late.steps.freshness.stale)
    assert "checked more than 180 days before this report" in render_html(late)
    assert late.as_dict()["knowledge_freshness"]["stale"]


def test_prior_therapy_contradictions_are_errors_that_say_what_to_change():
    base = {"histology": "adenocarcinoma", "stage": "IV", "region": "US"}
    with pytest.raises(CaseError, match="add her2_adc to prior_therapies"):
        parse_case({"case_id": "x", "clinical": {**base, "prior_her2_adc": True, "prior_therapies": ["platinum"]}})
    with pytest.raises(CaseError, match="prior_lines: 0"):
        parse_case({"case_id": "x", "clinical": {**base, "prior_lines": 0, "prior_therapies": ["platinum"]}})
