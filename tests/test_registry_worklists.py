"""Attaching a VCF through the engine, each testing-gap worklist, turnaround and yield."""

from __future__ import annotations

import datetime as dt

import pytest
import registry_helpers as support
from registry_helpers import DEMO, TODAY, write_csv

from her2scope.registry import Registry
from her2scope.registry.stats import wilson

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture


@pytest.fixture(scope="module")
def loaded(registry, users, tmp_path_factory):
    path = write_csv(
        tmp_path_factory.mktemp("wl") / "worklists.csv",
        # advanced, nothing ordered -> advanced_without_ngs
        "W-NONE,adenocarcinoma,IVB,2026-09-01,,,,,,,,,,",
        # early stage -> on no list
        "W-EARLY,adenocarcinoma,IB,2026-09-01,,,,,,,,,,",
        # tissue NGS pending 30 days -> pending_too_long (14) and advanced_without_ngs; gets the VCF later
        "W-VCF,adenocarcinoma,IVA,2026-10-01,ngs_tissue,T-VCF,Oncomine Dx Target Test,2026-10-21,,,,,,",
        # plasma not detected, no tissue -> plasma_not_detected_without_tissue
        "W-PLASMA,adenocarcinoma,IVB,2026-09-15,ngs_plasma,T-PL,ctDNA panel,2026-09-16,,2026-09-24,,,,",
        # plasma not detected but tissue ordered -> not on the plasma list
        "W-PLASMA2,adenocarcinoma,IVB,2026-09-15,ngs_plasma,T-PL2,ctDNA panel,2026-09-16,,2026-09-24,,,,",
        "W-PLASMA2,adenocarcinoma,IVB,2026-09-15,ngs_tissue,T-PL2T,panel,2026-11-15,,,,,,",
        # IHC 3+ without NGS -> ihc_without_ngs
        "W-IHC,adenocarcinoma,IV,2026-10-01,ihc,T-IHC,4B5,2026-10-02,,2026-10-04,,3+,,",
        # HER2-mutant by CSV, no decisions -> both HER2-mutant lists
        "W-MUT,adenocarcinoma,IVB,2026-08-01,ngs_tissue,T-MUT,panel,2026-08-02,,2026-08-16,,,p.Y772_A775dup,",
        # HER2-mutant with MRI + therapy decision -> on neither
        "W-MUTOK,adenocarcinoma,IVB,2026-08-01,ngs_tissue,T-MUTOK,panel,2026-08-02,,2026-08-12,,,p.G776delinsVC,",
        # a tissue test that failed -> advanced_without_ngs with the failure as reason
        "W-FAIL,adenocarcinoma,IVB,2026-08-01,ngs_tissue,T-FAIL,panel,2026-08-02,,,2026-08-20,,,",
    )
    rep = registry.import_csv(path, users["data_manager"], today=TODAY)
    assert rep.ok, rep.rejected
    dm = users["clinician"]
    registry.record_decision("W-MUTOK", "brain_mri_done", "no brain metastases", dm)
    registry.record_decision("W-MUTOK", "therapy_chosen", "T-DXd", dm)
    return registry


def _ids(rows):
    return sorted(r.patient_id for r in rows)


def test_worklists_before_the_vcf(loaded, users):
    wl = loaded.worklists(users["viewer"], today=TODAY)
    assert _ids(wl["advanced_without_ngs"]) == ["W-FAIL", "W-IHC", "W-NONE", "W-VCF"]
    assert "failed" in next(r for r in wl["advanced_without_ngs"] if r.patient_id == "W-FAIL").reason
    assert _ids(wl["pending_too_long"]) == ["W-VCF"]
    assert wl["pending_too_long"][0].days == 30
    assert _ids(loaded.worklists(users["viewer"], today=TODAY, pending_days=40)["pending_too_long"]) == []
    assert _ids(loaded.worklists(users["viewer"], today=TODAY, pending_days=3)["pending_too_long"]) == \
        ["W-PLASMA2", "W-VCF"]
    assert _ids(wl["plasma_not_detected_without_tissue"]) == ["W-PLASMA"]
    assert _ids(wl["ihc_without_ngs"]) == ["W-IHC"]
    assert _ids(wl["her2_mutant_without_brain_mri"]) == ["W-MUT"]
    assert _ids(wl["her2_mutant_without_decision"]) == ["W-MUT"]
    assert wl["knowledge_update_changes_result"] == []


