"""Issue 13: registry/interpret.py used to stand in 'NSCLC NOS, stage IV, EU' for a patient
without a diagnosis. Now a test's HER2 picture is made with no clinical block at all, and the
patient's report is refused until histology, stage and region are recorded, naming what is
missing - never a report for an invented patient."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("her2scope.registry")

YVMA = Path(str(resources.files("her2scope") / "demo_data")) / "patient01_yvma_grch38.vcf"


def test_no_placeholder_clinical_data(tmp_path):
    from her2scope.registry import Registry, Role
    from her2scope.registry import interpret

    assert not hasattr(interpret, "_PLACEHOLDER")
    reg = Registry.open(f"sqlite:///{tmp_path / 'r.db'}")
    admin = reg.create_user("admin", "a-long-password", Role.admin)
    reg.create_patient("BARE-1", admin)                                   # no diagnosis, no region
    res = reg.attach_ngs_result("BARE-1", YVMA, admin)
    assert res.her2_status == "positive" and "clinical" not in res.picture
    pc = reg.patient_case("BARE-1", admin)
    assert pc.case is None and pc.missing == ("histology", "stage", "region")
    reg.close()
