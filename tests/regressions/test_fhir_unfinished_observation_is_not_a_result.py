"""A FHIR HER2 IHC, ISH or loose ERBB2 variant Observation was imported as a result whatever its
status: an "entered-in-error" IHC 3+ (withdrawn by the laboratory) or a "preliminary" one was
stored as a resulted test. Only a final, amended or corrected Observation is imported; others
are rejected with the status named."""

from __future__ import annotations

import pytest
from registry_helpers import TODAY, fhir_bundle

from her2scope.registry import Registry, Role
from her2scope.registry.fhir_import import IHC_LOINC


@pytest.mark.parametrize("status", ["preliminary", "registered", "entered-in-error", "cancelled", "unknown"])
def test_unfinished_ihc_observation_is_rejected(tmp_path, status):
    bundle = fhir_bundle()
    ihc = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
               and IHC_LOINC in str(e["resource"].get("code")))
    ihc["status"] = status
    reg = Registry.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        reg.create_user("dm", "a-long-manager-password", Role.data_manager)
        dm = reg.authenticate("dm", "a-long-manager-password")
        rep = reg.import_fhir(bundle, dm, today=TODAY)
        assert any(f"IHC Observation status {status!r}" in r.reason for r in rep.rejected)
        assert [t.test_type for t in reg.patient_detail("DEMO-01", dm).tests] == ["ngs_tissue"]
    finally:
        reg.close()
