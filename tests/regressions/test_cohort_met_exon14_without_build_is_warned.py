"""The cohort import counted a MET exon 14 splice row whose NCBI_Build is missing or unreadable as
no MET ex14 event, and said nothing (the coordinate rule needs the build; the single-patient
driver check already named such a row). The import now warns with the number of such rows.

Coordinates by hand: GRCh37 MET exon 14 is chr7:116,411,903-116,412,043 (the rule's window is
20 bp wider each side), so 116,411,901 is two bases before the exon; 116,300,000 is far from
exon 14 on both builds (GRCh38: 116,771,849-116,771,989)."""

from __future__ import annotations

from pathlib import Path

from cohort_studies import MAF_COLUMNS, lung_msk_2017_like

from her2scope.cohort.importer import import_study
from her2scope.cohort.studies import open_study

SAMPLE = "P-0000008-T01-IM5"      # sequenced without a call in lung_msk_2017_like
SPLICE = ("MET", "4233", "7", "116411901", "116411901", "Splice_Site", "SNP", "G", "A", "p.X1010_splice")
MISSENSE = ("MET", "4233", "7", "116411990", "116411990", "Missense_Mutation", "SNP", "G", "A", "p.D1010N")
FAR = ("MET", "4233", "7", "116300000", "116300000", "Splice_Site", "SNP", "G", "A", "p.X100_splice")


def _row(v: tuple, build: str) -> str:
    gene, entrez, chrom, start, end, cls, typ, ref, alt, prot = v
    values = dict(zip(MAF_COLUMNS, [""] * len(MAF_COLUMNS)))
    values.update(Hugo_Symbol=gene, Entrez_Gene_Id=entrez, Center="MSKCC", NCBI_Build=build, Chromosome=chrom,
                  Start_Position=start, End_Position=end, Strand="+", Variant_Classification=cls,
                  Variant_Type=typ, Reference_Allele=ref, Tumor_Seq_Allele1=ref, Tumor_Seq_Allele2=alt,
                  Tumor_Sample_Barcode=SAMPLE, Matched_Norm_Sample_Barcode=SAMPLE, HGVSp_Short=prot)
    return "\t".join(values[c] for c in MAF_COLUMNS) + "\n"


def _import(tmp_path: Path, *rows: str) -> tuple[list[str], Path]:
    d = lung_msk_2017_like(tmp_path / "study")
    with open(d / "data_mutations.txt", "a") as fh:
        fh.writelines(rows)
    out = tmp_path / "out"
    warnings = import_study(open_study(d), out)["warnings"]
    return [w for w in warnings if "MET ex14" in w], out


def _met14_samples(out: Path) -> set[str]:
    import duckdb

    from her2scope.cohort.drivers import DRIVERS, condition_sql

    met14 = next(d for d in DRIVERS if d.key == "met14")
    rows = duckdb.sql(f"SELECT DISTINCT sample_id FROM read_parquet('{out / 'mutations.parquet'}') "
                      f"WHERE {condition_sql(met14)}").fetchall()
    return {r[0] for r in rows}


def test_met_splice_row_without_a_build_is_warned(tmp_path):
    for build in ("", "not-a-build"):
        warned, out = _import(tmp_path / (build or "empty"), _row(SPLICE, build))
        assert len(warned) == 1
        assert warned[0].startswith("1 MET row(s) without a recognised NCBI_Build")
        assert "could not be applied" in warned[0] and "GRCh37 or GRCh38" in warned[0]
        assert _met14_samples(out) == set()


def test_with_its_build_the_row_is_counted_and_not_warned(tmp_path):
    warned, out = _import(tmp_path, _row(SPLICE, "GRCh37"))
    assert warned == [] and _met14_samples(out) == {SAMPLE}


def test_rows_the_rule_would_not_count_anyway_are_not_warned(tmp_path):
    warned, out = _import(tmp_path, _row(MISSENSE, ""), _row(FAR, ""))
    assert warned == [] and _met14_samples(out) == set()


def test_two_unplaced_rows_are_counted_as_two(tmp_path):
    warned, _ = _import(tmp_path, _row(SPLICE, ""), _row(SPLICE, "hg17"))
    assert len(warned) == 1 and warned[0].startswith("2 MET row(s)")
