"""Convert the TCGA Firehose tables (PoisonAlien/TCGAmutations, written out as TSV) to a
cBioPortal study folder.

Input per cohort: a non-silent MAF (``*_nonsilent.maf.tsv[.gz]``: Hugo_Symbol, Chromosome,
Start_Position, End_Position, Reference_Allele, Tumor_Seq_Allele2, Variant_Classification,
Variant_Type, Tumor_Sample_Barcode, NCBI_Build, Protein_Change, ...) and a clinical table keyed
by ``Tumor_Sample_Barcode`` (12-character TCGA patient barcodes; Firehose field names).

Output: ``meta_study.txt``, ``data_mutations.txt.gz`` (only the columns the analysis uses;
Protein_Change keeps Oncotator's notation, which the engine reads), ``data_clinical_sample.txt``,
``data_clinical_patient.txt``, meta files and ``case_lists/cases_sequenced.txt`` (every sample
with a MAF row: TCGA is whole-exome, so these are profiled for every gene).

Mappings (stated, not guessed):
* OS_MONTHS = days_to_death (vital_status 1) or days_to_last_followup (vital_status 0),
  divided by 30.4375 (365.25 / 12). Missing days -> NA (the patient is left out of survival,
  and the report says how many).
* SMOKING_HISTORY from ``tobacco_smoking_history`` (TCGA CDE 2181650): 1 lifelong non-smoker,
  2 current smoker, 3 reformed > 15 years, 4 reformed <= 15 years, 5 reformed, duration not
  specified; anything else -> NA.
* A MAF sample with no clinical row keeps a sample row (it was sequenced) and a patient row
  whose attributes are NA.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import StudyFileError

MAF_COLUMNS = ("Hugo_Symbol", "Chromosome", "Start_Position", "End_Position", "Reference_Allele",
               "Tumor_Seq_Allele2", "Variant_Classification", "Variant_Type",
               "Tumor_Sample_Barcode", "NCBI_Build", "Protein_Change")
SMOKING = {"1": "Lifelong non-smoker", "2": "Current smoker",
           "3": "Current reformed smoker for > 15 years",
           "4": "Current reformed smoker for <= 15 years",
           "5": "Current reformed smoker, duration not specified"}
DAYS_PER_MONTH = 365.25 / 12
CANCER = {"LUAD": ("Non-Small Cell Lung Cancer", "Lung Adenocarcinoma"),
          "LUSC": ("Non-Small Cell Lung Cancer", "Lung Squamous Cell Carcinoma")}
NA = "NA"


@dataclass(frozen=True)
class FirehoseCohort:
    code: str            # LUAD, LUSC
    maf: Path
    clinical: Path


def _open_text(path: Path):
    if str(path).endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _rows(path: Path, required: tuple[str, ...]):
    with _open_text(path) as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header is None:
            raise StudyFileError(path, "empty file")
        missing = [c for c in required if c not in header]
        if missing:
            raise StudyFileError(path, f"missing column(s) {', '.join(missing)}", 1)
        for n, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise StudyFileError(path, f"{len(row)} fields, header has {len(header)}", n)
            yield n, dict(zip(header, row))


def _clean(v: str | None) -> str:
    v = (v or "").strip()
    return v if v and v not in ('""', "NA", "[Not Available]", "[Unknown]") else NA


def _months(days: str) -> str:
    try:
        d = float(days)
    except ValueError:
        return NA
    return NA if d < 0 else f"{d / DAYS_PER_MONTH:.4f}"


def _patient_row(pid: str, r: dict[str, str] | None) -> list[str]:
    if r is None:
        return [pid] + [NA] * 6
    dead = r.get("vital_status", "").strip()
    status = {"1": "1:DECEASED", "0": "0:LIVING"}.get(dead, NA)
    days = r.get("days_to_death", "") if dead == "1" else r.get("days_to_last_followup", "")
    months = _months(days.strip()) if status != NA else NA
    sex = {"MALE": "Male", "FEMALE": "Female"}.get(r.get("gender", "").strip().upper(), NA)
    stage = _clean(r.get("stage_event_pathologic_stage")).replace("_", " ")
    return [pid, sex, _clean(r.get("age_at_initial_pathologic_diagnosis")),
            SMOKING.get(r.get("tobacco_smoking_history", "").strip(), NA), stage,
            status if months != NA else NA, months]


def _write_clinical(path: Path, names: list[str], descs: list[str], types: list[str],
                    cols: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("#" + "\t".join(names) + "\n#" + "\t".join(descs) + "\n#" + "\t".join(types)
                 + "\n#" + "\t".join("1" for _ in cols) + "\n" + "\t".join(cols) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")


def convert(cohorts: list[FirehoseCohort], out: Path, study_id: str = "tcga_lung_firehose") -> dict:
    """Write the cBioPortal study folder; returns counts per cohort."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, dict[str, int]] = {}
    sample_rows: list[list[str]] = []
    patient_rows: list[list[str]] = []
    seen: dict[str, str] = {}           # sample -> the cohort whose MAF holds it
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n")
        text.write("\t".join(MAF_COLUMNS) + "\n")
        for c in cohorts:
            samples, n_rows = _copy_maf(c, text, seen)
            clinical = _read_clinical(c)
            cancer, detailed = CANCER[c.code]
            for s in samples:
                r = clinical.get(s)
                sample_rows.append([s, s, cancer, detailed, c.code,
                                    _clean(r.get("histological_type")) if r else NA])
                patient_rows.append(_patient_row(s, r))
            counts[c.code] = {"maf_rows": n_rows, "samples": len(samples),
                              "clinical_rows": len(clinical),
                              "samples_without_clinical": sum(s not in clinical for s in samples),
                              "clinical_without_maf": sum(p not in seen for p in clinical)}
        text.flush()
        text.detach()
    (out / "data_mutations.txt.gz").write_bytes(raw.getvalue())
    _write_clinical_files(out, sample_rows, patient_rows)
    _write_meta_files(out, study_id, sample_rows)
    return counts


