"""A result that states an ERBB2 mutation in words is never an ERBB2 negative.

``other_alterations: ["HER2 exon 20 insertion"]`` next to a VCF without an ERBB2 record was
listed as "stated, not interpreted" but the mutation status read ``negative`` ("No activating
ERBB2 mutation in tissue NGS"): a negative resting on a statement her2scope did not understand.
"""

from __future__ import annotations

import pytest
from report_helpers import CASES

from her2scope.case.picture import Status
from her2scope.case.schema import parse_case
from her2scope.report.model import report_for


def _report(stated: list[str], sample_type: str = "tissue"):
    case = parse_case({"case_id": "STATED-ERBB2", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                               "region": "US"},
                       "ngs": [{"sample_type": sample_type, "files": ["tissue_no_erbb2_grch37.vcf"],
                                "other_alterations": stated}]})
    return report_for(case, CASES)


def test_without_a_statement_the_file_is_a_negative():
    # the control: the same file alone is a trustworthy negative
    assert _report([]).picture.mutation.status is Status.negative


@pytest.mark.parametrize("text", ["HER2 exon 20 insertion", "ERBB2 p.Y772_A775dup", "ERBB2 ex20ins"])
@pytest.mark.parametrize("sample_type", ["tissue", "plasma"])
def test_a_stated_erbb2_mutation_is_not_a_negative(text, sample_type):
    rep = _report([text], sample_type)
    mutation = rep.picture.mutation
    assert mutation.status is Status.failed
    assert mutation.reason_code == "uninterpreted_records"
    assert text in mutation.reason
    assert rep.picture.tests[0].status is Status.failed


def test_a_stated_erbb2_amplification_leaves_the_mutation_negative():
    # an amplification is counted under amplification; it says nothing about a mutation
    rep = _report(["ERBB2 amplification"])
    assert rep.picture.mutation.status is Status.negative
    assert rep.picture.amplification.status is Status.positive


def test_other_genes_stated_leave_the_mutation_negative():
    assert _report(["EGFR exon 19 deletion", "PD-L1 TPS 80%"]).picture.mutation.status is Status.negative
