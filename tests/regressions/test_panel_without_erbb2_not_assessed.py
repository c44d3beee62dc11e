"""Issue 8 item 3: ``genes_covered`` was accepted and ignored.

The failing input from the issue: a tissue panel covering only EGFR, ALK and ROS1 was reported as
"No activating ERBB2 mutation in tissue NGS" with no next step. A panel that does not cover ERBB2
did not test it: the mutation dimension is ``not_assessed`` with the reason, and the next step
is broad NGS. The same file on a panel that lists ERBB2 (or HER2) is a true negative.
"""

from __future__ import annotations

import pytest
from report_helpers import CASES

from her2scope.case.picture import Status
from her2scope.case.schema import CaseError, parse_case
from her2scope.report.model import report_for

NO_ERBB2_VCF = "tissue_no_erbb2_grch37.vcf"     # demo: a tissue VCF with no ERBB2 record


def _report(**ngs):
    test = {"sample_type": "tissue", "assay": "EGFR/ALK/ROS1 hotspot panel", **ngs}
    case = parse_case({"case_id": "PANEL-1", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                          "region": "US"}, "ngs": [test]})
    return report_for(case, CASES)


def test_a_panel_without_erbb2_did_not_test_it():
    rep = _report(files=[NO_ERBB2_VCF], genes_covered=["EGFR", "ALK", "ROS1"])
    mutation = rep.picture.mutation
    assert mutation.status is Status.not_assessed and not mutation.status.tested
    assert mutation.reason_code == "not_covered"
    assert "EGFR, ALK, ROS1" in mutation.reason and "does not include ERBB2" in mutation.reason
    assert "No activating ERBB2 mutation" not in rep.headline()
    step = next(s for s in rep.steps.steps if s.step_id == "broad_ngs_before_first_line")
    assert "not assessed" in step.why and "EGFR, ALK, ROS1" in step.why
    assert "broad NGS" in rep.headline()


@pytest.mark.parametrize("genes", [["EGFR", "ERBB2", "ALK"], ["egfr", "her2"], ["ERBB2 (HER2)"]])
def test_a_panel_that_lists_erbb2_gives_a_true_negative(genes):
    rep = _report(files=[NO_ERBB2_VCF], genes_covered=genes)
    assert rep.picture.mutation.status is Status.negative
    assert "broad_ngs_before_first_line" not in [s.step_id for s in rep.steps.steps]


def test_no_genes_covered_means_a_broad_panel():
    assert _report(files=[NO_ERBB2_VCF]).picture.mutation.status is Status.negative


def test_a_test_with_no_sequence_data_is_not_assessed_unless_the_lab_says_none_was_found():
    assert _report().picture.mutation.status is Status.not_assessed
    assert _report().picture.mutation.reason_code == "no_sequence_data"
    assert _report(no_variant_reported=True).picture.mutation.status is Status.negative
    lacks = _report(no_variant_reported=True, genes_covered=["EGFR"]).picture.mutation
    assert lacks.status is Status.not_assessed


def test_no_variant_reported_cannot_contradict_files():
    with pytest.raises(CaseError, match="no_variant_reported"):
        _report(files=[NO_ERBB2_VCF], no_variant_reported=True)


def test_an_activating_variant_on_a_panel_said_not_to_cover_erbb2_is_still_reported():
    rep = _report(files=["../patient01_yvma_grch38.vcf"], sample="P001_TUMOR", genes_covered=["EGFR"])
    assert rep.picture.mutation.status is Status.positive
