"""Stream a study into Parquet with DuckDB (read_csv streams: MAFs larger than memory are fine).

Output folder (``her2scope_cohort.json`` marks it):
  mutations.parquet  sample_id, hugo, chrom, start_pos, end_pos, ref, alt, variant_class,
                     variant_type, protein_change, aa_pos, build, variant_key (ERBB2 rows only)
  samples.parquet    sample_id, patient_id, histology, in_maf, in_clinical, profile_source
                     (gene_panel_matrix | case_list | sequenced_samples | maf),
                     p_<gene> (profiled for each gene), p_sv (profiled for fusions),
                     in_cna (a column of data_CNA.txt), p_cna_erbb2 (profiled for ERBB2 copy number),
                     erbb2_cna (discrete ERBB2 copy number -2..2; NULL unless p_cna_erbb2)
  patients.parquet   patient_id, sex, age, smoking_group, smoking_raw, stage_group, stage_raw, os_months,
                     os_event, pfs_months, pfs_event, surv_months, surv_event (the study's survival
                     endpoint: OS, else PFS; manifest ``survival_endpoint``), brain_met
  sv.parquet         sample_id, gene1, gene2
"""

from __future__ import annotations

import gzip
import json
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import duckdb

from . import ACTIVATING_DEFINITION, AMPLIFICATION_DEFINITION, CNA_PROFILED_DEFINITION, PROFILED_DEFINITION
from .attributes import ATTRIBUTES, HISTOLOGY, IDENTIFIERS, NA_TOKENS, Attribute, read_value
from .drivers import DRIVERS, GENES, unplaced_condition_sql
from .errors import StudyFileError
from .sql import Bind, identifier, in_list, literal
from .studies import CNA_GENE_COLUMNS, WHOLE_EXOME_IDS, Study, TableFile, open_text

MANIFEST = "her2scope_cohort.json"
SCHEMA_VERSION = 3        # 2: samples gained in_cna, p_cna_erbb2, erbb2_cna (data_CNA.txt);
                          # 3: patients gained pfs_*, surv_* (OS, else PFS); manifest files/clinical
ERBB2_ENTREZ = "2064"
CNA_VALUES = frozenset({-2.0, -1.5, -1.0, 0.0, 1.0, 2.0})   # cBioPortal discrete CNA (-1.5: hemizygous, some studies)
CNA_MATRIX_COLUMNS = ("cna", "gistic", "cna_discrete")     # gene panel matrix column of the CNA profile
_NA_LIST = in_list(sorted(NA_TOKENS))
_q = identifier           # a column name read from a study file, always quoted
Connection = duckdb.DuckDBPyConnection
Chosen = dict[str, tuple[str, TableFile, str]]   # attribute key -> (alias p/s, clinical file, column)


def _na(expr: str) -> str:
    return f"CASE WHEN lower(trim({expr})) IN {_NA_LIST} THEN NULL ELSE trim({expr}) END"


def _read(t: TableFile, b: Bind) -> str:
    """DuckDB's streaming reader over a study file: every field text, columns named as in its header."""
    columns = ", ".join(f"{_q(c)} := 'VARCHAR'" for c in t.columns)
    return (f"read_csv({b(str(t.path))}, delim='\\t', header=true, skip={b(t.skip)}, all_varchar=true, "
            f"quote='', escape='', comment='', auto_detect=false, columns=struct_pack({columns}))")


def _parquet(path: str, b: Bind) -> str:
    return f"read_parquet({b(path)})"


def _col(t: TableFile, *names: str) -> str:
    c = t.column(*names)
    return _q(c) if c else "NULL"


def _int(expr: str) -> str:
    """A whole number or NULL: DuckDB's TRY_CAST would round '37880981.5' and read '1e3'."""
    return f"CASE WHEN regexp_full_match(trim({expr}), '-?[0-9]{{1,18}}') THEN CAST(trim({expr}) AS BIGINT) END"


def _execute(con: Connection, t: TableFile | None, sql: str, b: Bind) -> duckdb.DuckDBPyConnection:
    """Run a statement that reads study file ``t``; a reading error names the file, line and column."""
    try:
        return con.execute(sql, b.values)
    except duckdb.Error as exc:
        if t is None:
            raise
        raise _duckdb_error(t, exc) from exc


