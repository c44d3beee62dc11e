"""A mutation label is never "not on label" because of an NGS result that gave no answer.

With a failed assay or a panel without ERBB2, the mutation labels (T-DXd, zongertinib,
sevabertinib) read ``not_on_label``: an exclusion resting on input that was not read or not covered.
They are ``needs_information`` now; a trustworthy negative still excludes them.
"""

from __future__ import annotations

from report_helpers import CASES

from her2scope.case.picture import Status
from her2scope.case.schema import parse_case
from her2scope.report.model import report_for

MUTATION_LABELS = ("tdxd_us_mutation", "zongertinib_us_any_line", "sevabertinib_us_pretreated")


def _verdicts(test: dict):
    case = parse_case({"case_id": "NGS-NO-ANSWER", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                                "region": "US", "prior_lines": 1,
                                                                "prior_therapies": ["platinum_chemotherapy"]},
                       "ngs": [{"sample_type": "tissue", **test}]})
    rep = report_for(case, CASES)
    return rep.picture.mutation.status, {o.label_id: o for o in rep.steps.options}


def test_a_failed_assay_excludes_no_mutation_label():
    status, options = _verdicts({"status": "failed"})
    assert status is Status.failed
    for label in MUTATION_LABELS:
        assert options[label].verdict == "needs_information"
        assert any("excluded" in r for r in options[label].reasons)


def test_a_panel_without_erbb2_excludes_no_mutation_label():
    status, options = _verdicts({"files": ["tissue_no_erbb2_grch37.vcf"], "genes_covered": ["EGFR", "KRAS"]})
    assert status is Status.not_assessed
    assert {options[label].verdict for label in MUTATION_LABELS} == {"needs_information"}


def test_a_trustworthy_negative_still_excludes_them():
    status, options = _verdicts({"files": ["tissue_no_erbb2_grch37.vcf"]})
    assert status is Status.negative
    assert {options[label].verdict for label in MUTATION_LABELS} == {"not_on_label"}


def _trials(test: dict):
    case = parse_case({"case_id": "NGS-NO-ANSWER", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                                "region": "US", "prior_lines": 1,
                                                                "prior_therapies": ["platinum_chemotherapy"]},
                       "ngs": [{"sample_type": "tissue", **test}]})
    return {t.nct: t for t in report_for(case, CASES).steps.trials}


def test_a_failed_assay_rules_out_no_mutation_trial():
    negative = _trials({"files": ["tissue_no_erbb2_grch37.vcf"]})
    failed = _trials({"status": "failed"})
    assert not any(r.startswith("alteration does not fit") for t in failed.values() for r in t.reasons
                   if "mutation" in r)
    # some trial a readable negative rules out is 'possible' with a failed assay, and says why
    now_possible = [k for k, t in failed.items() if t.verdict == "possible" and negative[k].verdict == "no_match"]
    assert now_possible
    assert all(any(r.startswith("alteration not known") and "failed" in r for r in failed[k].reasons)
               for k in now_possible)
