"""Clinical attributes: which cBioPortal column names mean what (the synonym table), and how
their values are read. docs/cohort.md prints the same table (a test keeps the two equal).

A column is looked up case-insensitively, first in ``data_clinical_patient.txt``, then in
``data_clinical_sample.txt``; the first synonym present wins. Every other column of the clinical
files is listed in the output as *not understood* (never dropped silently), and every value that
a mapping cannot read is counted under ``unrecognised_values`` (read as unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

NA_TOKENS = frozenset({"", "na", "n/a", "nan", "[not available]", "[unknown]", "[not applicable]",
                       "[not evaluated]", "[discrepancy]", "unknown", "null", "none", "not available",
                       "not reported", "unk", "-"})


def is_na(raw: str | None) -> bool:
    return raw is None or raw.strip().lower() in NA_TOKENS


@dataclass(frozen=True)
class Attribute:
    key: str
    synonyms: tuple[str, ...]        # column names, in order of preference
    values: str                      # how values are read (for the docs and the output)
    read: Callable[[str], object]    # raw text (not NA) -> value, or None = not recognised


def read_sex(raw: str) -> str | None:
    v = raw.strip().upper()
    return {"MALE": "Male", "M": "Male", "FEMALE": "Female", "F": "Female"}.get(v)


def read_number(raw: str) -> float | None:
    try:
        v = float(raw.strip())
    except ValueError:
        return None
    return v if v == v and v >= 0 and v != float("inf") else None


_NEVER = ("never", "non-smoker", "nonsmoker", "non smoker", "lifelong non")
_EVER = ("current", "former", "ever", "smoker", "smoked", "reformed", "past", "active")


def read_smoking(raw: str) -> str | None:
    """never / ever. 'Never', 'Lifelong Non-smoker', 'No' -> never; 'Current', 'Former',
    'Current/Former', 'Ever', 'Yes', 'Smoker', 'Current reformed smoker ...' -> ever."""
    v = raw.strip().lower()
    if v in ("no", "n") or any(w in v for w in _NEVER):
        return "never"
    if v in ("yes", "y") or any(w in v for w in _EVER):
        return "ever"
    return None


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_STAGE = re.compile(r"^(IV|III|II|I|[1-4])(?:[ABC][0-9]?)?$")
_RANGE = re.compile(r"^(IV|III|II|I|[1-4])\s*(?:-|–|TO|/)\s*(IV|III|II|I|[1-4])$")
_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _stage_number(token: str) -> int:
    return _ROMAN[token] if token in _ROMAN else int(token)


def read_stage(raw: str) -> str | None:
    """Overall stage I..IV ('Stage IIIA', 'IIIA', '3', 'stage 4' ...); a range ('I-III', 'Stage 1-3')
    stays a range ('I-III'); TNM strings, stage 0 / in situ -> not recognised."""
    v = raw.strip().upper().replace("AJCC", "").replace("STAGE", "").replace("_", " ").strip()
    m = _STAGE.match(v.replace(" ", ""))
    if m:
        return _NAMES[_stage_number(m.group(1))]
    m = _RANGE.match(v)
    if m:
        lo, hi = sorted((_stage_number(m.group(1)), _stage_number(m.group(2))))
        return _NAMES[lo] if lo == hi else f"{_NAMES[lo]}-{_NAMES[hi]}"
    return None


def read_event(raw: str) -> int | None:
    """cBioPortal status: '1:DECEASED' / '0:LIVING', '1:Progressed' / '0:Not Progressed',
    '1:Recurred/Progressed' / '0:DiseaseFree', and the same words without the number."""
    v = raw.strip().upper()
    if v.startswith("1:") or v == "1":
        return 1
    if v.startswith("0:") or v == "0":
        return 0
    if any(w in v for w in ("NOT PROGRESS", "NO PROGRESS", "LIVING", "ALIVE", "CENSOR", "DISEASEFREE",
                            "DISEASE FREE", "NO EVENT")):
        return 0
    if any(w in v for w in ("DECEASED", "DEAD", "DIED", "PROGRESS", "RECURR", "RELAPSE", "EVENT")):
        return 1
    return None


def read_yes_no(raw: str) -> bool | None:
    v = raw.strip().lower()
    if v in ("yes", "y", "true", "1", "present", "positive"):
        return True
    if v in ("no", "n", "false", "0", "absent", "negative"):
        return False
    return None


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("sex", ("SEX", "GENDER"), "Male/M, Female/F", read_sex),
    Attribute("age", ("AGE", "AGE_AT_DIAGNOSIS", "DIAGNOSIS_AGE", "AGE_AT_DX", "AGE_AT_INITIAL_DIAGNOSIS",
                      "AGE_AT_SEQ_REPORT", "AGE_AT_SEQ_REPORTED_YEARS", "AGE_AT_SEQUENCING", "AGE_AT_SURGERY"),
              "years (a number >= 0)", read_number),
    Attribute("smoking", ("SMOKING_HISTORY", "SMOKING_STATUS", "SMOKER", "SMOKING", "SMOKING_HX",
                          "SMOKING_HISTORY_CATEGORY", "SMOKING_CATEGORY", "SMOKE_STATUS", "TOBACCO_SMOKING_HISTORY",
                          "TOBACCO_SMOKING_STATUS", "TOBACCO_USE", "TOBACCO_HISTORY", "CIGARETTE_SMOKING"),
              "never (Never, Lifelong non-smoker, No) / ever (Current, Former, Current/Former, Ever, Yes, "
              "Smoker, Current reformed smoker ...)", read_smoking),
    Attribute("stage", ("AJCC_PATHOLOGIC_TUMOR_STAGE", "STAGE", "STAGE_AT_DIAGNOSIS", "OVERALL_STAGE",
                        "PATH_STAGE", "PATHOLOGIC_STAGE", "PATHOLOGICAL_STAGE", "CLINICAL_STAGE", "CLIN_STAGE",
                        "TUMOR_STAGE", "AJCC_STAGE", "STAGE_AT_DX", "STAGE_HIGHEST_RECORDED"),
              "I, II, III, IV (Stage IIIA, IIIA, 3 ...); ranges kept (I-III)", read_stage),
    Attribute("os_months", ("OS_MONTHS", "OVERALL_SURVIVAL_MONTHS"), "months (a number >= 0)", read_number),
    Attribute("os_status", ("OS_STATUS", "OVERALL_SURVIVAL_STATUS", "VITAL_STATUS"),
              "1:DECEASED / 0:LIVING (or the words)", read_event),
    Attribute("pfs_months", ("PFS_MONTHS", "PROGRESSION_FREE_SURVIVAL_MONTHS"), "months (a number >= 0)",
              read_number),
    Attribute("pfs_status", ("PFS_STATUS", "PROGRESSION_FREE_SURVIVAL_STATUS"),
              "1:Progressed / 0:Not Progressed (or the words)", read_event),
    Attribute("brain", ("BRAIN_METASTASIS", "BRAIN_METASTASES", "BRAIN_METS", "BRAIN_MET", "MET_SITE_BRAIN"),
              "Yes / No", read_yes_no),
)
# Columns read for what they are, not as patient attributes (sample file).
IDENTIFIERS = ("SAMPLE_ID", "PATIENT_ID", "Tumor_Sample_Barcode")
HISTOLOGY = ("ONCOTREE_CODE", "CANCER_TYPE_DETAILED", "CANCER_TYPE", "HISTOLOGY")


def read_value(attr: Attribute, raw: str | None) -> tuple[object, bool]:
    """(value, recognised). NA tokens are (None, True): known to be unknown, not a reading problem."""
    if raw is None or is_na(raw):
        return None, True
    value = attr.read(raw)
    return value, value is not None


def stage_covariate(levels: set[str]) -> tuple[str, Callable[[str], int | None]]:
    """The Cox stage covariate the study's stage levels allow: III/IV vs I/II when the levels say
    so; IV vs I-III when the study records I-III as one level (as metastatic cohorts do)."""
    if any(lv in ("I-III", "II-III") for lv in levels) and not any(lv in ("III-IV", "II-IV", "I-IV") for lv in levels):
        return "stage_IV", lambda lv: {"I": 0, "II": 0, "III": 0, "I-II": 0, "I-III": 0, "II-III": 0, "IV": 1}.get(lv)
    return "stage_III_IV", lambda lv: {"I": 0, "II": 0, "I-II": 0, "III": 1, "IV": 1, "III-IV": 1}.get(lv)