def _copy_maf(c: FirehoseCohort, text: io.TextIOWrapper, seen: dict[str, str]) -> tuple[list[str], int]:
    """Copy a cohort's MAF rows (the columns used) into ``text``; its new samples and its row count.
    A sample in two cohorts' MAFs is an error."""
    samples: list[str] = []
    n_rows = 0
    for _, r in _rows(c.maf, MAF_COLUMNS):
        text.write("\t".join("" if r[k] == '""' else r[k] for k in MAF_COLUMNS) + "\n")
        n_rows += 1
        s = r["Tumor_Sample_Barcode"]
        if s not in seen:
            seen[s] = c.code
            samples.append(s)
        elif seen[s] != c.code:
            raise StudyFileError(c.maf, f"sample {s} is also in the {seen[s]} MAF")
    return samples, n_rows


def _read_clinical(c: FirehoseCohort) -> dict[str, dict[str, str]]:
    """The clinical table by patient barcode; a barcode twice is an error."""
    clinical: dict[str, dict[str, str]] = {}
    for n, r in _rows(c.clinical, ("Tumor_Sample_Barcode",)):
        pid = r["Tumor_Sample_Barcode"].strip()
        if pid in clinical:
            raise StudyFileError(c.clinical, f"duplicate barcode {pid}", n)
        clinical[pid] = r
    return clinical


