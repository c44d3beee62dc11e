"""Issue 12 item 2: an extra mutation file neither doubles nor breaks the run; every reading error
names the file, the line and the column.

Before: data_mutations.txt and data_mutations_extended.txt were concatenated (every ERBB2 variant
counted twice in the spectrum), and a lifted-over copy of the MAF with a nameless first column
(the index column pandas writes) stopped the run with a DuckDB binder error naming only the folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cohort_studies import MAF_COLUMNS, YVMA, lung_msk_2017_like, maf_row, write_maf

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.errors import StudyFileError
from her2scope.cohort.importer import import_study
from her2scope.cohort.studies import open_study


def test_the_file_the_meta_names_is_read_once_and_the_others_are_warned_about(tmp_path: Path):
    res = analyse(lung_msk_2017_like(tmp_path / "s"), DuckDBEngine(), with_statistics=False)
    res.close()
    # 5 ERBB2 rows in data_mutations.txt (YVMA x3, S310F, P122L); 10 if both files were read
    assert len(res.raw["erbb2_rows"]) == 5
    yvma = next(r for r in res.raw["spectrum"] if r["alteration_class"] == "exon20_insertion_yvma")
    assert (yvma["mutations"], yvma["samples"]) == (3, 3)
    assert res.manifest["counts"]["mutation_rows"] == 12       # rows of data_mutations.txt alone
    warnings = "\n".join(res.summary["warnings"])
    assert "data_mutations_extended.txt not read" in warnings and "data_mutations_hg38.txt not read" in warnings


def test_two_mutation_meta_files_the_mutations_profile_wins(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    (d / "meta_mutations_extended.txt").write_text(
        "cancer_study_identifier: lung_msk_2017\ngenetic_alteration_type: MUTATION_EXTENDED\ndatatype: MAF\n"
        "stable_id: mutations_uncalled\ndata_filename: data_mutations_extended.txt\n")
    study = open_study(d)
    assert [t.path.name for t in study.mutations] == ["data_mutations.txt"]
    assert any(w.startswith("data_mutations_extended.txt not read") for w in study.warnings)


def test_a_maf_with_a_nameless_first_column_is_read(tmp_path: Path):
    maf = tmp_path / "lifted.maf"
    write_maf(maf, [["0", *maf_row(YVMA, "S1")], ["1", *maf_row(YVMA, "S2")]], columns=("", *MAF_COLUMNS))
    res = analyse(maf, DuckDBEngine(), with_statistics=False)
    res.close()
    assert (res.summary["profiled_samples"], res.summary["her2_mutant_samples"]) == (2, 2)


def test_a_short_row_names_file_line_and_column(tmp_path: Path):
    maf = tmp_path / "lifted.maf"
    good = maf_row(YVMA, "S1")
    write_maf(maf, [["0", *good], ["1", *good[:9]]], columns=("", *MAF_COLUMNS))   # line 4: 10 fields of 20
    with pytest.raises(StudyFileError) as err:
        import_study(open_study(maf), tmp_path / "pq")
    e = err.value
    assert (e.line, e.column) == (4, "Variant_Type") and e.path.endswith("lifted.maf")
    assert "lifted.maf:4: column Variant_Type:" in e.message and "10 tab-separated fields" in e.message


def test_a_long_row_and_a_non_utf8_byte_are_located(tmp_path: Path):
    maf = tmp_path / "calls.maf"
    good = maf_row(YVMA, "S1")
    write_maf(maf, [good, [*good, "extra"]])
    with pytest.raises(StudyFileError) as err:
        import_study(open_study(maf), tmp_path / "pq")
    assert err.value.line == 4 and err.value.column == "20 (no header)"
    raw = ("\t".join(MAF_COLUMNS) + "\n" + "\t".join(good) + "\n").encode() \
        + "\t".join(good).replace("p.A775", "p.A\udcff775").encode("utf-8", "surrogateescape") + b"\n"
    maf.write_bytes(raw)
    with pytest.raises(StudyFileError) as err:
        import_study(open_study(maf), tmp_path / "pq2")
    assert (err.value.line, err.value.column) == (3, "HGVSp_Short") and "UTF-8" in err.value.message


def test_a_bad_start_position_names_its_column(tmp_path: Path):
    maf = tmp_path / "calls.maf"
    bad = maf_row(YVMA, "S2")
    bad[5] = "37880981.5"
    write_maf(maf, [maf_row(YVMA, "S1"), bad])
    with pytest.raises(StudyFileError) as err:
        import_study(open_study(maf), tmp_path / "pq")
    assert (err.value.line, err.value.column) == (4, "Start_Position")
