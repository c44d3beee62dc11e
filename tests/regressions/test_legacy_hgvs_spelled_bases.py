"""Issue 8 item 6: legacy HGVS with the deleted bases spelled out
(``NC_000017.10:g.37879601_37879602delTTinsAG``, as the Cancer Genome Interpreter and older lab
reports write it) was refused as unparseable.  It is accepted once the stated bases are checked
against the reference; a mismatch is a ``ref_mismatch`` error, never a silent rewrite.

Which bases are there, from the bundled data as plain text (no her2scope code): exon 17 of
NM_004448.4 starts at GRCh37 chr17:37,879,572 (UTA table alt_start_i 37879571) with mRNA index
2121 = c.1947, so chr17:37,879,601-37,879,602 is c.1976_1977, and codon 659 (c.1975_1977) is
GTT (Val): the reference holds TT there, not GG.  GTT -> GAG (Glu): p.(Val659Glu), the known
transmembrane V659E.  GRCh38 = GRCh37 + 1,843,747 over ERBB2: chr17:39,723,348-39,723,349.
"""

from __future__ import annotations

import pytest

from her2scope.pipeline import Options, annotate_inputs

from helpers_engine import expression
from translation_namer import CDS_START, CODE, CODING, _DATA

V659E = ("NM_004448.4:c.1976_1977delinsAG", "NP_004439.2:p.(Val659Glu)")


def test_reference_bases_worked_out_from_the_bundled_tables():
    rows = [line.split("\t") for line in
            (_DATA / "NM_004448.4_GRCh37_NC_000017.10_exons.tsv").read_text().splitlines()
            if line.startswith("16\t")]                     # ord 16 = exon 17
    tx_start, g_start = int(rows[0][1]), int(rows[0][4])
    assert (tx_start, g_start) == (2121, 37879571)
    c_first = tx_start + (37879601 - 1 - g_start) - CDS_START + 1
    assert c_first == 1976
    assert CODING[1975:1977] == "TT" and CODING[1974:1977] == "GTT"
    assert (CODE["GTT"], CODE["GAG"]) == ("V", "E")


@pytest.mark.parametrize("text", [
    "NC_000017.10:g.37879601_37879602delTTinsAG",
    "NC_000017.10:g.37879601_37879602del2insAG",       # the count instead of the bases
    "NC_000017.11:g.39723348_39723349delTTinsAG",
    "NM_004448.4:c.1976_1977delTTinsAG",
    "ERBB2:c.1976_1977delTTinsAG",
    "NM_004448.4:c.1976_1977TT>AG",                     # the older "TT>AG" spelling
])
def test_spelled_out_delins_is_accepted_after_the_bases_are_checked(text):
    d = expression(text)
    assert (d.get("hgvs_c"), d.get("hgvs_p")) == V659E, d
    assert d["consequence"] == "missense_variant" and d["protein_change"] == "p.V659E"
    assert d["hgvs_g"].endswith("_37879602delinsAG") or d["hgvs_g"].endswith("_39723349delinsAG")


@pytest.mark.parametrize("text", [
    "NC_000017.10:g.37879601_37879602delGGinsCT",      # the reference has TT there
    "NC_000017.11:g.39723348_39723349delGGinsCT",
    "NM_004448.4:c.1976_1977delGGinsCT",
    "NC_000017.10:g.37879601_37879602delGG",
    "NC_000017.10:g.37879601_37879602dupGG",
    "NC_000017.10:g.37879601_37879602GG>CT",
])
def test_stated_bases_that_disagree_are_a_ref_mismatch(text):
    d = expression(text)
    assert d["error"] == "ref_mismatch", d
    assert "sequence GG does not match" in d["message"] and "reference TT" in d["message"]


@pytest.mark.parametrize("text,hgvs_c", [
    ("NC_000017.10:g.37879601_37879602delTT", "NM_004448.4:c.1976_1977del"),
    ("NC_000017.10:g.37879601_37879602dupTT", "NM_004448.4:c.1976_1977dup"),
    ("NM_004448.4:c.1976_1977delTT", "NM_004448.4:c.1976_1977del"),
    ("NM_004448.4:c.1976delTinsAG", "NM_004448.4:c.1976delinsAG"),
])
def test_spelled_out_del_and_dup_are_accepted(text, hgvs_c):
    assert expression(text).get("hgvs_c") == hgvs_c


@pytest.mark.parametrize("text", ["NC_000017.10:g.37879601_37879602delTTTinsAG",
                                  "NC_000017.10:g.37879601_37879602del3insAG",
                                  "NC_000017.10:g.37879601_37879602dupT"])
def test_a_stated_length_that_does_not_fit_the_range_is_malformed(text):
    d = expression(text)
    assert d["error"] == "malformed_record" and "2 bases" in d["message"], d


def test_a_mismatch_does_not_stop_the_rest_of_the_file(tmp_path):
    path = tmp_path / "cgi.txt"
    path.write_text("NC_000017.10:g.37879601_37879602delGGinsCT\n"
                    "NC_000017.10:g.37879601_37879602delTTinsAG\n")
    bad, good = list(annotate_inputs([str(path)], Options()))
    assert (bad.record, bad.error) == (1, "ref_mismatch")
    assert (good.record, good.hgvs_p) == (2, V659E[1])
