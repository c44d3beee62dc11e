"""A failed IHC does not put the IHC 3+ label "not on label": a result with no answer excludes nothing.
A scored IHC 1+ still does."""

from __future__ import annotations

from report_helpers import CASES

from her2scope.case.picture import Status
from her2scope.case.schema import parse_case
from her2scope.report.model import report_for


def _option(ihc: dict):
    case = parse_case({"case_id": "IHC-FAILED", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                             "region": "US", "prior_lines": 2,
                                                             "prior_therapies": ["platinum_chemotherapy"]},
                       "ihc": {"scoring_system": "gastric (Hofmann 2008)", **ihc}})
    rep = report_for(case, CASES)
    return rep.picture.expression.status, next(o for o in rep.steps.options if o.label_id == "tdxd_us_ihc3_solid")


def test_a_failed_ihc_waits_for_a_readable_one():
    status, option = _option({"score": "0", "status": "failed"})
    assert status is Status.failed
    assert option.verdict == "needs_information"
    assert any("cannot" in r or "no answer" in r for r in option.reasons)


def test_a_scored_ihc_1_still_excludes():
    status, option = _option({"score": "1+"})
    assert status is Status.negative
    assert option.verdict == "not_on_label"
