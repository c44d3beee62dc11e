"""Every analysis query, defined once.

Choice: SQL written once in the DuckDB dialect and transpiled to Spark SQL with sqlglot, rather
than Ibis. Reasons (see /work/shared/research/stack.md): Ibis caps pyspark at 4.0.5 and adds
~900 MB; sqlglot is pure Python (~few MB), leaves pyspark unpinned, and the SQL text is what an
epidemiologist or a cBioPortal power user can read and audit. The parity test proves that the
two engines return identical rows on the TCGA cohort.

Rules for the SQL here, so both engines agree exactly: integer counts only (ratios and
statistics are computed in Python, ``stats.py``), every ORDER BY is total, grouping keys are
COALESCEd to text (no NULL ordering differences).

Tables: mutations, samples, patients, sv (``importer.py``) and erbb2_calls (``calls.py``).

ERBB2 amplification (``her2_amp``: copy number 2 among samples profiled for ERBB2 copy number) is a
column of its own next to ``her2`` (activating mutation); no query merges the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .drivers import ALL, COMUTATION, DRIVERS, ONCOGENIC_DRIVERS, fusion_event_columns, mutation_event_columns
from .sql import in_list, literal


@dataclass(frozen=True)
class Query:
    name: str
    sql: str                 # DuckDB dialect
    view: bool = False       # a view other queries build on

    @lru_cache(maxsize=None)
    def text(self, dialect: str) -> str:
        if dialect == "duckdb":
            return self.sql
        import sqlglot   # lazy: only the Spark engine transpiles; the DuckDB path need not import it

        return sqlglot.transpile(self.sql, read="duckdb", write=dialect, pretty=False)[0]


_mut = [d for d in ALL if d.kind == "mutation"]
_fus = [d for d in ALL if d.kind == "fusion"]
_genes = sorted({g for d in ALL for g in d.genes} | {"ERBB2"})
_in_genes = in_list(_genes)


def _flag(d) -> str:
    gene_prof = " AND ".join(f"s.p_{g.lower()}" for g in d.genes) if d.kind == "mutation" else "s.p_sv"
    src = "e" if d.kind == "mutation" else "f"
    return f"CASE WHEN {gene_prof} THEN coalesce({src}.d_{d.key}, 0) END AS {d.key}"


SAMPLE_EVENTS = Query("sample_events", f"""
SELECT m.sample_id,
  max(CASE WHEN m.hugo = 'ERBB2' AND c.activating THEN 1 ELSE 0 END) AS d_erbb2,
  max(CASE WHEN m.hugo = 'ERBB2' THEN 1 ELSE 0 END) AS d_erbb2_any,
  {mutation_event_columns()}
FROM mutations m LEFT JOIN erbb2_calls c ON m.variant_key = c.variant_key
WHERE m.hugo IN {_in_genes}
GROUP BY m.sample_id""", view=True)

FUSION_EVENTS = Query("fusion_events", f"""
SELECT sample_id,
  {fusion_event_columns()}
FROM sv GROUP BY sample_id""", view=True)

SAMPLE_FLAGS = Query("sample_flags", f"""
SELECT s.sample_id, s.patient_id, coalesce(s.histology, 'Unknown') AS histology,
  CASE WHEN s.p_erbb2 THEN coalesce(e.d_erbb2, 0) END AS her2,
  CASE WHEN s.p_erbb2 THEN coalesce(e.d_erbb2_any, 0) END AS her2_any,
  CASE WHEN s.p_cna_erbb2 THEN CASE WHEN s.erbb2_cna = 2 THEN 1 ELSE 0 END END AS her2_amp,
  {", ".join(_flag(d) for d in ALL)},
  coalesce(p.sex, 'Unknown') AS sex,
  coalesce(p.smoking_group, 'Unknown') AS smoking,
  coalesce(p.stage_group, 'Unknown') AS stage,
  CASE WHEN p.age IS NULL THEN 'Unknown' WHEN p.age < 50 THEN '<50' WHEN p.age < 60 THEN '50-59'
       WHEN p.age < 70 THEN '60-69' WHEN p.age < 80 THEN '70-79' ELSE '>=80' END AS age_band
FROM samples s
LEFT JOIN sample_events e ON e.sample_id = s.sample_id
LEFT JOIN fusion_events f ON f.sample_id = s.sample_id
LEFT JOIN patients p ON p.patient_id = s.patient_id""", view=True)

_other = " OR ".join(f"{k} = 1" for k in ONCOGENIC_DRIVERS if k not in ("egfr", "kras"))
PATIENT_FLAGS = Query("patient_flags", f"""
SELECT g.*,
  CASE WHEN g.her2 = 1 THEN 'HER2 activating' WHEN g.egfr = 1 THEN 'EGFR' WHEN g.kras = 1 THEN 'KRAS'
       WHEN {_other} THEN 'Other driver' ELSE 'No driver detected' END AS driver_group
