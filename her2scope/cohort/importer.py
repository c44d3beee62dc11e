"""Stream a study into Parquet with DuckDB (read_csv streams: MAFs larger than memory are fine).

Output folder (``her2scope_cohort.json`` marks it):
  mutations.parquet  sample_id, hugo, chrom, start_pos, end_pos, ref, alt, variant_class,
                     variant_type, protein_change, aa_pos, build, variant_key (ERBB2 rows only)
  samples.parquet    sample_id, patient_id, histology, in_maf, in_clinical, profile_source,
                     p_<gene> (profiled for each gene), p_sv (profiled for fusions),
                     in_cna (a column of data_CNA.txt), p_cna_erbb2 (profiled for ERBB2 copy number),
                     erbb2_cna (discrete ERBB2 copy number -2..2; NULL unless p_cna_erbb2)
  patients.parquet   patient_id, sex, age, smoking_group, stage_group, os_months, os_event, brain_met
  sv.parquet         sample_id, gene1, gene2
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from . import ACTIVATING_DEFINITION, AMPLIFICATION_DEFINITION, CNA_PROFILED_DEFINITION, PROFILED_DEFINITION
from .drivers import GENES
from .errors import StudyFileError
from .studies import CNA_GENE_COLUMNS, WHOLE_EXOME_IDS, Study, TableFile, open_text

MANIFEST = "her2scope_cohort.json"
NA_TOKENS = ("", "NA", "N/A", "na", "[Not Available]", "[Unknown]", "[Not Applicable]",
             "[Not Evaluated]", "[Discrepancy]", "Unknown", "unknown", "null", "NULL")
SCHEMA_VERSION = 2        # 2: samples gained in_cna, p_cna_erbb2, erbb2_cna (data_CNA.txt)
ERBB2_ENTREZ = "2064"
CNA_VALUES = frozenset({-2.0, -1.5, -1.0, 0.0, 1.0, 2.0})   # cBioPortal discrete CNA (-1.5: hemizygous, some studies)
CNA_MATRIX_COLUMNS = ("cna", "gistic", "cna_discrete")     # gene panel matrix column of the CNA profile


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _na(expr: str) -> str:
    return f"CASE WHEN trim({expr}) IN ({', '.join(_lit(t) for t in NA_TOKENS)}) THEN NULL ELSE trim({expr}) END"


def _read(t: TableFile) -> str:
    return (f"read_csv({_lit(str(t.path))}, delim='\\t', header=true, skip={t.skip}, all_varchar=true, "
            "quote='', escape='', comment='', auto_detect=false, columns={"
            + ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in t.columns) + "})")


def _col(t: TableFile, *names: str) -> str:
    c = t.column(*names)
    return _q(c) if c else "NULL"


def _mutation_select(t: TableFile) -> str:
    prot = [t.column(n) for n in ("HGVSp_Short", "Protein_Change", "Amino_Acid_Change", "HGVSp")]
    prot_expr = "coalesce(" + ", ".join(f"nullif(trim({_q(p)}), '')" for p in prot if p) + ", NULL)"
    chrom = f"nullif(trim({_col(t, 'Chromosome')}), '')"
    ref = f"nullif(trim({_col(t, 'Reference_Allele')}), '')"
    a2 = f"nullif(trim({_col(t, 'Tumor_Seq_Allele2')}), '')"
    a1 = f"nullif(trim({_col(t, 'Tumor_Seq_Allele1')}), '')"
    start = _col(t, "Start_Position", "Start_position")
    end = _col(t, "End_Position", "End_position")
    build = f"upper(trim({_col(t, 'NCBI_Build')}))"
    return f"""