def _mutation_select(t: TableFile, b: Bind) -> str:
    prot = [t.column(n) for n in ("HGVSp_Short", "Protein_Change", "Amino_Acid_Change", "HGVSp")]
    prot_expr = "coalesce(" + ", ".join([f"nullif(trim({_q(p)}), '')" for p in prot if p] + ["NULL"]) + ")"
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
  {_int(start)} AS start_pos,
  {_int(end)} AS end_pos,
  {ref} AS ref,
  CASE WHEN ({a2} IS NULL OR {a2} = {ref}) AND {a1} IS NOT NULL AND {a1} <> {ref} THEN {a1} ELSE {a2} END AS alt,
  nullif(trim({_col(t, 'Variant_Classification')}), '') AS variant_class,
  nullif(trim({_col(t, 'Variant_Type')}), '') AS variant_type,
  {prot_expr} AS protein_change,
  CASE WHEN {build} IN ('37', 'GRCH37', 'HG19', 'GRCH37-LITE') THEN 'GRCh37'
       WHEN {build} IN ('38', 'GRCH38', 'HG38') THEN 'GRCh38' END AS build,
  (coalesce(trim({start}), '') <> '' AND {_int(start)} IS NULL) AS pos_invalid,
  {b(t.path.name)} AS source_file
FROM {_read(t, b)}"""


def _find_bad_lines(t: TableFile, column: str, ok: Callable[[str], bool], limit: int = 5) -> list[tuple[int, str]]:
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
    """A reading error that names the file, the line and the column: the file is scanned again
    (slow path, errors only) for the first row DuckDB cannot have read."""
    located = locate_problem(t)
    if located is not None:
        return located
    first = str(exc).split("\n")[0]
    return StudyFileError(t.path, f"cannot be read as a tab-separated table: {first}")


def locate_problem(t: TableFile) -> StudyFileError | None:
    """The first data line that is not UTF-8 or has a field count other than the header's."""
    n_cols = len(t.columns)
    opener = gzip.open if t.path.suffix == ".gz" else open
    with opener(t.path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            line = raw.rstrip(b"\r\n")
            if n <= t.header_line or not line:          # DuckDB skips empty lines too
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                col = t.columns[min(line[:exc.start].count(b"\t"), n_cols - 1)]
                return StudyFileError(t.path, f"not UTF-8 text (byte {line[exc.start]:#04x}); save the file as "
                                      "UTF-8", n, column=col)
            fields = text.split("\t")
            if len(fields) < n_cols:
                return StudyFileError(t.path, f"{len(fields)} tab-separated fields, the header has {n_cols}: "
                                      f"this column and the {n_cols - len(fields) - 1} after it are missing",
                                      n, column=t.columns[len(fields)])
            if len(fields) > n_cols:
                return StudyFileError(t.path, f"{len(fields)} tab-separated fields, the header has {n_cols} "
                                      f"(the last is {t.columns[-1]!r})", n, column=f"{n_cols + 1} (no header)")
    return None


def _import_cna(con: Connection, t: TableFile, warnings: list[str]) -> None:
    """Fill the temp table ``cna(sample_id, value)`` from the ERBB2 row of a discrete copy-number
    matrix. DuckDB streams the file and keeps only that row; NA (or empty) = not profiled (NULL)."""
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
        is_erbb2.append(f"(trim({_q(entrez)}) = {literal(ERBB2_ENTREZ)}"
                        + (f" AND {_na(_q(hugo))} IS NULL" if hugo else "") + ")")
    b = Bind()
    rows = _execute(con, t, f"SELECT {', '.join(_q(c) for c in samples)} FROM {_read(t, b)} "
                            f"WHERE {' OR '.join(is_erbb2)}", b).fetchall()
    if len(rows) > 1:
        lines = _erbb2_lines(t, len(rows))
        raise StudyFileError(t.path, f"ERBB2 appears in {len(rows)} rows (lines "
                             + ", ".join(str(n) for n, _ in lines) + "); expected one",
                             lines[1][0] if len(lines) > 1 else None)
    if not rows:
        warnings.append(f"{t.path.name} has no ERBB2 row: no sample is profiled for ERBB2 copy number "
                        "(amplification not assessed)")
        values: list[float | None] = [None] * len(samples)
    else:
        values = [_cna_value(t, name, raw) for name, raw in zip(samples, rows[0])]
    con.execute("INSERT INTO cna SELECT unnest(?::VARCHAR[]), unnest(?::DOUBLE[])", [samples, values])


def _erbb2_lines(t: TableFile, limit: int) -> list[tuple[int, str]]:
    """The lines of the ERBB2 row(s) of a copy-number matrix (slow path, error messages only)."""
    hugo, entrez = t.column("Hugo_Symbol"), t.column("Entrez_Gene_Id")
    found = _find_bad_lines(t, hugo, lambda v: v.upper() != "ERBB2", limit) if hugo else []
    if not found and entrez:
        found = _find_bad_lines(t, entrez, lambda v: v != ERBB2_ENTREZ, limit)
    return found


def _cna_value(t: TableFile, sample: str, raw: str | None) -> float | None:
    """A sample's discrete ERBB2 copy number; NA (or empty) = not profiled (None)."""
    v = None if raw is None or raw.strip().lower() in NA_TOKENS else raw.strip()
    if v is None:
        return None
    try:
        number = float(v)
    except ValueError:
        number = None
    if number is None or number not in CNA_VALUES:
        line = _erbb2_lines(t, 1)
        raise StudyFileError(t.path, f"ERBB2 copy number of sample {sample!r} is {raw!r}; discrete "
                             "values are -2, -1, 0, 1, 2 (or NA)", line[0][0] if line else None)
    return number


def connect(threads: int | None = None, memory_limit: str | None = None,
            temp: Path | None = None) -> Connection:
    """An in-memory DuckDB; the settings are connection options, not SQL text."""
    config: dict[str, Any] = {"preserve_insertion_order": False}
    if threads:
        config["threads"] = int(threads)
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp:
        config["temp_directory"] = str(temp)
    return duckdb.connect(":memory:", config=config)


def _attr(study: Study, synonyms: tuple[str, ...]) -> tuple[str, TableFile, str] | None:
    """(alias, table, column) holding a clinical attribute: patient file first, then sample file."""
    for alias, t in (("p", study.clinical_patient), ("s", study.clinical_sample)):
        column = t.column(*synonyms) if t is not None else None
        if t is not None and column:
            return alias, t, column
    return None


def _check_unique(con: Connection, t: TableFile, column: str, rel: str, b: Bind) -> None:
    dup = _execute(con, t, f"SELECT {_q(column)}, count(*) FROM {rel} GROUP BY 1 HAVING count(*) > 1 LIMIT 1",
                   b).fetchone()
    if dup:
        lines = _find_bad_lines(t, column, lambda v: v != dup[0], limit=2)
        raise StudyFileError(t.path, f"{column} {dup[0]!r} appears {dup[1]} times (lines "
                             + ", ".join(str(n) for n, _ in lines) + ")", lines[-1][0] if lines else None,
                             column=column)


_VARIANT_KEY = ("concat_ws('|', coalesce(build, ''), coalesce(chrom, ''), coalesce(CAST(start_pos AS VARCHAR), ''), "
                "coalesce(ref, ''), coalesce(alt, ''), coalesce(protein_change, ''))")


def _copy_mutations(con: Connection, study: Study, path: str, warnings: list[str]) -> int:
    """1. mutations: one streaming COPY over the study's MAF."""
    for t in study.mutations:
        if t.column("Tumor_Sample_Barcode") is None or t.column("Hugo_Symbol") is None:
            raise StudyFileError(t.path, "a MAF needs Hugo_Symbol and Tumor_Sample_Barcode", t.header_line)
    _write_mutations(con, study, path)
    b = Bind()
    row = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE pos_invalid), count(*) FILTER (WHERE sample_id IS NULL "
        "OR sample_id = ''), count(*) FILTER (WHERE hugo = 'ERBB2' AND build IS NULL AND start_pos IS NOT NULL) "
        f"FROM {_parquet(path, b)}", b.values).fetchone()
    assert row is not None        # an aggregate has one row
    n_rows, bad_pos, no_sample, erbb2_no_build = row
    for t in study.mutations:
        _raise_bad_mutation_rows(t, bad_pos, no_sample)
    if n_rows == 0:
        raise StudyFileError(study.mutations[0].path, "no mutation rows")
    if erbb2_no_build:
        warnings.append(f"{erbb2_no_build} ERBB2 row(s) without a recognised NCBI_Build: called from the "
                        "protein change only")
    warnings.extend(_unplaced_driver_warnings(con, path))
    return n_rows