FROM (
  SELECT f.patient_id, max(f.her2) AS her2, {", ".join(f"max(f.{d.key}) AS {d.key}" for d in ALL)},
    max(p.surv_months) AS surv_months, max(p.surv_event) AS surv_event, max(p.age) AS age,
    max(p.sex) AS sex, max(p.stage_group) AS stage_group, max(p.smoking_group) AS smoking_group,
    max(CASE WHEN p.brain_met THEN 1 WHEN NOT p.brain_met THEN 0 END) AS brain_met
  FROM sample_flags f LEFT JOIN patients p ON p.patient_id = f.patient_id
  WHERE f.her2 IS NOT NULL
  GROUP BY f.patient_id) g""", view=True)

VIEWS = (SAMPLE_EVENTS, FUSION_EVENTS, SAMPLE_FLAGS, PATIENT_FLAGS)

DISTINCT_ERBB2 = Query("distinct_erbb2", """
SELECT variant_key, min(build) AS build, min(chrom) AS chrom, min(start_pos) AS start_pos, min(ref) AS ref,
  min(alt) AS alt, min(protein_change) AS protein_change, count(*) AS n_rows
FROM mutations WHERE hugo = 'ERBB2' GROUP BY variant_key ORDER BY variant_key""")

COUNTS = Query("counts", """
SELECT count(*) AS samples,
  sum(CASE WHEN p_erbb2 THEN 1 ELSE 0 END) AS profiled_erbb2,
  sum(CASE WHEN NOT p_erbb2 THEN 1 ELSE 0 END) AS not_profiled_erbb2,
  sum(CASE WHEN p_sv THEN 1 ELSE 0 END) AS profiled_fusions,
  sum(CASE WHEN p_cna_erbb2 THEN 1 ELSE 0 END) AS profiled_cna_erbb2,
  count(DISTINCT patient_id) AS patients
FROM samples""")

PREVALENCE = Query("prevalence", """
SELECT count(*) AS profiled, sum(her2) AS mutant, sum(her2_any) AS any_erbb2
FROM sample_flags WHERE her2 IS NOT NULL""")

_DIMS = ("histology", "sex", "smoking", "stage", "age_band")
PREVALENCE_BY = Query("prevalence_by", "\nUNION ALL\n".join(
    f"SELECT {literal(d)} AS dimension, {d} AS level, count(*) AS profiled, sum(her2) AS mutant "
    f"FROM sample_flags WHERE her2 IS NOT NULL GROUP BY {d}" for d in _DIMS)
    + "\nORDER BY dimension, level")

# ERBB2 amplification (copy number 2): its own numerator and denominator (samples profiled for ERBB2
# copy number), never merged with activating mutations. The overlap is counted among samples profiled
# for both (her2 and her2_amp not NULL).
AMPLIFICATION = Query("amplification", """
SELECT count(*) AS cna_profiled,
  coalesce(sum(her2_amp), 0) AS amplified,
  coalesce(sum(CASE WHEN her2 IS NOT NULL THEN 1 ELSE 0 END), 0) AS both_profiled,
  coalesce(sum(CASE WHEN her2 = 1 AND her2_amp = 1 THEN 1 ELSE 0 END), 0) AS mutation_and_amplification,
  coalesce(sum(CASE WHEN her2 = 1 AND her2_amp = 0 THEN 1 ELSE 0 END), 0) AS mutation_only,
  coalesce(sum(CASE WHEN her2 = 0 AND her2_amp = 1 THEN 1 ELSE 0 END), 0) AS amplification_only,
  coalesce(sum(CASE WHEN her2 = 0 AND her2_amp = 0 THEN 1 ELSE 0 END), 0) AS neither
FROM sample_flags WHERE her2_amp IS NOT NULL""")

AMPLIFICATION_BY = Query("amplification_by", "\nUNION ALL\n".join(
    f"SELECT {literal(d)} AS dimension, {d} AS level, count(*) AS profiled, sum(her2_amp) AS amplified "
    f"FROM sample_flags WHERE her2_amp IS NOT NULL GROUP BY {d}" for d in _DIMS)
    + "\nORDER BY dimension, level")

SPECTRUM = Query("spectrum", """
SELECT coalesce(c.alteration_class, 'not_called') AS alteration_class,
  coalesce(c.oncogenicity, 'not_called') AS oncogenicity,
  coalesce(c.domain, 'none') AS domain, coalesce(CAST(c.exon AS VARCHAR), 'none') AS exon,
  count(*) AS mutations, count(DISTINCT m.sample_id) AS samples
FROM mutations m
JOIN samples s ON s.sample_id = m.sample_id AND s.p_erbb2
LEFT JOIN erbb2_calls c ON c.variant_key = m.variant_key
WHERE m.hugo = 'ERBB2'
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""")

LOLLIPOP = Query("lollipop", """
SELECT coalesce(c.call_protein_change, m.protein_change, 'unknown') AS protein_change,
  coalesce(c.call_aa_pos, m.aa_pos, -1) AS aa_pos,
  coalesce(c.alteration_class, 'not_called') AS alteration_class,
  coalesce(c.oncogenicity, 'not_called') AS oncogenicity,
  count(DISTINCT m.sample_id) AS samples