SELECT trim({_col(t, 'Tumor_Sample_Barcode')}) AS sample_id,
  upper(trim({_col(t, 'Hugo_Symbol')})) AS hugo,
  CASE WHEN lower(left({chrom}, 3)) = 'chr' THEN substr({chrom}, 4) ELSE {chrom} END AS chrom,
  TRY_CAST(trim({start}) AS BIGINT) AS start_pos,
  TRY_CAST(trim({end}) AS BIGINT) AS end_pos,
  {ref} AS ref,
  CASE WHEN ({a2} IS NULL OR {a2} = {ref}) AND {a1} IS NOT NULL AND {a1} <> {ref} THEN {a1} ELSE {a2} END AS alt,
  nullif(trim({_col(t, 'Variant_Classification')}), '') AS variant_class,
  nullif(trim({_col(t, 'Variant_Type')}), '') AS variant_type,
  {prot_expr} AS protein_change,
  CASE WHEN {build} IN ('37', 'GRCH37', 'HG19', 'GRCH37-LITE') THEN 'GRCh37'
       WHEN {build} IN ('38', 'GRCH38', 'HG38') THEN 'GRCh38' END AS build,
  (coalesce(trim({start}), '') <> '' AND TRY_CAST(trim({start}) AS BIGINT) IS NULL) AS pos_invalid,
  {_lit(t.path.name)} AS source_file
