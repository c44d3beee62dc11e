"""Plasma NGS with no ERBB2 mutation detected does not put the mutation labels "not on label".

'not_detected' is not a negative (low shedding can hide the mutation; tissue testing is
recommended), yet every mutation label read ``not_on_label``. They wait for tissue now
(``needs_tissue_test``); the same file as tissue is a negative and still excludes them.
"""

from __future__ import annotations

from report_helpers import CASES

from her2scope.case.picture import Status
from her2scope.case.schema import parse_case
from her2scope.report.model import report_for

MUTATION_LABELS = ("tdxd_us_mutation", "zongertinib_us_any_line", "sevabertinib_us_pretreated")


def _report(sample_type: str):
    case = parse_case({"case_id": "PLASMA-ND", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                            "region": "US", "prior_lines": 1,
                                                            "prior_therapies": ["platinum_chemotherapy"]},
                       "ngs": [{"sample_type": sample_type, "files": ["tissue_no_erbb2_grch37.vcf"]}]})
    return report_for(case, CASES)


def test_plasma_not_detected_waits_for_tissue():
    rep = _report("plasma")
    assert rep.picture.mutation.status is Status.not_detected
    options = {o.label_id: o for o in rep.steps.options}
    for label in MUTATION_LABELS:
        assert options[label].verdict == "needs_tissue_test"
        assert any("tissue NGS" in r for r in options[label].reasons)


def test_the_same_result_in_tissue_still_excludes():
    rep = _report("tissue")
    assert rep.picture.mutation.status is Status.negative
    assert {o.verdict for o in rep.steps.options if o.label_id in MUTATION_LABELS} == {"not_on_label"}