FROM mutations m
JOIN samples s ON s.sample_id = m.sample_id AND s.p_erbb2
LEFT JOIN erbb2_calls c ON c.variant_key = m.variant_key
WHERE m.hugo = 'ERBB2'
GROUP BY 1, 2, 3, 4 ORDER BY 2, 1, 3, 4""")

ERBB2_ROWS = Query("erbb2_rows", """
SELECT m.sample_id, coalesce(s.histology, 'Unknown') AS histology, s.p_erbb2 AS profiled,
  coalesce(m.chrom, '') AS chrom, coalesce(m.start_pos, -1) AS start_pos, coalesce(m.ref, '') AS ref,
  coalesce(m.alt, '') AS alt, coalesce(m.variant_class, '') AS variant_class,
  coalesce(m.protein_change, '') AS maf_protein_change,
  coalesce(c.call_protein_change, '') AS protein_change, coalesce(c.hgvs_c, '') AS hgvs_c,
  coalesce(c.alteration_class, '') AS alteration_class, coalesce(c.oncogenicity, '') AS oncogenicity,
  coalesce(c.activating, false) AS activating, coalesce(c.call_source, '') AS call_source,
  coalesce(c.error, '') AS error
FROM mutations m JOIN samples s ON s.sample_id = m.sample_id
LEFT JOIN erbb2_calls c ON c.variant_key = m.variant_key
WHERE m.hugo = 'ERBB2'
ORDER BY 1, 5, 6, 7, 9""")

COMUT = Query("comutation", "\nUNION ALL\n".join(
    f"SELECT {literal(d.label)} AS gene, {literal(d.key)} AS key, "
    f"sum(CASE WHEN her2 = 1 AND {d.key} = 1 THEN 1 ELSE 0 END) AS both_altered, "
    f"sum(CASE WHEN her2 = 1 AND {d.key} = 0 THEN 1 ELSE 0 END) AS her2_only, "
    f"sum(CASE WHEN her2 = 0 AND {d.key} = 1 THEN 1 ELSE 0 END) AS other_only, "
    f"sum(CASE WHEN her2 = 0 AND {d.key} = 0 THEN 1 ELSE 0 END) AS neither "
    f"FROM sample_flags WHERE her2 IS NOT NULL AND {d.key} IS NOT NULL" for d in ALL)
    + "\nORDER BY key")

_keys = ["her2"] + [d.key for d in ALL]
ONCOPRINT = Query("oncoprint", f"""
SELECT sample_id, {", ".join(f"coalesce({k}, -1) AS {k}" for k in _keys)}
FROM sample_flags
WHERE her2 IS NOT NULL AND ({" OR ".join(f"{k} = 1" for k in _keys)})
ORDER BY {", ".join(f"coalesce({k}, -1) DESC" for k in _keys)}, sample_id""")

# Survival: the study's endpoint (patients.surv_*: overall survival, else progression-free survival;
# the manifest's survival_endpoint says which).
SURVIVAL_COUNTS = Query("survival_counts", """
SELECT driver_group, surv_months AS months, sum(surv_event) AS events, count(*) AS n
FROM patient_flags WHERE surv_months IS NOT NULL AND surv_event IS NOT NULL
GROUP BY driver_group, surv_months ORDER BY driver_group, months""")

SURVIVAL_MISSING = Query("survival_missing", """
SELECT driver_group, count(*) AS patients,
  sum(CASE WHEN surv_months IS NULL OR surv_event IS NULL THEN 1 ELSE 0 END) AS missing_survival
FROM patient_flags GROUP BY driver_group ORDER BY driver_group""")

SURVIVAL_PATIENTS = Query("survival_patients", """
SELECT patient_id, driver_group, her2, surv_months AS months, surv_event AS event, age,
  coalesce(sex, 'Unknown') AS sex,
  coalesce(stage_group, 'Unknown') AS stage_group, coalesce(smoking_group, 'Unknown') AS smoking_group
FROM patient_flags WHERE surv_months IS NOT NULL AND surv_event IS NOT NULL ORDER BY patient_id""")

BRAIN = Query("brain_metastases", """
SELECT driver_group, count(*) AS patients, count(brain_met) AS known, coalesce(sum(brain_met), 0) AS brain
FROM patient_flags GROUP BY driver_group ORDER BY driver_group""")

RESULTS = (COUNTS, PREVALENCE, PREVALENCE_BY, AMPLIFICATION, AMPLIFICATION_BY, SPECTRUM, LOLLIPOP, ERBB2_ROWS, COMUT, ONCOPRINT,
           SURVIVAL_COUNTS, SURVIVAL_MISSING, SURVIVAL_PATIENTS, BRAIN)
FAST = (PREVALENCE, SPECTRUM, SURVIVAL_COUNTS)   # the benchmark's "prevalence + spectrum + KM"
__all__ = ["Query", "VIEWS", "RESULTS", "FAST", "DISTINCT_ERBB2", "DRIVERS", "COMUTATION"]
