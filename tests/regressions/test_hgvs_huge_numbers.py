"""Issue 8 (fuzz follow-up): a number of thousands of digits in an HGVS expression, however it
reaches the parser (CLI text, web form, case file, library call), is a MalformedRecordError,
never Python's ValueError ("Exceeds the limit (4300 digits) for integer string conversion")."""

from __future__ import annotations

import pytest

from her2scope.errors import MalformedRecordError
from her2scope.hgvs.location import parse_cpos
from her2scope.hgvs.parse import canonical_protein_change, parse_dna, parse_protein

HUGE = "9" * 5000


@pytest.mark.parametrize("body", [f"c.{HUGE}A>G", f"g.{HUGE}_{HUGE}del", f"c.2313_2324dup{HUGE}",
                                  f"c.2313+{HUGE}A>G"])
def test_dna_expression_with_a_huge_number_is_malformed(body):
    with pytest.raises(MalformedRecordError):
        parse_dna(None, body, chromosome_build=None)


@pytest.mark.parametrize("text", [f"p.G{HUGE}V", f"p.Y772_A{HUGE}dup", f"p.L755fsTer{HUGE}"])
def test_protein_expression_with_a_huge_number_is_malformed(text):
    with pytest.raises(MalformedRecordError):
        parse_protein("ERBB2", text)
    with pytest.raises(MalformedRecordError):
        canonical_protein_change(text)


def test_c_position_with_a_huge_number_is_malformed():
    with pytest.raises(MalformedRecordError):
        parse_cpos(HUGE)


def test_ordinary_positions_still_parse():
    assert canonical_protein_change("p.G776V") == "p.G776V"
    assert parse_cpos("2313").base == 2313