def _write_clinical_files(out: Path, sample_rows: list[list[str]], patient_rows: list[list[str]]) -> None:
    _write_clinical(out / "data_clinical_sample.txt",
                    ["Patient Identifier", "Sample Identifier", "Cancer Type", "Cancer Type Detailed",
                     "Oncotree Code", "Histological Type"],
                    ["Patient identifier", "Sample identifier", "Cancer type", "Cancer type detailed",
                     "OncoTree code", "Firehose histological_type"],
                    ["STRING"] * 6,
                    ["PATIENT_ID", "SAMPLE_ID", "CANCER_TYPE", "CANCER_TYPE_DETAILED", "ONCOTREE_CODE",
                     "HISTOLOGICAL_TYPE"], sample_rows)
    _write_clinical(out / "data_clinical_patient.txt",
                    ["Patient Identifier", "Sex", "Diagnosis Age", "Smoking History",
                     "Pathologic Stage", "Overall Survival Status", "Overall Survival (Months)"],
                    ["Patient identifier", "Sex", "Age at initial pathologic diagnosis",
                     "TCGA tobacco_smoking_history (CDE 2181650), as text", "AJCC pathologic stage",
                     "Vital status", "Days to death or last follow-up / 30.4375"],
                    ["STRING", "STRING", "NUMBER", "STRING", "STRING", "STRING", "NUMBER"],
                    ["PATIENT_ID", "SEX", "AGE", "SMOKING_HISTORY", "AJCC_PATHOLOGIC_TUMOR_STAGE",
                     "OS_STATUS", "OS_MONTHS"], patient_rows)


def _write_meta_files(out: Path, study_id: str, sample_rows: list[list[str]]) -> None:
    """meta_*.txt and case_lists/cases_sequenced.txt (every sample with a MAF row)."""
    meta = {
        "meta_study.txt": [("type_of_cancer", "nsclc"), ("cancer_study_identifier", study_id),
                           ("name", "Lung adenocarcinoma and squamous cell carcinoma (TCGA, Firehose)"),
                           ("description", "TCGA LUAD + LUSC non-silent somatic mutations (Broad GDAC "
                            "Firehose, Oncotator) and clinical data, via PoisonAlien/TCGAmutations. "
                            "See SOURCES.md."),
                           ("short_name", "Lung (TCGA Firehose)"), ("reference_genome", "hg19"),
                           ("add_global_case_list", "true")],
        "meta_mutations_extended.txt": [("cancer_study_identifier", study_id),
                                        ("genetic_alteration_type", "MUTATION_EXTENDED"),
                                        ("datatype", "MAF"), ("stable_id", "mutations"),
                                        ("show_profile_in_analysis_tab", "true"),
                                        ("profile_name", "Mutations (non-silent)"),
                                        ("profile_description", "Firehose MAF, non-silent rows only"),
                                        ("data_filename", "data_mutations.txt.gz")],
        "meta_clinical_sample.txt": [("cancer_study_identifier", study_id),
                                     ("genetic_alteration_type", "CLINICAL"),
                                     ("datatype", "SAMPLE_ATTRIBUTES"),
                                     ("data_filename", "data_clinical_sample.txt")],
        "meta_clinical_patient.txt": [("cancer_study_identifier", study_id),
                                      ("genetic_alteration_type", "CLINICAL"),
                                      ("datatype", "PATIENT_ATTRIBUTES"),
                                      ("data_filename", "data_clinical_patient.txt")],
    }
    for name, pairs in meta.items():
        (out / name).write_text("".join(f"{k}: {v}\n" for k, v in pairs), encoding="utf-8")
    (out / "case_lists").mkdir(exist_ok=True)
    (out / "case_lists" / "cases_sequenced.txt").write_text(
        f"cancer_study_identifier: {study_id}\nstable_id: {study_id}_sequenced\n"
        "case_list_name: Samples with mutation data\n"
        "case_list_description: Every sample with a row in the Firehose non-silent MAF "
        "(whole-exome sequencing).\n"
        "case_list_ids: " + "\t".join(r[1] for r in sample_rows) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """python -m her2scope.cohort.tcga SRC_DIR OUT_DIR (SRC_DIR holds tcga_{luad,lusc}_firehose_*)."""
    args = argv if argv is not None else sys.argv[1:]
    src, out = Path(args[0]), Path(args[1])
    cohorts = [FirehoseCohort(code, src / f"tcga_{code.lower()}_firehose_nonsilent.maf.tsv.gz",
                              src / f"tcga_{code.lower()}_firehose_clinical.tsv") for code in ("LUAD", "LUSC")]
    print(json.dumps(convert(cohorts, out), indent=2))


if __name__ == "__main__":
    main()
