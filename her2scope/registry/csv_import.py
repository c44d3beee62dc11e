"""The CSV import template (documented in docs/registry-import.md; example in
``data/import_example.csv``): one row per test, with the patient's diagnosis on the row.

Columns (header required, any order; unknown columns are an error so typos are not lost):
    patient_id        required, pseudonymous (letters, digits, _ . -)
    histology         adenocarcinoma | squamous | adenosquamous | large_cell | nsclc_nos | other
    stage             I .. IVB (``stage IVb`` accepted); histology and stage go together
    diagnosis_date    YYYY-MM-DD
    test_type         ngs_tissue | ngs_plasma | ihc | ish (empty: a diagnosis-only row)
    test_id           the laboratory's accession (recommended: it is the test's natural key)
    assay             panel / antibody name
    ordered, received, resulted, failed   YYYY-MM-DD
    result            IHC score (0, 1+, 2+, 3+) or ISH HER2/CEP17 ratio; empty for NGS
    erbb2_variants    NGS: ERBB2 variants as reported, HGVS, ';'-separated; empty = none found
    scoring_system    IHC scoring system (optional)
    ish_copies        ISH: mean HER2 signals per cell (optional; with the ratio it gives the ASCO/CAP
                      group, so a ratio below 2 can be called)
    genes_covered     NGS: the genes the assay covers, ';'-separated (optional; without ERBB2 or
                      HER2 the test did not look at ERBB2, so no variant found is not a negative)
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

from ..case.picture import covers_erbb2_genes
from .dto import RejectedRow
from .interpret import NGS_TYPES, TEST_TYPES
from .roles import InvalidImport
from .rows import (
    DiagnosisSpec,
    ImportRow,
    RowRejected,
    TestSpec,
    check_date,
    check_genes_covered,
    check_histology,
    check_pseudonym,
    check_stage,
    check_test_dates,
)

COLUMNS = ("patient_id", "histology", "stage", "diagnosis_date", "test_type", "test_id", "assay", "ordered",
           "received", "resulted", "failed", "result", "erbb2_variants", "scoring_system", "ish_copies",
           "genes_covered")
REQUIRED = ("patient_id",)
MAX_BYTES = 200 << 20


def read_csv(path: str | Path, *, today: dt.date | None = None) -> tuple[str, list[ImportRow | RejectedRow]]:
    """(SHA-256 of the file, rows): each row either validated or rejected with its reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidImport(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InvalidImport(f"{path}: {len(data)} bytes is more than the {MAX_BYTES >> 20} MB limit")
    return hashlib.sha256(data).hexdigest(), parse_csv(data, str(path), today=today)


def parse_csv(data: bytes, where: str, *, today: dt.date | None = None) -> list[ImportRow | RejectedRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidImport(f"{where}: not UTF-8 text") from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, None)
    if not header:
        raise InvalidImport(f"{where}: empty file (a header row is required)")
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if missing or unknown:
        raise InvalidImport(f"{where}: " + "; ".join(
            ([f"missing column(s) {', '.join(missing)}"] if missing else [])
            + ([f"unknown column(s) {', '.join(unknown)} (template: {', '.join(COLUMNS)})"] if unknown else [])))
    today = today or dt.date.today()
    out: list[ImportRow | RejectedRow] = []
    for n, values in enumerate(reader, 1):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            out.append(RejectedRow(n, f"{len(values)} fields, the header has {len(header)}"))
            continue
        rec = {h: v.strip() for h, v in zip(header, values)}
        try:
            out.append(_row(n, rec, today))
        except RowRejected as exc:
            out.append(RejectedRow(n, exc.reason, rec.get("patient_id") or None))
    return out


def _row(n: int, rec: dict, today: dt.date) -> ImportRow:
    pid = check_pseudonym(rec.get("patient_id", ""))
    diagnosis = None
    histology, stage = rec.get("histology", ""), rec.get("stage", "")
    if histology or stage:
        if not (histology and stage):
            raise RowRejected("histology and stage go together: give both or neither")
        diagnosis = DiagnosisSpec(check_histology(histology), check_stage(stage),
                                  check_date(rec.get("diagnosis_date"), "diagnosis_date", today))
    elif rec.get("diagnosis_date"):
        raise RowRejected("diagnosis_date given without histology and stage")
    test = None
    test_type = rec.get("test_type", "").lower()
    if test_type:
        if test_type not in TEST_TYPES:
            raise RowRejected(f"test_type must be one of {', '.join(TEST_TYPES)} (got {test_type!r})")
        dates = {k: check_date(rec.get(k), k, today) for k in ("ordered", "received", "resulted", "failed")}
        value = rec.get("result") or None
        variants = tuple(v.strip() for v in rec.get("erbb2_variants", "").split(";") if v.strip())
        if test_type in NGS_TYPES and value:
            raise RowRejected("result is for IHC/ISH; NGS findings go in erbb2_variants")
        if test_type not in NGS_TYPES and variants:
            raise RowRejected(f"erbb2_variants given for a {test_type} test")
        if (value or variants) and not dates["resulted"]:
            raise RowRejected("a result or variants are given but no resulted date")
        if test_type in ("ihc", "ish") and dates["resulted"] and not value:
            raise RowRejected(f"a resulted {test_type} test needs its result "
                              + ("(IHC score 0, 1+, 2+, 3+)" if test_type == "ihc" else "(HER2/CEP17 ratio)"))
        test = TestSpec(test_type=test_type, external_id=rec.get("test_id") or None, assay=rec.get("assay") or None,
                        value=value, variants=variants, scoring_system=rec.get("scoring_system") or None,
                        copies=_ish_numbers(test_type, value, rec.get("ish_copies") or None),
                        genes_covered=_genes_covered(test_type, rec.get("genes_covered", ""), variants),
                        ordered=dates["ordered"], received=dates["received"], resulted=dates["resulted"],
                        failed=dates["failed"])
        check_test_dates(test)
    elif any(rec.get(k) for k in ("test_id", "assay", "ordered", "received", "resulted", "failed", "result",
                                  "erbb2_variants", "ish_copies", "genes_covered")):
        raise RowRejected("test columns are filled but test_type is empty")
    if diagnosis is None and test is None:
        raise RowRejected("nothing to import: give a diagnosis (histology, stage) and/or a test")
    return ImportRow(n, pid, diagnosis, test)


def _genes_covered(test_type: str, text: str, variants: tuple[str, ...]) -> tuple[str, ...] | None:
    """An NGS row's panel genes (None when not given: a broad panel, as in a case file)."""
    genes = check_genes_covered(text)
    if genes is None:
        return None
    if test_type not in NGS_TYPES:
        raise RowRejected(f"genes_covered given for a {test_type} test")
    if variants and not covers_erbb2_genes(genes):
        raise RowRejected("erbb2_variants given but genes_covered does not include ERBB2 (or HER2)")
    return genes


def _positive(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not 0 < number < float("inf"):
        raise RowRejected(f"{what} must be a positive number (got {text!r})")
    return number


def _ish_numbers(test_type: str, ratio: str | None, copies: str | None) -> float | None:
    """Check an ISH row's ratio (the ``result``) and return its copies per cell, if given."""
    if test_type != "ish":
        if copies:
            raise RowRejected(f"ish_copies given for a {test_type} test")
        return None
    if ratio:
        _positive(ratio, "ISH result (HER2/CEP17 ratio)")
    if copies and not ratio:
        raise RowRejected("ish_copies given without the HER2/CEP17 ratio (result)")
    return _positive(copies, "ish_copies (mean HER2 signals per cell)") if copies else None
