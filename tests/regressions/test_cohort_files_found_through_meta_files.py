"""Issue 12 item 1: data files are found through their meta file's ``data_filename``.

lung_msk_2017 on datahub names its copy-number file ``data_cna.txt`` (lower case) and
``meta_cna.txt`` says ``data_filename: data_cna.txt``; her2scope opened only ``data_CNA.txt`` and
called amplification "not assessed" for 915 samples that all have copy number. Counts by hand in
``tests/cohort_studies.py`` (lung_msk_2017_like).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cohort_studies import lung_msk_2017_like, write_meta

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine
from her2scope.cohort.errors import StudyFileError
from her2scope.cohort.studies import open_study


def _summary(d: Path) -> dict:
    res = analyse(d, DuckDBEngine(), with_statistics=False)
    res.close()
    return res.summary


def test_lower_case_data_cna_named_by_meta_cna(tmp_path: Path):
    s = _summary(lung_msk_2017_like(tmp_path / "lung_msk_2017"))
    assert s["amplification_assessed"] is True
    assert (s["cna_profiled_samples"], s["her2_amplified_samples"]) == (11, 5)
    assert (s["mutation_and_amplification_samples"], s["mutation_and_cna_profiled_samples"]) == (2, 11)
    assert (s["profiled_samples"], s["her2_mutant_samples"]) == (12, 4)
    used = {f["role"]: (f["file"], f["found_by"]) for f in s["files_used"]}
    assert used["cna"] == ("data_cna.txt", "meta_cna.txt data_filename")
    assert used["mutations"] == ("data_mutations.txt", "meta_mutations.txt data_filename")
    assert used["gene_panel_matrix"][0] == "data_gene_panel_matrix.txt"
    assert {f["file"] for f in s["files_used"] if f["role"] == "gene_panel"} == \
        {"data_gene_panel_impact341.txt", "data_gene_panel_impact410.txt"}
    not_read = {f["file"] for f in s["files_not_read"]}
    assert {"data_cna_hg19.seg", "meta_cna_hg19_seg.txt", "data_mutations_extended.txt"} <= not_read


def test_meta_naming_data_CNA_txt_reads_data_cna_txt_with_a_warning(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    write_meta(d / "meta_cna.txt", "lung_msk_2017", genetic_alteration_type="COPY_NUMBER_ALTERATION",
               datatype="DISCRETE", stable_id="cna", data_filename="data_CNA.txt")
    s = _summary(d)
    assert (s["cna_profiled_samples"], s["her2_amplified_samples"]) == (11, 5)
    assert any("names data_CNA.txt; read data_cna.txt" in w for w in s["warnings"])


def test_without_meta_files_the_usual_names_match_in_any_case(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    for meta in d.glob("meta_*.txt"):
        if meta.name != "meta_study.txt":
            meta.unlink()
    (d / "data_cna.txt").rename(d / "Data_CNA.TXT")
    s = _summary(d)
    assert (s["cna_profiled_samples"], s["her2_amplified_samples"]) == (11, 5)
    used = {f["role"]: (f["file"], f["found_by"]) for f in s["files_used"]}
    assert used["cna"] == ("Data_CNA.TXT", "usual name (no meta file)")
    assert used["mutations"][0] == "data_mutations.txt"          # preferred over _extended and the copy


def test_meta_naming_a_missing_file_is_an_error_with_line_and_key(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    (d / "data_cna.txt").unlink()
    with pytest.raises(StudyFileError) as err:
        open_study(d)
    assert err.value.path.endswith("meta_cna.txt") and err.value.line == 8   # the last of the 8 lines, as in datahub
    assert err.value.column == "data_filename" and "data_cna.txt" in err.value.message


def test_git_lfs_pointer_is_named(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    (d / "data_cna.txt").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 1\n")
    with pytest.raises(StudyFileError, match="Git LFS pointer") as err:
        open_study(d)
    assert err.value.path.endswith("data_cna.txt")


def test_check_command_lists_files_attributes_and_counts(tmp_path: Path):
    import json

    from typer.testing import CliRunner

    from her2scope.cli import app

    d = lung_msk_2017_like(tmp_path / "s")
    out = CliRunner().invoke(app, ["cohort", "check", str(d)])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert {"role": "cna", "file": "data_cna.txt", "found_by": "meta_cna.txt data_filename"} in doc["files_used"]
    assert doc["counts"]["profiled_erbb2"] == 12 and doc["counts"]["profiled_cna_erbb2"] == 11
    assert doc["clinical"]["attributes"]["stage"]["column"] == "STAGE_AT_DIAGNOSIS"
    assert doc["survival_endpoint"] == "OS"
    (d / "data_cna.txt").unlink()
    bad = CliRunner().invoke(app, ["cohort", "check", str(d)])
    assert bad.exit_code == 2 and "meta_cna.txt:8: column data_filename" in bad.output