def _unplaced_driver_warnings(con: Connection, path: str) -> list[str]:
    """A coordinate rule (MET exon 14) cannot count a row without a build: say how many rows it
    would have counted on either build, so that a missed MET exon 14 event is never silent."""
    out = []
    for d in DRIVERS:
        condition = unplaced_condition_sql(d)
        if condition is None:
            continue
        b = Bind()
        row = con.execute(f"SELECT count(*) FROM {_parquet(path, b)} WHERE {condition}", b.values).fetchone()
        if row and row[0]:
            builds = " or ".join(sorted({w.build for c in d.clauses for w in c.windows}))
            out.append(f"{row[0]} {'/'.join(d.genes)} row(s) without a recognised NCBI_Build lie where the "
                       f"{d.label} rule ({d.rule}) would count them on {builds}: the rule works on "
                       f"coordinates and could not be applied, so these rows are not counted as {d.label}")
    return out


def _write_mutations(con: Connection, study: Study, path: str) -> None:
    b = Bind()
    union = "\nUNION ALL\n".join(_mutation_select(t, b) for t in study.mutations)
    try:
        con.execute(f"""COPY (
SELECT sample_id, hugo, chrom, start_pos, end_pos, ref, alt, variant_class, variant_type, protein_change,
  TRY_CAST(nullif(regexp_extract(protein_change, '^p\\.[^0-9]*([0-9]+)', 1), '') AS INTEGER) AS aa_pos,
  build, CASE WHEN hugo = 'ERBB2' THEN {_VARIANT_KEY} END AS variant_key, pos_invalid, source_file
FROM ({union})) TO {b(path)} (FORMAT parquet, COMPRESSION zstd)""", b.values)
    except duckdb.Error as exc:       # name the file, line and column (slow path, errors only)
        for t in study.mutations:
            located = locate_problem(t)
            if located is not None:
                raise located from exc
        raise _duckdb_error(study.mutations[0], exc) from exc


