"""A case whose ISH ratio, copy number or tumour content is inf or nan was accepted, and an
infinite HER2/CEP17 ratio was reported as "amplified" (seen through the web case form).
Every number in a case file must be finite: such a case is refused with the field named."""

from __future__ import annotations

import pytest

from her2scope.case.schema import CaseError, parse_case

BASE = {"case_id": "INF-1", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"}}


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), "inf", "nan"])
@pytest.mark.parametrize("block, field", [("ish", "her2_cep17_ratio"), ("ish", "mean_her2_copies")])
def test_ish_numbers_must_be_finite(value, block, field):
    with pytest.raises(CaseError) as err:
        parse_case({**BASE, block: {field: value}})
    assert field in str(err.value)


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_copy_number_and_tumour_content_must_be_finite(value):
    with pytest.raises(CaseError) as err:
        parse_case({**BASE, "ngs": [{"sample_type": "tissue", "copy_number": {"copy_number": value}}]})
    assert "copy_number" in str(err.value)
    with pytest.raises(CaseError) as err:
        parse_case({**BASE, "ngs": [{"sample_type": "tissue", "no_variant_reported": True,
                                     "tumour_content": value}]})
    assert "tumour_content" in str(err.value)


def test_finite_values_still_load():
    case = parse_case({**BASE, "ish": {"her2_cep17_ratio": 2.4}})
    assert case.ish.her2_cep17_ratio == 2.4
