"""Issue 12 item 3: clinical attribute names real studies use are mapped (one documented synonym
table), and the attributes (and values) not understood are listed, never dropped silently.

Before: lung_msk_2017's STAGE_AT_DIAGNOSIS gave stage "Unknown" for all 915 samples and SMOKER
was ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cohort_studies import lung_msk_2017_like

from her2scope.cohort.analysis import analyse
from her2scope.cohort.attributes import ATTRIBUTES, read_event, read_smoking, read_stage
from her2scope.cohort.engines import DuckDBEngine

ROOT = Path(__file__).resolve().parents[2]


def test_stage_at_diagnosis_and_smoker_are_read(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    res = analyse(d, DuckDBEngine(), with_statistics=False)
    res.close()
    s = res.summary
    attrs = s["clinical_attributes"]
    assert attrs["stage"]["column"] == "STAGE_AT_DIAGNOSIS" and attrs["smoking"]["column"] == "SMOKER"
    by = {(r["dimension"], r["level"]): (r["mutant"], r["profiled"]) for r in res.raw["prevalence_by"]}
    # patients 1,2,4,6,8,10,11 are IV (samples 1,2,4,6,8,10,11,12), 3 and 7 I-III, 5 IIIA, 9 Unknown
    assert by[("stage", "IV")] == (3, 8) and by[("stage", "I-III")] == (1, 2)
    assert by[("stage", "III")] == (0, 1) and by[("stage", "Unknown")] == (0, 1)
    # SMOKER: Never = patients 2, 4, 7, 11 (samples 2, 4, 7, 11, 12); Unknown = patient 9
    assert by[("smoking", "never")] == (3, 5) and by[("smoking", "ever")] == (1, 6)
    assert by[("smoking", "Unknown")] == (0, 1)
    not_understood = {(c["file"], c["column"]) for c in s["clinical_columns_not_understood"]}
    assert not_understood == {("data_clinical_patient.txt", "PRIOR_TREATMENT"),
                              ("data_clinical_sample.txt", "SAMPLE_TYPE"),
                              ("data_clinical_sample.txt", "TMB_NONSYNONYMOUS")}
    assert any("not understood" in w and "PRIOR_TREATMENT" in w for w in s["warnings"])


def test_values_not_understood_are_counted_and_warned(tmp_path: Path):
    d = lung_msk_2017_like(tmp_path / "s")
    f = d / "data_clinical_patient.txt"
    f.write_text(f.read_text().replace("\tIIIA\t", "\tT2N0M0\t"))
    res = analyse(d, DuckDBEngine(), with_statistics=False)
    res.close()
    assert res.summary["clinical_attributes"]["stage"]["unrecognised_values"] == {"T2N0M0": 1}
    assert any("stage value not understood" in w and "T2N0M0" in w for w in res.summary["warnings"])


@pytest.mark.parametrize(("raw", "stage"), [("Stage IIIA", "III"), ("IIIA", "III"), ("IV", "IV"), ("stage 4", "IV"),
                                            ("Stage IB", "I"), ("2", "II"), ("I-III", "I-III"),
                                            ("Stage 1-3", "I-III"), ("T2N0M0", None), ("0", None)])
def test_stage_values(raw, stage):
    assert read_stage(raw) == stage


@pytest.mark.parametrize(("raw", "group"), [("Never", "never"), ("Current/Former", "ever"), ("Former", "ever"),
                                            ("Lifelong Non-smoker", "never"), ("Yes", "ever"), ("No", "never"),
                                            ("Current reformed smoker for > 15 years", "ever"), ("Other", None)])
def test_smoking_values(raw, group):
    assert read_smoking(raw) == group


@pytest.mark.parametrize(("raw", "event"), [("1:DECEASED", 1), ("0:LIVING", 0), ("1:Progressed", 1),
                                            ("0:Not Progressed", 0), ("Progressed", 1), ("Not Progressed", 0),
                                            ("DECEASED", 1), ("maybe", None)])
def test_status_values(raw, event):
    assert read_event(raw) == event


def test_docs_print_the_same_synonym_table():
    """docs/cohort.md lists, per attribute, the synonyms in the order the code tries them."""
    text = (ROOT / "docs" / "cohort.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|", text, flags=re.M))
    for a in ATTRIBUTES:
        assert a.key in rows, a.key
        assert [c.strip().strip("`") for c in rows[a.key].split(",")] == list(a.synonyms), a.key