def _raise_bad_mutation_rows(t: TableFile, bad_pos: int, no_sample: int) -> None:
    """The first MAF line with a non-integer Start_Position or an empty sample (slow path)."""
    if bad_pos:
        col = t.column("Start_Position", "Start_position")
        bad = _find_bad_lines(t, col, _is_int_or_empty) if col else []
        if bad:
            raise StudyFileError(t.path, f"Start_Position is not an integer: {bad[0][1]!r} "
                                 f"({bad_pos} such row(s))", bad[0][0], column=col)
    if no_sample:
        col = t.column("Tumor_Sample_Barcode")
        bad = _find_bad_lines(t, col, lambda v: v != "") if col else []
        if bad:
            raise StudyFileError(t.path, f"empty Tumor_Sample_Barcode ({no_sample} row(s))", bad[0][0],
                                 column=col)


def _clinical_samples(con: Connection, study: Study) -> None:
    """2. clinical sample table (or the MAF's samples alone) -> temp table clin_s."""
    cs = study.clinical_sample
    if cs is None:
        con.execute("CREATE TEMP TABLE clin_s (sample_id VARCHAR, patient_id VARCHAR, histology VARCHAR)")
        return
    sid = cs.column("SAMPLE_ID", "Tumor_Sample_Barcode")
    if sid is None:
        raise StudyFileError(cs.path, "the clinical sample file has no SAMPLE_ID column", cs.header_line)
    pid = cs.column("PATIENT_ID")
    hist = cs.column(*HISTOLOGY)
    b = Bind()
    _execute(con, cs, f"""CREATE TEMP TABLE clin_s AS SELECT trim({_q(sid)}) AS sample_id,
  trim({_q(pid or sid)}) AS patient_id,
  {_na(_q(hist)) if hist else 'NULL'} AS histology FROM {_read(cs, b)}""", b)
    _check_unique(con, cs, sid, f"(SELECT sample_id AS {_q(sid)} FROM clin_s)", Bind())


def _profiles(con: Connection, study: Study, warnings: list[str]) -> tuple[str | None, bool]:
    """3. panel / case-list / '#sequenced_samples' / copy-number temp tables. Returns the gene panel
    matrix's CNA column (or None) and whether a '#sequenced_samples:' line was read."""
    ccol, panel_rows = _gene_panel_matrix(con, study)
    gcols = ", ".join(f"g_{g.lower()} BOOLEAN" for g in GENES)
    con.execute(f"CREATE TEMP TABLE panel_flags (panel_id VARCHAR, whole BOOLEAN, {gcols})")
    if panel_rows:
        con.executemany(f"INSERT INTO panel_flags VALUES ({', '.join('?' for _ in panel_rows[0])})", panel_rows)
    con.execute("CREATE TEMP TABLE case_list (sample_id VARCHAR)")
    if study.sequenced_case_list is not None:
        con.executemany("INSERT INTO case_list VALUES (?)", [(s,) for s in sorted(study.sequenced_case_list)])
    con.execute("CREATE TEMP TABLE seq_line (sample_id VARCHAR)")
    sequenced = study.sequenced_samples
    if sequenced is not None:
        con.executemany("INSERT INTO seq_line VALUES (?)", [(s,) for s in sorted(sequenced)])
    # ERBB2 copy number: a non-NA value in data_CNA.txt and, when the gene panel matrix has a CNA
    # column and lists the sample, a CNA panel that covers ERBB2.
    con.execute("CREATE TEMP TABLE cna (sample_id VARCHAR, value DOUBLE)")
    if study.cna is not None:
        _import_cna(con, study.cna, warnings)
    return ccol, sequenced is not None


