"""Registry results made with knowledge v1 are flagged when v2 calls a variant differently
(the 'knowledge update changes result' worklist), e.g. a VUS that v2 calls likely oncogenic."""

from __future__ import annotations

import pytest
import registry_helpers as support
from registry_helpers import PASSWORD, TODAY, write_csv

from her2scope.registry import Registry, Role

db_url = support.db_url  # shared fixture


@pytest.fixture(scope="module")
def made_with_v1(db_url, tmp_path_factory):
    """Results imported while the registry ran with the v1 knowledge base."""
    with Registry.open(db_url, knowledge="v1") as reg:
        users = {role.value: reg.create_user(f"k-{role.value}", PASSWORD, role) for role in Role}
        path = write_csv(
            tmp_path_factory.mktemp("kv2") / "results.csv",
            # v1: uncertain (hotspot only); v2: likely oncogenic (curated functional evidence)
            "K-L755P,adenocarcinoma,IVB,2026-08-01,ngs_tissue,T-L755P,panel,2026-08-02,,2026-08-12,,,p.L755P,",
            # v1: uncertain (no curated entry); v2: likely oncogenic by the exon 20 insertion-region rule
            "K-LC,adenocarcinoma,IVB,2026-08-01,ngs_tissue,T-LC,panel,2026-08-02,,2026-08-12,,,p.G776delinsLC,",
            # oncogenic in both: not on the list
            "K-YVMA,adenocarcinoma,IVB,2026-08-01,ngs_tissue,T-YVMA,panel,2026-08-02,,2026-08-12,,,p.Y772_A775dup,",
        )
        rep = reg.import_csv(path, users["data_manager"], today=TODAY)
        assert rep.ok, rep.rejected
        detail = reg.patient_detail("K-L755P", users["viewer"])
        assert [v.oncogenicity for t in detail.tests for r in [t] for v in getattr(r, "variants", [])] in ([], [
            "uncertain_significance"])
    return users


def test_v1_results_reclassified_by_v2_are_on_the_worklist(db_url, made_with_v1):
    with Registry.open(db_url) as reg:          # the default knowledge base: v2
        rows = reg.worklists(made_with_v1["viewer"], today=TODAY)["knowledge_update_changes_result"]
    by_patient = {r.patient_id: r.reason for r in rows}
    assert sorted(by_patient) == ["K-L755P", "K-LC"]
    assert "p.L755P: uncertain_significance (knowledge 1.0.0) -> likely_oncogenic (knowledge 2.0.0)" \
        in by_patient["K-L755P"]
    assert "p.G776delinsLC: uncertain_significance (knowledge 1.0.0) -> likely_oncogenic" in by_patient["K-LC"]


def test_nothing_to_recheck_under_the_knowledge_that_made_the_results(db_url, made_with_v1):
    with Registry.open(db_url, knowledge="v1") as reg:
        assert reg.worklists(made_with_v1["viewer"], today=TODAY)["knowledge_update_changes_result"] == []
