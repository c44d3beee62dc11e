"""Issue 13: re-attaching made another test each time. Attaching the same file to the same
patient again replaces that test's result (one test); only after a retraction does the same
file make a new test (the retracted one stays as it was)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("her2scope.registry")

YVMA = Path(str(resources.files("her2scope") / "demo_data")) / "patient01_yvma_grch38.vcf"


def test_same_file_twice_is_one_test(tmp_path):
    from her2scope.registry import Registry, Role

    reg = Registry.open(f"sqlite:///{tmp_path / 'r.db'}")
    admin = reg.create_user("admin", "a-long-password", Role.admin)
    reg.create_patient("AGAIN-1", admin)
    first = reg.attach_ngs_result("AGAIN-1", YVMA, admin)
    second = reg.attach_ngs_result("AGAIN-1", YVMA, admin)
    assert second.test_id == first.test_id and len(reg.patient_detail("AGAIN-1", admin).tests) == 1
    reg.retract_test("AGAIN-1", first.test_id, "test of retraction", admin)
    third = reg.attach_ngs_result("AGAIN-1", YVMA, admin)
    assert third.test_id != first.test_id
    assert [t.status for t in reg.patient_detail("AGAIN-1", admin).tests] == ["retracted", "resulted"]
    reg.close()
