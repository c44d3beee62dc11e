"""A FHIR DiagnosticReport whose ``result`` names an Observation that is not in the bundle was
imported without it: with its only variant Observation missing, a tissue NGS report that found
p.Y772_A775dup was stored as a "negative". A result that cannot be read is no evidence of
absence: the report is now rejected, naming the missing reference, and nothing is stored for it."""

from __future__ import annotations

from registry_helpers import TODAY, fhir_bundle

from her2scope.registry import Registry, Role
from her2scope.registry.fhir_import import VARIANT


def test_report_with_a_result_outside_the_bundle_is_rejected(tmp_path):
    bundle = fhir_bundle()
    variant_urls = [e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
                    and VARIANT in str(e["resource"].get("code"))]
    assert len(variant_urls) == 1
    bundle["entry"] = [e for e in bundle["entry"] if e["fullUrl"] not in variant_urls]
    reg = Registry.open(f"sqlite:///{tmp_path / 'registry.db'}")
    try:
        reg.create_user("dm", "a-long-manager-password", Role.data_manager)
        dm = reg.authenticate("dm", "a-long-manager-password")
        rep = reg.import_fhir(bundle, dm, today=TODAY)
        assert any(variant_urls[0] in r.reason and "not an entry of this bundle" in r.reason for r in rep.rejected)
        detail = reg.patient_detail("DEMO-01", dm)
        assert [t.test_type for t in detail.tests] == ["ihc"]            # no NGS test, so no negative
        assert detail.her2_mutation == "not_tested"
    finally:
        reg.close()