def _gene_panel_matrix(con: Connection, study: Study) -> tuple[str | None, list[tuple]]:
    """Temp table ``matrix`` (sample -> mutation / CNA panel, fusions profiled); returns the matrix's
    CNA column (or None) and one row of gene flags per panel used."""
    matrix = study.gene_panel_matrix
    if matrix is None:
        con.execute("CREATE TEMP TABLE matrix (sample_id VARCHAR, panel_id VARCHAR, sv_profiled BOOLEAN, "
                    "cna_panel_id VARCHAR)")
        return None, []
    mcol = matrix.column("mutations")
    svcol = matrix.column("structural_variants", "fusion")
    ccol = matrix.column(*CNA_MATRIX_COLUMNS)
    if mcol is None:
        raise StudyFileError(matrix.path, "gene panel matrix has no 'mutations' column", matrix.header_line)
    sid = matrix.column("SAMPLE_ID")
    if sid is None:
        raise StudyFileError(matrix.path, "gene panel matrix has no 'SAMPLE_ID' column", matrix.header_line)
    b = Bind()
    _execute(con, matrix, f"""CREATE TEMP TABLE matrix AS SELECT trim({_q(sid)}) AS sample_id,
  upper({_na(_q(mcol))}) AS panel_id, {(_na(_q(svcol)) + ' IS NOT NULL') if svcol else 'NULL'} AS sv_profiled,
  upper({_na(_q(ccol)) if ccol else 'NULL'}) AS cna_panel_id
  FROM {_read(matrix, b)}""", b)
    panel_rows: list[tuple] = []
    for (pid_,) in con.execute("SELECT panel_id FROM matrix WHERE panel_id IS NOT NULL UNION "
                               "SELECT cna_panel_id FROM matrix WHERE cna_panel_id IS NOT NULL "
                               "ORDER BY 1").fetchall():
        genes = study.gene_panels.get(pid_)
        if genes is None and pid_ not in WHOLE_EXOME_IDS:
            line = _find_bad_lines(matrix, mcol, lambda v: v.upper() != pid_, 1)
            if not line and ccol:
                line = _find_bad_lines(matrix, ccol, lambda v: v.upper() != pid_, 1)
            raise StudyFileError(matrix.path, f"gene panel {pid_!r} is used but no gene panel file "
                                 "defines it (data_gene_panel_*.txt or gene_panels/*.txt)",
                                 line[0][0] if line else None)
        panel_rows.append((pid_, genes is None, *[genes is None or g in genes for g in GENES]))
    return ccol, panel_rows


def _copy_samples(con: Connection, study: Study, mutations: str, path: str, ccol: str | None,
                  has_seq: bool) -> None:
    has_matrix = str(study.gene_panel_matrix is not None).upper()
    has_cases = str(study.sequenced_case_list is not None).upper()
    has_seq_s = str(has_seq).upper()
    cna_profiled = (f"coalesce(cn.value IS NOT NULL AND CASE WHEN m.sample_id IS NOT NULL AND "
                    f"{str(ccol is not None).upper()} THEN coalesce(pc.g_erbb2, false) ELSE true END, false)")
    source = (f"CASE WHEN m.sample_id IS NOT NULL AND {has_matrix} THEN 'gene_panel_matrix' "
              f"WHEN {has_cases} THEN 'case_list' WHEN {has_seq_s} THEN 'sequenced_samples' ELSE 'maf' END")
    # A sample on the MAF's '#sequenced_samples:' line was sequenced even without a call; a sample
    # with a call was sequenced even if the line forgot it.
    base_profiled = (f"CASE WHEN m.sample_id IS NOT NULL AND {has_matrix} THEN m.panel_id IS NOT NULL "
                     f"WHEN {has_cases} THEN cl.sample_id IS NOT NULL "
                     f"WHEN {has_seq_s} THEN sq.sample_id IS NOT NULL OR ms.sample_id IS NOT NULL "
                     f"ELSE ms.sample_id IS NOT NULL END")
    gene_profiled = ",\n  ".join(
        f"CASE WHEN m.sample_id IS NOT NULL AND {has_matrix} THEN coalesce(pf.g_{g.lower()}, false) "
        f"ELSE {base_profiled} END AS p_{g.lower()}" for g in GENES)
    sv_profiled = (f"{str(study.sv is not None).upper()} AND CASE WHEN m.sv_profiled IS NOT NULL THEN m.sv_profiled "
                   f"ELSE {base_profiled} END")
    b = Bind()
    con.execute(f"""COPY (
WITH ms AS (SELECT DISTINCT sample_id FROM {_parquet(mutations, b)}),
ids AS (SELECT sample_id FROM clin_s UNION SELECT sample_id FROM ms UNION SELECT sample_id FROM cna
        UNION SELECT sample_id FROM seq_line),
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
LEFT JOIN seq_line sq ON sq.sample_id = s.sample_id
LEFT JOIN cna cn ON cn.sample_id = s.sample_id
) TO {b(path)} (FORMAT parquet)""", b.values)


_SQL_TYPES = {"sex": "VARCHAR", "age": "DOUBLE", "smoking": "VARCHAR", "stage": "VARCHAR", "os_months": "DOUBLE",
              "os_status": "INTEGER", "pfs_months": "DOUBLE", "pfs_status": "INTEGER", "brain": "BOOLEAN"}


