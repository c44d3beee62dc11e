"""A MET exon 14 splice event in a MAF whose NCBI_Build is missing or unreadable was silently
not counted (the coordinate rule needs the build): the driver check now names the record and the
rule it could not apply, while the same record with its build is still found."""

from __future__ import annotations

from her2scope.case.drivers import find_drivers

HEAD = "Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tVariant_Classification\tNCBI_Build\tHGVSp_Short\n"
# GRCh38 MET exon 14 is 116,771,849-116,771,989; 116,771,847 is two bases before it (the rule's 20 bp flank).
MET_SPLICE = "MET\t7\t116771847\t116771847\tSplice_Site\t{build}\tp.X1010_splice\n"


def _report(tmp_path, *rows: str):
    (tmp_path / "m.maf").write_text(HEAD + "".join(rows))
    return find_drivers([tmp_path / "m.maf"], [])


def test_met_splice_event_without_build_is_named_as_not_checked(tmp_path):
    for build in ("", "not-a-build"):
        report = _report(tmp_path, MET_SPLICE.format(build=build))
        assert report.findings == ()
        assert len(report.problems) == 1
        assert report.problems[0].startswith("m.maf row 1: MET record without a genome build")
        assert "MET ex14" in report.problems[0] and "could not be applied" in report.problems[0]


def test_with_its_build_the_same_record_is_a_finding_and_no_problem(tmp_path):
    report = _report(tmp_path, MET_SPLICE.format(build="GRCh38"))
    assert [f.driver for f in report.findings] == ["MET ex14"] and report.problems == ()


def test_records_the_rule_would_not_count_anyway_raise_nothing(tmp_path):
    missense = "MET\t7\t116771980\t116771980\tMissense_Mutation\t\tp.D1010N\n"      # missense: not the exon 14 rule
    far = "MET\t7\t116700000\t116700000\tSplice_Site\t\tp.X100_splice\n"             # far from exon 14 on both builds
    egfr = "EGFR\t7\t55174772\t55174786\tIn_Frame_Del\t\tp.E746_A750del\n"           # protein rule: no build needed
    report = _report(tmp_path, missense, far, egfr)
    assert [f.driver for f in report.findings] == ["EGFR"] and report.problems == ()
