"""Issue 8 item 4: an in-frame deletion or delins whose first changed residue is new was named
as a truncation (``p.L755_P1254delins…*``, stop_gained).

Expected names are derived here from the bundled NM_004448.4 with a plain genetic code (no
her2scope code): codons 755-757 are TTG AGG GAA (Leu Arg Glu); c.2264_2271delinsCT leaves
T+CT = TCT (Ser) and then AAC ACA TCT... (Asn755.. realigns with Asn758..), so three residues
become one: p.(Leu755_Glu757delinsSer).  Codons 774-776 are ATG GCT GGT (Met Ala Gly);
c.2322_2327del leaves AT+T = ATT (Ile) followed by GTG GGC (Val777 Gly778): p.(Met774_Gly776delinsIle).
"""

from __future__ import annotations

import pytest

from her2scope import Build

from helpers_engine import expression
from translation_namer import CODING, CODE, name

BOTH = pytest.mark.parametrize("build", [Build.GRCh37, Build.GRCh38])


def _aa(codons: str) -> str:
    return "".join(CODE[codons[i:i + 3]] for i in range(0, len(codons), 3))


def test_expectations_from_a_plain_translation():
    assert (CODING[2262:2271], _aa(CODING[2262:2271])) == ("TTGAGGGAA", "LRE")
    edited = CODING[:2263] + "CT" + CODING[2271:]
    assert _aa(edited[2262:2274]) == "SNTS" and _aa(CODING[2271:2280]) == "NTS"
    assert (CODING[2319:2328], _aa(CODING[2319:2328])) == ("ATGGCTGGT", "MAG")
    edited = CODING[:2321] + CODING[2327:]
    assert _aa(edited[2319:2328]) == "IVG" and _aa(CODING[2328:2334]) == "VG"
    assert name(2264, 2271, "CT") == ("Leu755_Glu757delinsSer", "inframe_deletion")
    assert name(2322, 2327, "") == ("Met774_Gly776delinsIle", "inframe_deletion")


@BOTH
@pytest.mark.parametrize("text,hgvs_p,short", [
    ("NM_004448.4:c.2264_2271delinsCT", "p.(Leu755_Glu757delinsSer)", "p.L755_E757delinsS"),
    ("NM_004448.4:c.2322_2327del", "p.(Met774_Gly776delinsIle)", "p.M774_G776delinsI"),
])
def test_inframe_delins_is_named_as_delins_not_truncation(build, text, hgvs_p, short):
    d = expression(text, build)
    assert d["hgvs_p"] == f"NP_004439.2:{hgvs_p}", d
    assert d["protein_change"] == short
    # Net loss of residues in the kinase domain: an in-frame deletion, never stop_gained, and
    # the kinase-domain in-frame deletion class (as p.L755_T759del), not "other".
    assert d["consequence"] == "inframe_deletion"
    assert d["alteration_class"] == "kinase_domain_inframe_deletion"


@pytest.mark.parametrize("text", ["p.L755_E757delinsS", "ERBB2 p.Leu755_Glu757delinsSer",
                                  "p.M774_G776delinsI"])
def test_protein_level_spelling_is_a_delins_too(text):
    d = expression(text)
    assert d["consequence"] == "inframe_deletion", d
    assert d["alteration_class"] == "kinase_domain_inframe_deletion"
    assert "delins" in d["protein_change"] and "*" not in d["protein_change"]


@BOTH
def test_inframe_deletion_just_before_the_stop_is_a_deletion(build):
    # c.3763_3765del removes Val1255 (GTG) before the stop TGA: the stop is the reference one,
    # so p.(Val1255del), not the nonsense change "p.Val1255Ter".
    assert name(3763, 3765, "") == ("Val1255del", "inframe_deletion")
    d = expression("NM_004448.4:c.3763_3765del", build)
    assert (d["hgvs_p"], d["consequence"]) == ("NP_004439.2:p.(Val1255del)", "inframe_deletion")
    assert expression("p.V1255del")["protein_change"] == "p.V1255del"


@BOTH
@pytest.mark.parametrize("c_first,c_last,bases,hgvs_p", [
    (2263, 2268, "TAA", "p.(Leu755Ter)"),                          # TTGAGG -> TAA: a stop at once
    (2263, 2271, "TCATAA", "p.(Leu755_Arg756delinsSerTer)"),       # TCA TAA: Ser then a stop
])
def test_real_truncations_stay_truncations(build, c_first, c_last, bases, hgvs_p):
    assert f"p.({name(c_first, c_last, bases)[0]})" == hgvs_p
    d = expression(f"NM_004448.4:c.{c_first}_{c_last}delins{bases}", build)
    assert d["hgvs_p"] == f"NP_004439.2:{hgvs_p}"
    assert d["consequence"] == "stop_gained" and d["alteration_class"] == "truncating"
