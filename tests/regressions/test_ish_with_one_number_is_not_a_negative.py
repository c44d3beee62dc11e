"""An ISH result with only one of its two numbers below threshold is not "no amplification".

The rule is "ratio >= 2 or >= 6 HER2 copies/cell": a HER2/CEP17 ratio of 1.4 given alone (or 3.1
copies/cell alone) read as "No ERBB2 amplification", though the missing number could reach its
threshold. Either number at threshold is still positive alone; both below is negative.
"""

from __future__ import annotations

import pytest
from report_helpers import report

from her2scope.case.picture import Status


@pytest.mark.parametrize("ish", [{"her2_cep17_ratio": 1.4}, {"mean_her2_copies": 3.1}])
def test_one_number_below_threshold_is_not_assessed(ish):
    amp = report(files=None, ish=ish).picture.amplification
    assert amp.status is Status.not_assessed
    assert amp.reason_code == "incomplete_ish"
    assert "without the" in amp.reason


@pytest.mark.parametrize("ish, status", [({"her2_cep17_ratio": 2.0}, Status.positive),
                                         ({"mean_her2_copies": 6.0}, Status.positive),
                                         ({"mean_her2_copies": 4.5}, Status.equivocal),
                                         ({"her2_cep17_ratio": 1.4, "mean_her2_copies": 3.1}, Status.negative)])
def test_a_decisive_result_is_unchanged(ish, status):
    assert report(files=None, ish=ish).picture.amplification.status is status
