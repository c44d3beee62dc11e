"""Issue 8 item 11: stated alterations that were not understood vanished.

The failing input from the issue: ``other_alterations: ["EGFR exon 19 deletion", "MET
amplification"]`` left no trace in the report (no finding, no warning, no co-driver flag), while
"KRAS G12C" and "RET fusion" were recognised. Now the usual phrasings of the NSCLC drivers are
recognised and flagged as co-drivers, ERBB2 amplification counts in the HER2 amplification
result, and anything else is listed as "stated, not interpreted" in every rendering.
"""

from __future__ import annotations

import json

import pytest
from report_helpers import CASES

from her2scope.case.picture import Status
from her2scope.case.schema import parse_case
from her2scope.report.fhir import render_fhir
from her2scope.report.html import render_html
from her2scope.report.model import report_for


def _report(stated: list[str]):
    case = parse_case({"case_id": "STATED-1", "clinical": {"histology": "adenocarcinoma", "stage": "IVB",
                                                           "region": "US"},
                       "ngs": [{"sample_type": "tissue", "files": ["tissue_no_erbb2_grch37.vcf"],
                                "other_alterations": stated}]})
    return report_for(case, CASES)


def test_the_issues_example_is_flagged():
    rep = _report(["EGFR exon 19 deletion", "MET amplification"])
    assert [f.driver for f in rep.drivers.findings] == ["EGFR", "MET amplification"]
    assert "EGFR exon 19 deletion" in rep.headline() and "MET amplification" in rep.headline()
    assert "co-occurrence with a HER2 alteration is rare" in rep.headline()
    assert not rep.drivers.not_interpreted


# Each phrasing and the driver it must flag (labels of her2scope.cohort.drivers, plus MET amplification).
PHRASINGS = {
    "EGFR exon 19 deletion": "EGFR", "EGFR ex19del": "EGFR", "EGFR del19": "EGFR",
    "EGFR p.E746_A750del": "EGFR", "EGFR L858R": "EGFR", "EGFR p.L858R": "EGFR",
    "EGFR p.Leu858Arg": "EGFR", "egfr l858r": "EGFR", "EGFR exon 20 insertion": "EGFR",
    "EGFR ex20ins": "EGFR", "KRAS G12C": "KRAS", "KRAS p.Gly12Cys": "KRAS", "BRAF V600E": "BRAF",
    "BRAF p.V600E": "BRAF", "MET exon 14 skipping": "MET ex14", "METex14": "MET ex14",
    "MET exon 14 skip": "MET ex14", "MET ex14": "MET ex14", "MET amplification": "MET amplification",
    "MET amp": "MET amplification", "ALK fusion": "ALK fusion", "ALK rearrangement": "ALK fusion",
    "EML4-ALK fusion": "ALK fusion", "EML4-ALK": "ALK fusion", "ROS1 fusion": "ROS1 fusion",
    "CD74-ROS1": "ROS1 fusion", "RET fusion": "RET fusion", "KIF5B::RET": "RET fusion",
    "RET rearrangement": "RET fusion", "NTRK fusion": "NTRK fusion", "NTRK1 fusion": "NTRK fusion",
    "ETV6-NTRK3 fusion": "NTRK fusion",
}


@pytest.mark.parametrize("text,driver", sorted(PHRASINGS.items()))
def test_usual_phrasings_are_recognised(text, driver):
    rep = _report([text])
    assert [f.driver for f in rep.drivers.findings] == [driver]
    assert [s.outcome for s in rep.drivers.stated] == ["driver"]


@pytest.mark.parametrize("text", ["ERBB2 amplification", "HER2 amplification", "HER2 amplified"])
def test_a_stated_erbb2_amplification_is_the_her2_amplification_result(text):
    rep = _report([text])
    assert rep.picture.amplification.status is Status.positive
    assert text in " ".join(rep.picture.amplification.evidence)
    assert not rep.drivers.findings and [s.outcome for s in rep.drivers.stated] == ["her2"]


def test_anything_else_is_listed_in_every_rendering_never_dropped():
    odd = ["PD-L1 TPS 80%", "EGFR amplification", "ALK-positive", "TP53 R273H", "EGFR mutation"]
    rep = _report(odd + ["KRAS G12C"])
    listed = [s.text for s in rep.drivers.not_interpreted]
    assert listed == odd
    assert [f.driver for f in rep.drivers.findings] == ["KRAS"]
    data = rep.as_dict()
    assert data["other_drivers"]["stated_not_interpreted"] == odd
    assert all(s["note"] for s in data["other_drivers"]["stated"] if s["outcome"] != "driver")
    html = render_html(rep)
    assert "Stated in the result, not interpreted" in html
    assert all(text in html for text in ("PD-L1 TPS 80%", "EGFR amplification", "TP53 R273H"))
    conclusion = next(e["resource"]["conclusion"] for e in render_fhir(rep)["entry"]
                      if e["resource"]["resourceType"] == "DiagnosticReport")
    assert all(repr(text) in conclusion for text in odd)
    assert json.dumps(data)    # serialisable


def test_a_recognised_change_no_rule_matches_is_listed_too():
    rep = _report(["KRAS A59T"])      # a KRAS change outside the driver codons (12, 13, 61, 117, 146)
    assert not rep.drivers.findings
    assert [(s.text, s.outcome) for s in rep.drivers.not_interpreted] == [("KRAS A59T", "not_a_driver")]