def test_attach_vcf_runs_the_engine_and_moves_the_patient(loaded, users):
    pending = loaded.patient_detail("W-VCF", users["viewer"]).tests[0]
    res = loaded.attach_ngs_result("W-VCF", DEMO / "patient01_yvma_grch38.vcf", users["clinician"],
                                   resulted=dt.date(2026, 11, 18))
    assert res.her2_status == "positive" and res.test_id == pending.test_id   # completes the pending test
    (v,) = res.variants
    assert v.protein_change == "p.Y772_A775dup" and v.hgvs_c == "NM_004448.4:c.2313_2324dup"
    assert v.oncogenicity == "oncogenic" and v.build == "GRCh38"
    assert res.knowledge_version and res.picture["mutation"]["status"] == "positive"
    wl = loaded.worklists(users["viewer"], today=TODAY)
    assert "W-VCF" not in _ids(wl["advanced_without_ngs"])
    assert "W-VCF" not in _ids(wl["pending_too_long"])
    assert "W-VCF" in _ids(wl["her2_mutant_without_brain_mri"])
    # the same file again replaces the result: no second test or result
    before = loaded.counts()
    loaded.attach_ngs_result("W-VCF", DEMO / "patient01_yvma_grch38.vcf", users["clinician"],
                             resulted=dt.date(2026, 11, 18))
    after = loaded.counts()
    assert after["tests"] == before["tests"] and after["results"] == before["results"]
    assert after["result_variants"] == before["result_variants"]


def test_decision_removes_from_lists(loaded, users):
    loaded.record_decision("W-MUT", "brain_mri_done", "MRI clear", users["clinician"])
    wl = loaded.worklists(users["viewer"], today=TODAY)
    assert "W-MUT" not in _ids(wl["her2_mutant_without_brain_mri"])
    assert "W-MUT" in _ids(wl["her2_mutant_without_decision"])
    loaded.record_decision("W-MUT", "trial_referral", "exon 20 insertion trial", users["clinician"])
    assert "W-MUT" not in _ids(loaded.worklists(users["viewer"], today=TODAY)["her2_mutant_without_decision"])
    tl = loaded.patient_detail("W-MUT", users["viewer"]).timeline
    assert [e.kind for e in tl][:3] == ["diagnosis", "test_ordered", "test_resulted"]
    assert tl[-1].kind == "decision"


def test_knowledge_update_that_changes_a_result(loaded, users, db_url, tmp_path):
    from kb_helpers import copy_v2, edit, set_call

    # a newer bundled-style knowledge base (main file + fragments) that demotes one curated call
    newer = copy_v2(tmp_path)
    edit(newer, lambda raw: raw.update(knowledge_version="2.99.0"))
    set_call(newer, "p.G776delinsVC", "uncertain_significance")
    with Registry.open(db_url, knowledge=str(newer)) as reg:
        rows = reg.worklists(users["viewer"], today=TODAY)["knowledge_update_changes_result"]
    assert _ids(rows) == ["W-MUTOK"]
    assert "p.G776delinsVC" in rows[0].reason and "uncertain_significance" in rows[0].reason
    # unchanged under the bundled knowledge base
    assert loaded.worklists(users["viewer"], today=TODAY)["knowledge_update_changes_result"] == []


def test_turnaround(loaded, users):
    tat = loaded.turnaround(users["viewer"])
    # tissue: W-MUT 14 d, W-MUTOK 10 d, W-VCF 28 d (2026-10-21 -> 2026-11-18)
    t = tat["ngs_tissue"]
    assert t["n"] == 3 and t["median_days"] == 14 and t["failed"] == 1 and t["pending"] == 1
    assert t["p90_days"] == pytest.approx(14 + 0.8 * (28 - 14))
    assert tat["ngs_plasma"]["n"] == 2 and tat["ngs_plasma"]["median_days"] == 8
    assert tat["ihc"]["median_days"] == 2


def test_her2_yield(loaded, users):
    y = loaded.her2_yield(users["viewer"])
    # resulted NGS: W-PLASMA, W-PLASMA2, W-MUT, W-MUTOK, W-VCF; mutant: W-MUT, W-MUTOK, W-VCF
    assert y["tested"] == 5 and y["her2_mutant"] == 3 and y["yield"] == pytest.approx(0.6)
    lo, hi = y["ci95"]
    assert (lo, hi) == pytest.approx(wilson(3, 5))
    assert y["expected_range"] == [0.02, 0.04] and "her2_prevalence" in y["expected_source"]
    assert y["expected_citations"]


def test_wilson_matches_known_values():
    lo, hi = wilson(24, 920)                 # Pillai 2017: 3%, 95% CI about 2-4%
    assert 0.017 < lo < 0.02 and 0.037 < hi < 0.04
    assert wilson(0, 10)[0] == 0.0 and wilson(0, 0) is None