FROM {_read(t)}"""


def _find_bad_lines(t: TableFile, column: str, ok, limit: int = 5) -> list[tuple[int, str]]:
    """Slow path, only when the fast SQL check found a problem: the offending line numbers."""
    idx = t.columns.index(column)
    bad = []
    with open_text(t.path) as fh:
        for n, line in enumerate(fh, start=1):
            if n <= t.header_line:
                continue
            fields = line.rstrip("\r\n").split("\t")
            v = fields[idx] if idx < len(fields) else ""
            if not ok(v.strip()):
                bad.append((n, v))
                if len(bad) >= limit:
                    break
    return bad


def _is_int_or_empty(v: str) -> bool:
    return v == "" or v.lstrip("-").isdigit()


def _duckdb_error(t: TableFile, exc: Exception) -> StudyFileError:
    return StudyFileError(t.path, f"cannot be parsed as a tab-separated table: {exc}".split("\n")[0]
                          + (" " + " ".join(str(exc).split("\n")[1:3]) if "\n" in str(exc) else ""))


def _import_cna(con, t: TableFile, warnings: list[str]) -> None:
    """Fill the temp table ``cna(sample_id, value)`` from the ERBB2 row of a discrete copy-number
    matrix. DuckDB streams the file and keeps only that row; NA (or empty) = not profiled (NULL)."""
    import duckdb

    hugo = t.column("Hugo_Symbol")
    entrez = t.column("Entrez_Gene_Id")
    gene_cols = {c for c in t.columns if c.lower() in {g.lower() for g in CNA_GENE_COLUMNS}}
    samples = [c for c in t.columns if c not in gene_cols]
    if not samples:
        raise StudyFileError(t.path, "no sample columns in the copy-number matrix", t.header_line)
    if any(s == "" for s in samples):
        raise StudyFileError(t.path, "empty sample name in the header", t.header_line)
    is_erbb2 = []                      # Hugo_Symbol wins; Entrez_Gene_Id 2064 only where the symbol is empty
    if hugo:
        is_erbb2.append(f"upper(trim({_q(hugo)})) = 'ERBB2'")
    if entrez:
        is_erbb2.append(f"(trim({_q(entrez)}) = {_lit(ERBB2_ENTREZ)}"
                        + (f" AND {_na(_q(hugo))} IS NULL" if hugo else "") + ")")
    try:
        rows = con.execute(f"SELECT {', '.join(_q(c) for c in samples)} FROM {_read(t)} "
                           f"WHERE {' OR '.join(is_erbb2)}").fetchall()
    except duckdb.Error as exc:
        raise _duckdb_error(t, exc) from exc
    def erbb2_lines(limit: int) -> list[tuple[int, str]]:        # slow path, error messages only
        found = _find_bad_lines(t, hugo, lambda v: v.upper() != "ERBB2", limit) if hugo else []
        if not found and entrez:
            found = _find_bad_lines(t, entrez, lambda v: v != ERBB2_ENTREZ, limit)
        return found

    if len(rows) > 1:
        lines = erbb2_lines(len(rows))
        raise StudyFileError(t.path, f"ERBB2 appears in {len(rows)} rows (lines "
                             + ", ".join(str(n) for n, _ in lines) + "); expected one",
                             lines[1][0] if len(lines) > 1 else None)
    if not rows:
        warnings.append(f"{t.path.name} has no ERBB2 row: no sample is profiled for ERBB2 copy number "
                        "(amplification not assessed)")
        values: list[float | None] = [None] * len(samples)
    else:
        values = []
        for name, raw in zip(samples, rows[0]):
            v = None if raw is None or raw.strip() in NA_TOKENS else raw.strip()
            if v is not None:
                try:
                    number = float(v)
                except ValueError:
                    number = None
                if number is None or number not in CNA_VALUES:
                    line = erbb2_lines(1)
                    raise StudyFileError(t.path, f"ERBB2 copy number of sample {name!r} is {raw!r}; discrete "
                                         "values are -2, -1, 0, 1, 2 (or NA)", line[0][0] if line else None)
                v = number
            values.append(v)
    con.execute("INSERT INTO cna SELECT unnest(?::VARCHAR[]), unnest(?::DOUBLE[])", [samples, values])


def connect(threads: int | None = None, memory_limit: str | None = None, temp: Path | None = None):
    import duckdb

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = {_lit(memory_limit)}")
    if temp:
        con.execute(f"SET temp_directory = {_lit(str(temp))}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _attr(study: Study, *names: str) -> tuple[str, str] | None:
    """(table, column) holding a clinical attribute: patient file first, then sample file."""
    for tname, t in (("patient", study.clinical_patient), ("sample", study.clinical_sample)):
        if t is not None and t.column(*names):
            return tname, t.column(*names)
    return None


ATTRS = {
    "sex": ("SEX", "GENDER"),
    "age": ("AGE", "AGE_AT_DIAGNOSIS", "DIAGNOSIS_AGE", "AGE_AT_SEQ_REPORT", "AGE_AT_SEQUENCING"),
    "smoking": ("SMOKING_HISTORY", "SMOKING_STATUS", "TOBACCO_SMOKING_HISTORY_INDICATOR", "SMOKING"),
    "stage": ("AJCC_PATHOLOGIC_TUMOR_STAGE", "STAGE", "PATH_STAGE", "PATHOLOGIC_STAGE", "CLINICAL_STAGE",
              "TUMOR_STAGE"),
    "os_months": ("OS_MONTHS",),
    "os_status": ("OS_STATUS",),
    "brain": ("BRAIN_METASTASIS", "BRAIN_METS", "BRAIN_MET", "MET_SITE_BRAIN", "BRAIN_METASTASES"),
}


def _check_unique(con, t: TableFile, column: str, rel: str) -> None:
    dup = con.execute(f"SELECT {_q(column)}, count(*) FROM {rel} GROUP BY 1 HAVING count(*) > 1 LIMIT 1").fetchone()
    if dup:
        lines = _find_bad_lines(t, column, lambda v: v != dup[0], limit=2)
        raise StudyFileError(t.path, f"{column} {dup[0]!r} appears {dup[1]} times (lines "
                             + ", ".join(str(n) for n, _ in lines) + ")", lines[-1][0] if lines else None)


def import_study(study: Study, out: Path, *, threads: int | None = None,
                 memory_limit: str | None = None) -> dict:
    """Write the Parquet tables and the manifest; returns the manifest."""
    import duckdb

    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / ".tmp"
    con = connect(threads, memory_limit, tmp)
    warnings: list[str] = []
    p = {name: str(out / f"{name}.parquet") for name in ("mutations", "samples", "patients", "sv")}

    # 1. mutations: one streaming COPY over every MAF.
    for t in study.mutations:
        if t.column("Tumor_Sample_Barcode") is None or t.column("Hugo_Symbol") is None:
            raise StudyFileError(t.path, "a MAF needs Hugo_Symbol and Tumor_Sample_Barcode", t.header_line)
    union = "\nUNION ALL\n".join(_mutation_select(t) for t in study.mutations)
    key = ("concat_ws('|', coalesce(build, ''), coalesce(chrom, ''), coalesce(CAST(start_pos AS VARCHAR), ''), "
           "coalesce(ref, ''), coalesce(alt, ''), coalesce(protein_change, ''))")
    try:
        con.execute(f"""COPY (
SELECT sample_id, hugo, chrom, start_pos, end_pos, ref, alt, variant_class, variant_type, protein_change,
  TRY_CAST(nullif(regexp_extract(protein_change, '^p\\.[^0-9]*([0-9]+)', 1), '') AS INTEGER) AS aa_pos,
  build, CASE WHEN hugo = 'ERBB2' THEN {key} END AS variant_key, pos_invalid, source_file
FROM ({union})) TO {_lit(p['mutations'])} (FORMAT parquet, COMPRESSION zstd)""")
    except duckdb.Error as exc:
        raise _duckdb_error(study.mutations[0] if len(study.mutations) == 1 else
                            TableFile(study.root, 0, ()), exc) from exc
    mut = f"read_parquet({_lit(p['mutations'])})"
    n_rows, bad_pos, no_sample, erbb2_no_build = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE pos_invalid), count(*) FILTER (WHERE sample_id IS NULL "
        f"OR sample_id = ''), count(*) FILTER (WHERE hugo = 'ERBB2' AND build IS NULL AND start_pos IS NOT NULL) "
        f"FROM {mut}").fetchone()
    for t in study.mutations:
        if bad_pos:
            col = t.column("Start_Position", "Start_position")
            bad = _find_bad_lines(t, col, _is_int_or_empty) if col else []
            if bad:
                raise StudyFileError(t.path, f"Start_Position is not an integer: {bad[0][1]!r} "
                                     f"({bad_pos} such row(s))", bad[0][0])
        if no_sample:
            bad = _find_bad_lines(t, t.column("Tumor_Sample_Barcode"), lambda v: v != "")
            if bad:
                raise StudyFileError(t.path, f"empty Tumor_Sample_Barcode ({no_sample} row(s))", bad[0][0])
    if n_rows == 0:
        raise StudyFileError(study.mutations[0].path, "no mutation rows")
    if erbb2_no_build:
        warnings.append(f"{erbb2_no_build} ERBB2 row(s) without a recognised NCBI_Build: called from the "
                        "protein change only")

    # 2. clinical sample table (or the MAF's samples alone).
    cs = study.clinical_sample
    if cs is not None:
        sid = cs.column("SAMPLE_ID", "Tumor_Sample_Barcode")
        pid = cs.column("PATIENT_ID")
        hist = cs.column("ONCOTREE_CODE", "CANCER_TYPE_DETAILED", "CANCER_TYPE", "HISTOLOGY")
        try:
            con.execute(f"""CREATE TEMP TABLE clin_s AS SELECT trim({_q(sid)}) AS sample_id,
  {('trim(' + _q(pid) + ')') if pid else 'trim(' + _q(sid) + ')'} AS patient_id,
  {_na(_q(hist)) if hist else 'NULL'} AS histology FROM {_read(cs)}""")
        except duckdb.Error as exc:
            raise _duckdb_error(cs, exc) from exc
        _check_unique(con, cs, sid, "clin_s".replace("clin_s", f"(SELECT sample_id AS {_q(sid)} FROM clin_s)"))
    else:
        con.execute("CREATE TEMP TABLE clin_s (sample_id VARCHAR, patient_id VARCHAR, histology VARCHAR)")

    # 3. who is profiled, for which gene.
    panel_rows: list[tuple] = []
    matrix = study.gene_panel_matrix
    if matrix is not None:
        mcol = matrix.column("mutations")
        svcol = matrix.column("structural_variants", "fusion")
        ccol = matrix.column(*CNA_MATRIX_COLUMNS)
        if mcol is None:
            raise StudyFileError(matrix.path, "gene panel matrix has no 'mutations' column", matrix.header_line)
        con.execute(f"""CREATE TEMP TABLE matrix AS SELECT trim({_q(matrix.column('SAMPLE_ID'))}) AS sample_id,
  {_na(_q(mcol))} AS panel_id, {(_na(_q(svcol)) + ' IS NOT NULL') if svcol else 'NULL'} AS sv_profiled,
  {_na(_q(ccol)) if ccol else 'NULL'} AS cna_panel_id
  FROM {_read(matrix)}""")
        for (pid_,) in con.execute("SELECT panel_id FROM matrix WHERE panel_id IS NOT NULL UNION "
                                   "SELECT cna_panel_id FROM matrix WHERE cna_panel_id IS NOT NULL "
                                   "ORDER BY 1").fetchall():
            genes = study.gene_panels.get(pid_)
            if genes is None and pid_.upper() not in WHOLE_EXOME_IDS:
                raise StudyFileError(matrix.path, f"gene panel {pid_!r} is used but no gene panel file "
                                     "defines it (data_gene_panel_*.txt or gene_panels/*.txt)")
            panel_rows.append((pid_, genes is None, *[genes is None or g in genes for g in GENES]))
    else:
        ccol = None
        con.execute("CREATE TEMP TABLE matrix (sample_id VARCHAR, panel_id VARCHAR, sv_profiled BOOLEAN, "
                    "cna_panel_id VARCHAR)")
    gcols = ", ".join(f"g_{g.lower()} BOOLEAN" for g in GENES)
    con.execute(f"CREATE TEMP TABLE panel_flags (panel_id VARCHAR, whole BOOLEAN, {gcols})")
    if panel_rows:
        con.executemany(f"INSERT INTO panel_flags VALUES ({', '.join('?' for _ in panel_rows[0])})", panel_rows)
    con.execute("CREATE TEMP TABLE case_list (sample_id VARCHAR)")
    if study.sequenced_case_list is not None:
        con.executemany("INSERT INTO case_list VALUES (?)", [(s,) for s in sorted(study.sequenced_case_list)])
    has_matrix = matrix is not None
    has_cases = study.sequenced_case_list is not None
    has_sv = study.sv is not None
    # ERBB2 copy number: a non-NA value in data_CNA.txt and, when the gene panel matrix has a CNA
    # column and lists the sample, a CNA panel that covers ERBB2.
    con.execute("CREATE TEMP TABLE cna (sample_id VARCHAR, value DOUBLE)")
    if study.cna is not None:
        _import_cna(con, study.cna, warnings)
    cna_profiled = (f"coalesce(cn.value IS NOT NULL AND CASE WHEN m.sample_id IS NOT NULL AND "
                    f"{str(ccol is not None).upper()} THEN coalesce(pc.g_erbb2, false) ELSE true END, false)")
    source = (f"CASE WHEN m.sample_id IS NOT NULL AND {str(has_matrix).upper()} THEN 'gene_panel_matrix' "
              f"WHEN {str(has_cases).upper()} THEN 'case_list' ELSE 'maf' END")
    base_profiled = (f"CASE WHEN m.sample_id IS NOT NULL AND {str(has_matrix).upper()} THEN m.panel_id IS NOT NULL "
                     f"WHEN {str(has_cases).upper()} THEN cl.sample_id IS NOT NULL ELSE ms.sample_id IS NOT NULL END")
    gene_profiled = ",\n  ".join(
        f"CASE WHEN m.sample_id IS NOT NULL AND {str(has_matrix).upper()} THEN coalesce(pf.g_{g.lower()}, false) "
        f"ELSE {base_profiled} END AS p_{g.lower()}" for g in GENES)
    sv_profiled = (f"{str(has_sv).upper()} AND CASE WHEN m.sv_profiled IS NOT NULL THEN m.sv_profiled "
                   f"ELSE {base_profiled} END")
    con.execute(f"""COPY (
WITH ms AS (SELECT DISTINCT sample_id FROM {mut}),
ids AS (SELECT sample_id FROM clin_s UNION SELECT sample_id FROM ms UNION SELECT sample_id FROM cna),
alls AS (SELECT ids.sample_id, coalesce(c.patient_id, ids.sample_id) AS patient_id,
           c.histology, ms.sample_id IS NOT NULL AS in_maf, c.sample_id IS NOT NULL AS in_clinical
         FROM ids LEFT JOIN clin_s c ON c.sample_id = ids.sample_id LEFT JOIN ms ON ms.sample_id = ids.sample_id)
SELECT s.sample_id, s.patient_id, s.histology, s.in_maf, s.in_clinical, {source} AS profile_source,
  {gene_profiled},
  {sv_profiled} AS p_sv,
  cn.sample_id IS NOT NULL AS in_cna,
  {cna_profiled} AS p_cna_erbb2,
  CASE WHEN {cna_profiled} THEN cn.value END AS erbb2_cna
FROM alls s
LEFT JOIN ms ON ms.sample_id = s.sample_id
LEFT JOIN matrix m ON m.sample_id = s.sample_id
LEFT JOIN panel_flags pf ON pf.panel_id = m.panel_id
LEFT JOIN panel_flags pc ON pc.panel_id = m.cna_panel_id
LEFT JOIN case_list cl ON cl.sample_id = s.sample_id
LEFT JOIN cna cn ON cn.sample_id = s.sample_id
) TO {_lit(p['samples'])} (FORMAT parquet)""")

    # 4. patients: attributes from the patient file, else from the sample file.
    cp = study.clinical_patient
    if cp is not None:
        _check_unique(con, cp, cp.column("PATIENT_ID"),
                      f"(SELECT trim({_q(cp.column('PATIENT_ID'))}) AS {_q(cp.column('PATIENT_ID'))} FROM {_read(cp)})")
    exprs = {}
    for attr, names in ATTRS.items():
        where = _attr(study, *names)
        if where is None:
            exprs[attr] = "NULL"
        else:
            exprs[attr] = f"{where[0][0]}.{_q(where[1])}"
    srel = (f"(SELECT trim({_q(cs.column('PATIENT_ID') or cs.column('SAMPLE_ID', 'Tumor_Sample_Barcode'))}) AS pid, * "
            f"FROM {_read(cs)}) s") if cs is not None else "(SELECT NULL AS pid) s"
    prel = (f"(SELECT trim({_q(cp.column('PATIENT_ID'))}) AS pid, * FROM {_read(cp)}) p"
            if cp is not None else "(SELECT NULL AS pid) p")
    na = {k: _na(v) if v != "NULL" else "NULL" for k, v in exprs.items()}
    smoking = f"lower({na['smoking']})"
    stage = f"upper(replace(replace({na['stage']}, 'Stage', ''), 'STAGE', ''))"
    status = f"upper({na['os_status']})"
    brain = f"lower({na['brain']})"
    try:
        con.execute(f"""COPY (
WITH ids AS (SELECT DISTINCT patient_id FROM read_parquet({_lit(p['samples'])})),
p AS (SELECT * FROM {prel}),
s AS (SELECT * FROM {srel}),
raw AS (
  SELECT ids.patient_id,
    min({na['sex']}) AS sex_raw, min({na['age']}) AS age_raw, min({na['smoking']}) AS smoking_raw,
    min({na['stage']}) AS stage_raw, min({na['os_months']}) AS os_months_raw, min({na['os_status']}) AS os_status_raw,
    min({na['brain']}) AS brain_raw,
    min({smoking}) AS smoking_l, min({stage}) AS stage_u, min({status}) AS status_u, min({brain}) AS brain_l
  FROM ids LEFT JOIN p ON p.pid = ids.patient_id LEFT JOIN s ON s.pid = ids.patient_id
  GROUP BY ids.patient_id)
SELECT patient_id,
  CASE WHEN upper(sex_raw) IN ('MALE', 'M') THEN 'Male' WHEN upper(sex_raw) IN ('FEMALE', 'F') THEN 'Female' END AS sex,
  TRY_CAST(age_raw AS DOUBLE) AS age,
  CASE WHEN smoking_l LIKE '%never%' OR smoking_l LIKE '%non-smoker%' OR smoking_l LIKE '%nonsmoker%'
            OR smoking_l IN ('no', 'non smoker') THEN 'never'
       WHEN smoking_l LIKE '%smok%' OR smoking_l LIKE '%former%' OR smoking_l LIKE '%current%'
            OR smoking_l LIKE '%ever%' OR smoking_l = 'yes' THEN 'ever' END AS smoking_group,
  smoking_raw,
  CASE WHEN stage_u LIKE '%IV%' THEN 'IV' WHEN stage_u LIKE '%III%' THEN 'III' WHEN stage_u LIKE '%II%' THEN 'II'
       WHEN stage_u LIKE '%I%' THEN 'I' END AS stage_group,
  stage_raw,
  CASE WHEN TRY_CAST(os_months_raw AS DOUBLE) >= 0 THEN TRY_CAST(os_months_raw AS DOUBLE) END AS os_months,
  CASE WHEN status_u LIKE '1%' OR status_u LIKE '%DECEASED%' OR status_u LIKE '%DEAD%' THEN 1
       WHEN status_u LIKE '0%' OR status_u LIKE '%LIVING%' OR status_u LIKE '%ALIVE%' THEN 0 END AS os_event,
  CASE WHEN brain_l IN ('yes', 'y', 'true', '1', 'present') THEN true
       WHEN brain_l IN ('no', 'n', 'false', '0', 'absent') THEN false END AS brain_met
FROM raw) TO {_lit(p['patients'])} (FORMAT parquet)""")
    except duckdb.Error as exc:
        raise StudyFileError(cp.path if cp else study.root, f"clinical data: {exc}".split("\n")[0]) from exc

    # 5. structural variants (fusions).
    if study.sv is not None:
        t = study.sv
        con.execute(f"""COPY (SELECT trim({_col(t, 'Sample_Id')}) AS sample_id,
  upper(trim({_col(t, 'Site1_Hugo_Symbol')})) AS gene1, upper(trim({_col(t, 'Site2_Hugo_Symbol')})) AS gene2
  FROM {_read(t)}) TO {_lit(p['sv'])} (FORMAT parquet)""")
    else:
        con.execute(f"COPY (SELECT NULL::VARCHAR AS sample_id, NULL::VARCHAR AS gene1, NULL::VARCHAR AS gene2 "
                    f"WHERE false) TO {_lit(p['sv'])} (FORMAT parquet)")

    counts = dict(zip(("samples", "in_maf", "in_clinical", "profiled_erbb2", "maf_samples_unprofiled",
                       "clinical_only", "in_cna", "profiled_cna_erbb2", "maf_without_clinical",
                       "cna_only"), con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE in_maf), count(*) FILTER (WHERE in_clinical), "
        f"count(*) FILTER (WHERE p_erbb2), count(*) FILTER (WHERE in_maf AND NOT p_erbb2), "
        f"count(*) FILTER (WHERE in_clinical AND NOT in_maf), count(*) FILTER (WHERE in_cna), "
        f"count(*) FILTER (WHERE p_cna_erbb2), count(*) FILTER (WHERE in_maf AND NOT in_clinical), "
        f"count(*) FILTER (WHERE in_cna AND NOT in_maf AND NOT in_clinical) "
        f"FROM read_parquet({_lit(p['samples'])})").fetchone()))
    counts["mutation_rows"] = n_rows
    if cs is not None and counts["maf_without_clinical"]:
        warnings.append(f"{counts['maf_without_clinical']} MAF sample(s) have no row in "
                        f"{cs.path.name}: kept, with unknown clinical attributes")
    if study.cna is not None:
        if counts["cna_only"]:
            warnings.append(f"{counts['cna_only']} sample(s) of {study.cna.path.name} are neither in the MAF nor "
                            "in the clinical file: kept for copy number only (not profiled for mutations "
                            "unless the gene panel matrix or case list says so)")
        if counts["in_cna"] > counts["profiled_cna_erbb2"]:
            warnings.append(f"{counts['in_cna'] - counts['profiled_cna_erbb2']} sample column(s) of "
                            f"{study.cna.path.name} are not profiled for ERBB2 copy number (NA, or a CNA panel "
                            "without ERBB2): excluded from the amplification numerator and denominator")
    if counts["maf_samples_unprofiled"]:
        warnings.append(f"{counts['maf_samples_unprofiled']} sample(s) with MAF rows are not profiled for "
                        "ERBB2 (gene panel / case list): excluded from ERBB2 numerator and denominator")
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    manifest = {
        "schema_version": SCHEMA_VERSION, "study": study.name, "kind": study.kind, "root": str(study.root),
        "files": {"mutations": [t.path.name for t in study.mutations],
                  "clinical_sample": cs.path.name if cs else None,
                  "clinical_patient": cp.path.name if cp else None,
                  "gene_panel_matrix": matrix.path.name if matrix else None,
                  "sequenced_case_list": has_cases, "sv": study.sv.path.name if study.sv else None,
                  "cna": study.cna.path.name if study.cna else None},
        "meta": study.meta, "counts": counts, "warnings": warnings,
        "attributes": {k: (None if v == "NULL" else v) for k, v in exprs.items()},
        "definitions": {"activating": ACTIVATING_DEFINITION, "profiled": PROFILED_DEFINITION,
                        "amplification": AMPLIFICATION_DEFINITION, "cna_profiled": CNA_PROFILED_DEFINITION},
        "import_seconds": round(time.perf_counter() - t0, 3),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def is_imported(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def read_manifest(path: Path) -> dict:
    return json.loads((path / MANIFEST).read_text(encoding="utf-8"))