def _clinical_columns(study: Study, chosen: dict[str, tuple[str, TableFile, str]]) -> dict:
    """Which column of which clinical file was read as what; the others, listed (never dropped silently)."""
    used = {(t.path, c.lower()) for _, t, c in chosen.values()}
    synonym_of = {s.lower(): a.key for a in ATTRIBUTES for s in a.synonyms}
    known = {c.lower() for c in IDENTIFIERS + HISTOLOGY}
    not_understood, not_used = [], []
    for t in (study.clinical_patient, study.clinical_sample):
        if t is None:
            continue
        hist = t.column(*HISTOLOGY) if t is study.clinical_sample else None
        for c in t.columns:
            low = c.lower()
            if (t.path, low) in used or low in {i.lower() for i in IDENTIFIERS} or (hist and low == hist.lower()):
                continue
            if low in synonym_of:
                key = synonym_of[low]
                _, t2, c2 = chosen[key]
                not_used.append({"file": t.path.name, "column": c,
                                 "why": f"{key} is read from {t2.path.name} {c2}"})
            elif low in known:
                not_used.append({"file": t.path.name, "column": c, "why": f"histology is read from {hist}"})
            else:
                not_understood.append({"file": t.path.name, "column": c})
    return {"not_understood": not_understood, "not_used": not_used}


def _copy_patients(con: Connection, study: Study, samples_path: str, path: str, warnings: list[str]) -> dict:
    """4. patients: each attribute from the patient file, else the sample file; values read in Python
    (attributes.py) from the distinct raw values, so every value not understood is counted and listed."""
    cp = study.clinical_patient
    if cp is not None:
        _check_patient_ids(con, cp)
    chosen = {a.key: w for a in ATTRIBUTES if (w := _attr(study, a.synonyms)) is not None}
    _raw_patients(con, study, chosen, samples_path)
    if cp is not None:
        _warn_patients_without_row(con, cp, samples_path, warnings)
    report: dict = {"attributes": {a.key: _attribute_map(con, a, chosen, warnings) for a in ATTRIBUTES}}
    endpoint = _survival_endpoint(con, warnings)
    _write_patients(con, endpoint, path)
    report.update(_clinical_columns(study, chosen))
    report["survival_endpoint"] = endpoint
    if report["not_understood"]:
        warnings.append(f"{len(report['not_understood'])} clinical column(s) not understood (not used): "
                        + ", ".join(d["column"] for d in report["not_understood"][:12])
                        + (" ..." if len(report["not_understood"]) > 12 else ""))
    return report


def _patient_id(t: TableFile) -> str:
    pcol = t.column("PATIENT_ID")
    if pcol is None:
        raise StudyFileError(t.path, "the clinical patient file has no PATIENT_ID column", t.header_line)
    return pcol


def _check_patient_ids(con: Connection, cp: TableFile) -> None:
    pcol = _patient_id(cp)
    b = Bind()
    _check_unique(con, cp, pcol, f"(SELECT trim({_q(pcol)}) AS {_q(pcol)} FROM {_read(cp, b)})", b)


def _patients_of(cp: TableFile | None, b: Bind) -> str:
    """The patient file as relation ``p`` keyed by ``her2scope_pid``."""
    if cp is None:
        return "(SELECT NULL AS her2scope_pid) p"
    return f"(SELECT trim({_q(_patient_id(cp))}) AS her2scope_pid, * FROM {_read(cp, b)}) p"


def _samples_of(cs: TableFile | None, b: Bind) -> str:
    """The sample file as relation ``s`` keyed by its patient (or, without PATIENT_ID, sample) id."""
    if cs is None:
        return "(SELECT NULL AS her2scope_pid) s"
    key = cs.column("PATIENT_ID") or cs.column("SAMPLE_ID", "Tumor_Sample_Barcode")
    if key is None:
        raise StudyFileError(cs.path, "the clinical sample file has no SAMPLE_ID column", cs.header_line)
    return f"(SELECT trim({_q(key)}) AS her2scope_pid, * FROM {_read(cs, b)}) s"


def _raw_patients(con: Connection, study: Study, chosen: Chosen, samples_path: str) -> None:
    """Temp table ``praw``: per patient, the raw text of each attribute (``raw_<key>``)."""
    raw_cols = ",\n  ".join(f"min({_na(f'{chosen[a.key][0]}.{_q(chosen[a.key][2])}')}) AS raw_{a.key}"
                            if a.key in chosen else f"NULL::VARCHAR AS raw_{a.key}" for a in ATTRIBUTES)
    b = Bind()
    patients_sql = _patients_of(study.clinical_patient, b)
    samples_sql = _samples_of(study.clinical_sample, b)
    _execute(con, study.clinical_patient or study.clinical_sample, f"""CREATE TEMP TABLE praw AS
SELECT ids.patient_id,
  {raw_cols}
FROM (SELECT DISTINCT patient_id FROM {_parquet(samples_path, b)}) ids
LEFT JOIN {patients_sql} ON p.her2scope_pid = ids.patient_id LEFT JOIN {samples_sql} ON s.her2scope_pid = ids.patient_id
GROUP BY ids.patient_id""", b)


