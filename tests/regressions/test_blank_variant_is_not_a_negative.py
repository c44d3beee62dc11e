"""A blank variant string (``variants: [""]`` in a case file or the REST API's case, or a
registry test) counted as "variants given" for the negative rule, but the reader skips blank
text, so nothing was read and the mutation status was a confident "No activating ERBB2
mutation". A blank entry is now refused, naming the field, like a blank genes_covered entry."""

from __future__ import annotations

import datetime as dt

import pytest

from her2scope.case.schema import CaseError, parse_case
from her2scope.registry.interpret import interpret_test

CLINICAL = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"}


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_variant_in_a_case_is_refused(blank):
    with pytest.raises(CaseError, match=r"ngs\.0\.variants.*blank"):
        parse_case({"case_id": "BLANK-1", "clinical": CLINICAL,
                    "ngs": [{"sample_type": "tissue", "variants": ["ERBB2 c.2313_2324dup", blank]}]})


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_variant_is_not_stored_as_a_negative(blank):
    with pytest.raises(CaseError, match="blank"):
        interpret_test("BLANK-1", "ngs_tissue", resulted=dt.date(2024, 1, 1), variants=(blank,))
