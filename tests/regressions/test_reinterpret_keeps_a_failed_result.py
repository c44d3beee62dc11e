"""Re-interpreting a patient's results after a knowledge update re-ran the engine on the stored
ERBB2 variants only. A result that was "failed" because one ERBB2 line of the file could not be
interpreted kept only its readable (non-activating) variant, so re-interpretation turned it into
a clean "negative". A failed or not-assessed result is now left as it is, with the reason
(the file has to be attached again)."""

from __future__ import annotations

from sqlalchemy import text

from her2scope.registry import Registry, Role

OLD = "0.0.1-old"


def test_failed_result_is_not_reinterpreted_into_a_negative(tmp_path):
    reg = Registry.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        reg.create_user("adm", "a-long-admin-password", Role.admin)
        adm = reg.authenticate("adm", "a-long-admin-password")
        reg.create_patient("FAILED-1", adm)
        lab = tmp_path / "lab.txt"     # one readable non-activating line, one ERBB2 line that is not HGVS
        lab.write_text("NM_004448.4:c.3508C>G\nNM_004448.4:c.2313_2324dupXYZ\n")
        res = reg.attach_ngs_result("FAILED-1", lab, adm)
        assert res.her2_status == "failed" and len(res.variants) == 1
        with reg.engine.begin() as conn:       # as if made with an older knowledge base
            conn.execute(text("UPDATE results SET knowledge_version = :v WHERE id = :i"),
                         {"v": OLD, "i": res.result_id})
        changes = reg.reinterpret("FAILED-1", adm)
        assert len(changes) == 1 and "failed" in changes[0] and "attach the file again" in changes[0]
        test = reg.patient_detail("FAILED-1", adm).tests[0]
        assert test.result.her2_status == "failed" and test.result.knowledge_version == OLD
    finally:
        reg.close()