def _warn_patients_without_row(con: Connection, cp: TableFile, samples_path: str, warnings: list[str]) -> None:
    """A patient absent from the patient file has every patient attribute unknown: said, not silent."""
    b = Bind()
    row = _execute(con, cp, f"""SELECT count(*) FROM (SELECT DISTINCT patient_id
FROM {_parquet(samples_path, b)}) ids ANTI JOIN {_patients_of(cp, b)} ON p.her2scope_pid = ids.patient_id""",
                   b).fetchone()
    if row and row[0]:
        warnings.append(f"{row[0]} patient(s) of the samples have no row in {cp.path.name}: their patient "
                        "attributes (stage, smoking, survival ...) are unknown")


def _attribute_map(con: Connection, a: Attribute, chosen: Chosen, warnings: list[str]) -> dict | None:
    """Temp table ``map_<key>`` (raw text -> value) for one attribute, read in Python from its
    distinct raw values; returns where it was read from and the values not understood."""
    con.execute(f"CREATE TEMP TABLE map_{a.key} (raw VARCHAR, val {_SQL_TYPES[a.key]})")
    if a.key not in chosen:
        return None
    rows, unknown = [], {}
    counts = con.execute(f"SELECT raw_{a.key}, count(*) FROM praw WHERE raw_{a.key} IS NOT NULL "
                         "GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    for raw, n in counts:
        value, ok = read_value(a, raw)
        if ok:
            rows.append((raw, value))
        else:
            unknown[raw] = n
    if rows:
        con.executemany(f"INSERT INTO map_{a.key} VALUES (?, ?)", rows)
    _, t, c = chosen[a.key]
    if unknown:
        shown = ", ".join(f"{k!r} ({v})" for k, v in list(unknown.items())[:8])
        warnings.append(f"{t.path.name} {c}: {sum(unknown.values())} patient(s) with a {a.key} value not "
                        f"understood, read as unknown: {shown}")
    return {"file": t.path.name, "column": c,
            "patients_with_value": sum(n for raw, n in counts if raw not in unknown),
            "unrecognised_values": unknown}


def _survival_endpoint(con: Connection, warnings: list[str]) -> str | None:
    """OS when any patient has it, else PFS (said in a warning), else None."""
    row = con.execute(
        "SELECT count(*) FILTER (WHERE o.val IS NOT NULL AND os.val IS NOT NULL), "
        "count(*) FILTER (WHERE f.val IS NOT NULL AND fs.val IS NOT NULL) FROM praw "
        "LEFT JOIN map_os_months o ON o.raw = raw_os_months LEFT JOIN map_os_status os ON os.raw = raw_os_status "
        "LEFT JOIN map_pfs_months f ON f.raw = raw_pfs_months LEFT JOIN map_pfs_status fs ON fs.raw = raw_pfs_status"
    ).fetchone()
    assert row is not None        # an aggregate has one row
    os_n, pfs_n = row
    endpoint = "OS" if os_n else "PFS" if pfs_n else None
    if endpoint == "PFS":
        warnings.append(f"no overall survival (OS_MONTHS + OS_STATUS) in the study: survival analyses use "
                        f"progression-free survival (PFS, {pfs_n} patient(s))")
    return endpoint


def _write_patients(con: Connection, endpoint: str | None, path: str) -> None:
    surv = {"OS": ("m_os_months", "m_os_status"), "PFS": ("m_pfs_months", "m_pfs_status")}.get(endpoint or "")
    joins = "\n".join(f"LEFT JOIN map_{a.key} m_{a.key} ON m_{a.key}.raw = praw.raw_{a.key}" for a in ATTRIBUTES)
    b = Bind()
    con.execute(f"""COPY (
SELECT praw.patient_id, m_sex.val AS sex, m_age.val AS age, m_smoking.val AS smoking_group,
  raw_smoking AS smoking_raw, m_stage.val AS stage_group, raw_stage AS stage_raw,
  m_os_months.val AS os_months, m_os_status.val AS os_event,
  m_pfs_months.val AS pfs_months, m_pfs_status.val AS pfs_event,
  {f'{surv[0]}.val' if surv else 'NULL::DOUBLE'} AS surv_months,
  {f'{surv[1]}.val' if surv else 'NULL::INTEGER'} AS surv_event,
  m_brain.val AS brain_met
FROM praw
{joins}) TO {b(path)} (FORMAT parquet)""", b.values)


def _copy_sv(con: Connection, study: Study, path: str) -> None:
    """5. structural variants (fusions); an empty table without an SV file."""
    t = study.sv
    b = Bind()
    if t is None:
        con.execute("COPY (SELECT NULL::VARCHAR AS sample_id, NULL::VARCHAR AS gene1, NULL::VARCHAR AS gene2 "
                    f"WHERE false) TO {b(path)} (FORMAT parquet)", b.values)
        return
    _execute(con, t, f"""COPY (SELECT trim({_col(t, 'Sample_Id')}) AS sample_id,
  upper(trim({_col(t, 'Site1_Hugo_Symbol')})) AS gene1, upper(trim({_col(t, 'Site2_Hugo_Symbol')})) AS gene2
  FROM {_read(t, b)}) TO {b(path)} (FORMAT parquet)""", b)


_SAMPLE_COUNTS = {
    "samples": "count(*)", "in_maf": "count(*) FILTER (WHERE in_maf)",
    "in_clinical": "count(*) FILTER (WHERE in_clinical)", "profiled_erbb2": "count(*) FILTER (WHERE p_erbb2)",
    "maf_samples_unprofiled": "count(*) FILTER (WHERE in_maf AND NOT p_erbb2)",
    "clinical_only": "count(*) FILTER (WHERE in_clinical AND NOT in_maf)",
    "in_cna": "count(*) FILTER (WHERE in_cna)", "profiled_cna_erbb2": "count(*) FILTER (WHERE p_cna_erbb2)",
    "maf_without_clinical": "count(*) FILTER (WHERE in_maf AND NOT in_clinical)",
    "cna_only": "count(*) FILTER (WHERE in_cna AND NOT in_maf AND NOT in_clinical)",
    "sequenced_without_calls": "count(*) FILTER (WHERE profile_source = 'sequenced_samples' AND p_erbb2 "
                               "AND NOT in_maf)",
}


def _sample_counts(con: Connection, samples_path: str) -> dict[str, int]:
    b = Bind()
    row = con.execute(f"SELECT {', '.join(_SAMPLE_COUNTS.values())} FROM {_parquet(samples_path, b)}",
                      b.values).fetchone()
    assert row is not None        # an aggregate has one row
    return dict(zip(_SAMPLE_COUNTS, row))


def import_study(study: Study, out: Path, *, threads: int | None = None,
                 memory_limit: str | None = None) -> dict:
    """Write the Parquet tables and the manifest; returns the manifest."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / ".tmp"
    con = connect(threads, memory_limit, tmp)
    warnings: list[str] = list(study.warnings)
    p = {name: str(out / f"{name}.parquet") for name in ("mutations", "samples", "patients", "sv")}

    n_rows = _copy_mutations(con, study, p["mutations"], warnings)
    _clinical_samples(con, study)
    ccol, has_seq = _profiles(con, study, warnings)
    _copy_samples(con, study, p["mutations"], p["samples"], ccol, has_seq)
    clinical = _copy_patients(con, study, p["samples"], p["patients"], warnings)
    _copy_sv(con, study, p["sv"])
    counts = _sample_counts(con, p["samples"])
    counts["mutation_rows"] = n_rows
    _count_warnings(study, counts, has_seq, warnings)
    con.close()
    shutil.rmtree(tmp, ignore_errors=True)
    manifest = _manifest(study, counts, warnings, clinical, has_seq)
    manifest["import_seconds"] = round(time.perf_counter() - t0, 3)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _file_name(t: TableFile | None) -> str | None:
    return t.path.name if t is not None else None


def _manifest(study: Study, counts: dict, warnings: list[str], clinical: dict, has_seq: bool) -> dict:
    return {
        "schema_version": SCHEMA_VERSION, "study": study.name, "kind": study.kind, "root": str(study.root),
        "files": {"mutations": [t.path.name for t in study.mutations],
                  "clinical_sample": _file_name(study.clinical_sample),
                  "clinical_patient": _file_name(study.clinical_patient),
                  "gene_panel_matrix": _file_name(study.gene_panel_matrix),
                  "sequenced_case_list": study.sequenced_case_list is not None,
                  "sequenced_samples_line": has_seq,
                  "sv": _file_name(study.sv),
                  "cna": _file_name(study.cna)},
        "files_used": [{"role": f.role, "file": f.name, "found_by": f.found_by} for f in study.files],
        "files_not_read": [{"file": name, "why": why} for name, why in study.ignored],
        "meta": study.meta, "counts": counts, "warnings": warnings,
        "clinical": clinical, "survival_endpoint": clinical["survival_endpoint"],
        "attributes": {k: (None if v is None else f"{v['file']}: {v['column']}")
                       for k, v in clinical["attributes"].items()},
        "definitions": {"activating": ACTIVATING_DEFINITION, "profiled": PROFILED_DEFINITION,
                        "amplification": AMPLIFICATION_DEFINITION, "cna_profiled": CNA_PROFILED_DEFINITION},
    }


def _count_warnings(study: Study, counts: dict, has_seq: bool, warnings: list[str]) -> None:
    cs = study.clinical_sample
    if cs is not None and counts["maf_without_clinical"]:
        warnings.append(f"{counts['maf_without_clinical']} MAF sample(s) have no row in "
                        f"{cs.path.name}: kept, with unknown clinical attributes")
    if has_seq and counts["sequenced_without_calls"]:
        warnings.append(f"{counts['sequenced_without_calls']} sample(s) on the MAF's '#sequenced_samples:' line "
                        "have no mutation row: profiled, without a mutation")
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


def is_imported(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def read_manifest(path: Path) -> dict:
    return json.loads((path / MANIFEST).read_text(encoding="utf-8"))
