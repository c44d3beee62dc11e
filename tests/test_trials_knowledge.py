"""The curated trial list (trials_v2.yaml): typed loading, refusal of typos, and trial verdicts.

Expectations come from the registry records read on 2026-12-01 (see the file's sources): e.g.
DESTINY-Lung04 is active, not recruiting (ClinicalTrials.gov mirror, 2025-12-23), the adjuvant
zongertinib trial is EU CT 2025-521284-12-00 for resected stage II-IIIB disease, SOHO-01 has a
treatment-naive cohort F.
"""

from __future__ import annotations

import copy

import pytest
import yaml

from her2scope.errors import KnowledgeBaseError
from her2scope.knowledge.trials import TRIALS, load_trials, parse_trials

from report_helpers import report


def _raw() -> dict:
    return yaml.safe_load(open(load_trials().path))


def _entry(raw: dict, acronym: str) -> dict:
    return next(t for t in raw["trials"] if t.get("acronym") == acronym)


def _refusal(raw: dict) -> str:
    with pytest.raises(KnowledgeBaseError) as info:
        parse_trials(raw, "trials_typo.yaml")
    return info.value.message


def test_bundled_list_loads_typed_and_in_use():
    trials = load_trials()
    assert trials.path.endswith(TRIALS) and TRIALS == "trials_v2.yaml"
    ids = {t.id: t for t in trials.model.trials}
    assert ids["NCT05048797"].status == "active_not_recruiting" and ids["NCT05048797"].verified
    assert ids["NCT05099172"].line == "any"                       # SOHO-01 cohort F is treatment-naive
    assert ids["2025-521284-12-00"].setting == "adjuvant"
    assert ids["jRCT2071250040"].acronym == "DESTINY-Lung06"
    assert ids["NCT06250777"].brain_metastases_allowed == "required"
    # every trial says when it was checked; a verified status names the source it was read from
    assert all(t.checked.isoformat() == "2026-12-01" for t in trials.model.trials)
    assert all(t.status_source for t in trials.model.trials if t.verified)


@pytest.mark.parametrize("field,value,named", [
    ("status", "recrutiing", "status"),
    ("line", "first line", "line"),
    ("histology", "adenocarcinoma", "histology"),
    ("brain_metastases_allowed", "stable", "brain_metastases_allowed"),
    ("regions", ["US", "Mars"], "regions"),
    ("alteration_classes", ["exon20_insertion"], "alteration_classes"),
    ("setting", "neoadjuvant", "setting"),
    ("checked", "yesterday", "checked"),
])
def test_unknown_value_refuses_naming_file_entry_and_field(field, value, named):
    raw = _raw()
    _entry(raw, "DESTINY-Lung04")[field] = value
    message = _refusal(raw)
    assert message.startswith("trials_typo.yaml: invalid trial list")
    assert "NCT05048797 DESTINY-Lung04" in message and named in message


def test_unknown_key_refuses():
    raw = _raw()
    entry = _entry(raw, "SOHO-02")
    entry["staus"] = entry.pop("status")
    message = _refusal(raw)
    assert "SOHO-02" in message and "staus" in message and "status" in message


def test_source_without_kind_or_with_unknown_kind_refuses():
    raw = _raw()
    raw["sources"]["NCT05048797"]["kind"] = "newspaper"
    assert "sources.NCT05048797: kind" in _refusal(raw)
    raw = _raw()
    del raw["sources"]["NCT05048797"]["kind"]
    assert "sources.NCT05048797: kind" in _refusal(raw)


def test_undefined_citation_and_duplicate_trial_refuse():
    raw = _raw()
    _entry(raw, "SOHO-02")["citations"].append("NCT99999999")
    assert "cites undefined sources ['NCT99999999']" in _refusal(raw)
    raw = _raw()
    raw["trials"].append(copy.deepcopy(_entry(raw, "SOHO-02")))
    assert "NCT06452277 (SOHO-02) appears twice" in _refusal(raw)


def test_verified_status_must_name_its_source():
    raw = _raw()
    entry = _entry(raw, "DESTINY-Lung04")
    del entry["status_source"]
    assert "status_source" in _refusal(raw)


def test_cli_reports_a_typo_without_traceback(tmp_path):
    import subprocess
    import sys

    raw = _raw()
    _entry(raw, "DESTINY-Lung04")["status"] = "recrutiing"
    bad = tmp_path / "trials.yaml"
    bad.write_text(yaml.safe_dump(raw))
    run = subprocess.run([sys.executable, "-m", "her2scope.cli", "knowledge", "audit", "--trials", str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert str(bad) in run.stderr and "DESTINY-Lung04" in run.stderr and "status" in run.stderr


# --- verdicts ---------------------------------------------------------------------------------

def _by(rep) -> dict:
    return {t.acronym: t for t in rep.steps.trials}


def test_destiny_lung04_is_not_enrolling():
    t = _by(report(prior_lines=0))["DESTINY-Lung04"]
    assert t.verdict == "not_enrolling"
    assert any("active not recruiting" in r for r in t.reasons)


def test_soho01_cohort_f_takes_treatment_naive_patients():
    t = _by(report(prior_lines=0))["SOHO-01"]
    assert not any("treatment-naive" in r and "enrols pretreated" in r for r in t.reasons)
    assert any("line fits (any)" in r for r in t.reasons)


def test_adjuvant_trial_needs_resected_early_stage():
    advanced = _by(report(prior_lines=0))["adjuvant zongertinib"]
    assert advanced.verdict == "no_match" and any("adjuvant" in r for r in advanced.reasons)
    early = _by(report(prior_lines=0, stage="IIA", region="EU"))["adjuvant zongertinib"]
    assert early.verdict == "possible"                     # unverified status, resection to confirm
    assert any("resection" in r for r in early.reasons)
    # advanced-disease trials do not take an early-stage patient
    assert _by(report(prior_lines=0, stage="IIA"))["SOHO-02"].verdict == "no_match"


def test_brain_metastasis_trial_needs_brain_metastases():
    none = _by(report(prior_lines=1, brain="no"))[""]
    assert none.nct == "NCT06250777" and none.verdict == "no_match"
    active = _by(report(prior_lines=1, brain="active"))[""]
    assert active.verdict == "possible"                     # status unknown: check the registry
    assert any("brain metastases are what this trial studies" in r for r in active.reasons)


def test_unverified_recruiting_status_is_never_a_match():
    rep = report(prior_lines=0, region="US")
    soho02 = _by(rep)["SOHO-02"]
    assert soho02.verdict == "possible"
    assert any("not read from a registry record" in r for r in soho02.reasons)


def test_destiny_lung06_needs_overexpression_not_a_mutation():
    mutation_only = _by(report(prior_lines=0))["DESTINY-Lung06"]
    assert mutation_only.verdict == "no_match"
    ihc = _by(report(prior_lines=0, ihc="3+", region="JP", files=None))["DESTINY-Lung06"]
    assert ihc.verdict == "match"                          # recruiting per jRCT record of 2025-07-29
    assert ihc.nct == "jRCT2071250040"
    assert any("IHC cut-off" in r for r in ihc.reasons)
