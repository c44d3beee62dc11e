"""FHIR R4 bundles of Patient, Condition, Observation (and DiagnosticReport) resources.

- Patient: the pseudonym is ``identifier[].value`` (system ``urn:her2scope:case-id`` preferred)
  or the resource id. A Patient carrying identifying data (name, birthDate, address, telecom)
  is rejected: the registry is pseudonymous.
- Condition: histology from ``code`` (text or coding display), stage from
  ``stage[0].summary`` (text or coding code/display), date from ``onsetDateTime`` or
  ``recordedDate``.
- DiagnosticReport (LOINC 51969-4 genomic report): one NGS test; its ``result`` references
  give the ERBB2 variant observations; ``issued``/``effectiveDateTime`` is the resulted date;
  a plasma specimen (``specimen[].display`` mentioning plasma/blood/ctDNA) makes it ngs_plasma.
  Only a report that states a sequencing result is a test (``_check_states_a_result``): one
  with nothing of the kind (her2scope's export of a case never sequenced) is a note, never a
  negative.
- Observation LOINC 69548-6 (variant, GRIG): c.HGVS (48004-6), else g.HGVS (81290-9) with
  the assembly (62374-4), else p.HGVS (48005-3). Variant observations outside any report are
  grouped per patient and date into one NGS test.
- Observation LOINC 53041-0 (region studied, genomics-reporting IG) listed by a report: the genes
  of its components LOINC 48018-6 (gene studied; HGNC:3430 is ERBB2) are the assay's genes, so a
  report whose regions studied leave out ERBB2 is "not assessed", not a negative. A report without
  one is taken as a broad panel.
- Observation HER2 IHC (LOINC 18474-7, or code text mentioning immunohistochemistry/IHC):
  the value text holds the score (``IHC 3+``, ``2+``). HER2 ISH (code text mentioning ISH/FISH,
  or LOINC 48676-1): the HER2/CEP17 ratio is ``valueQuantity`` or the component LOINC 49683-6, the
  mean HER2 copies per cell the component LOINC 74860-8 (as her2scope exports them). Their resulted date is their own
  ``effectiveDateTime``/``issued``, else the date of a DiagnosticReport that lists them; with
  neither they are rejected (never dated by the day of the import).
Row numbers in the report are 1-based bundle entry numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..report.fhir import MUTATION_STATUS_TEXT     # the ERBB2 mutation status our own export writes
from ..vocabulary import Status
from .dto import RejectedRow
from .roles import InvalidImport
from .rows import (
    DiagnosisSpec,
    ImportRow,
    RowRejected,
    TestSpec,
    check_date,
    check_histology,
    check_pseudonym,
    check_stage,
)

LOINC = "http://loinc.org"
VARIANT, GENOMIC_REPORT, IHC_LOINC, ISH_LOINC = "69548-6", "51969-4", "18474-7", "48676-1"
C_HGVS, G_HGVS, P_HGVS, ASSEMBLY = "48004-6", "81290-9", "48005-3", "62374-4"
ISH_RATIO_LOINC, ISH_COPIES_LOINC = "49683-6", "74860-8"     # ERBB2/CEP17 ratio; ERBB2 copies per nucleus
ASSEMBLY_CODES = {"LA14029-5": "GRCh37", "LA26806-2": "GRCh38"}
# HL7 genomics-reporting IG (STU2, v2.0.0) profile region-studied: code LOINC 53041-0 "DNA region of
# interest panel", component LOINC 48018-6 "Gene studied [ID]" (an HGNC coding); checked 2026-12-01
# against the profile page and its example Observations (RegionStudiedPGx1-3).
REGION_STUDIED, GENE_STUDIED, ERBB2_HGNC = "53041-0", "48018-6", "HGNC:3430"
# genomics-reporting IG overall-interpretation: code LOINC 51968-6 (profile page and its example
# OverallInterpExample1, value LA6576-8 "Positive", seen 2026-12-01). LA6577-6 "Negative" is the other
# answer of LOINC's Positive/Negative list (LL2160-7) as IG examples and public FHIR code use it; the
# LOINC answer-list page itself was not opened here.
OVERALL_INTERPRETATION, NEGATIVE_ANSWER = "51968-6", "LA6577-6"
_STATED_RESULTS = (Status.negative, Status.not_detected, Status.positive, Status.equivocal)
IDENTIFYING = ("name", "birthDate", "address", "telecom", "photo")
_HISTOLOGY_WORDS = (("adenosquamous", "adenosquamous"), ("adenocarcinoma", "adenocarcinoma"),
                    ("squamous", "squamous"), ("large cell", "large_cell"), ("large_cell", "large_cell"),
                    ("non-small cell", "nsclc_nos"), ("nsclc", "nsclc_nos"))


def _codes(cc: dict | None) -> set[str]:
    return {c.get("code") for c in (cc or {}).get("coding", []) if c.get("code")}


def _text(cc: dict | None) -> str:
    if not cc:
        return ""
    if cc.get("text"):
        return str(cc["text"])
    for c in cc.get("coding", []):
        if c.get("display") or c.get("code"):
            return str(c.get("display") or c.get("code"))
    return ""


def _date(resource: dict, keys: tuple[str, ...], today: dt.date) -> dt.date | None:
    for k in keys:
        v = resource.get(k)
        if isinstance(v, dict):
            v = v.get("start")
        if v:
            return check_date(str(v)[:10], k, today)
    return None


def _refs(resource: dict, bundle_ids: dict) -> str | None:
    ref = (resource.get("subject") or resource.get("patient") or {}).get("reference")
    return bundle_ids.get(ref) if ref else None


def _histology(cc: dict) -> str:
    text = " ".join([_text(cc)] + [str(c.get("display", "")) for c in cc.get("coding", [])]).lower()
    for word, value in _HISTOLOGY_WORDS:
        if word in text:
            return value
    return check_histology(_text(cc))


def _stage(cond: dict) -> str:
    stages = cond.get("stage") or []
    if not stages:
        raise RowRejected("Condition without stage")
    summary = stages[0].get("summary") or {}
    candidates = [summary.get("text")] + [c.get("code") for c in summary.get("coding", [])] + \
                 [c.get("display") for c in summary.get("coding", [])]
    last = None
    for c in candidates:
        if not c:
            continue
        text = re.sub(r"^(c|p|yp|yc)?(t\w+\s*n\w+\s*m\w+\s*)?", "", str(c).strip(), flags=re.IGNORECASE)
        try:
            return check_stage(text or str(c))
        except RowRejected as exc:
            last = exc
    raise last or RowRejected("Condition stage has no text or code")


def _variant_expr(obs: dict) -> str:
    comps = {}
    for comp in obs.get("component", []):
        for code in _codes(comp.get("code")):
            comps[code] = comp
    if C_HGVS in comps:
        return _text(comps[C_HGVS].get("valueCodeableConcept"))
    if G_HGVS in comps:
        return _text(comps[G_HGVS].get("valueCodeableConcept"))
    if P_HGVS in comps:
        text = _text(comps[P_HGVS].get("valueCodeableConcept"))
        return text if ":" in text or text.upper().startswith("ERBB2") else f"ERBB2:{text}"
    raise RowRejected("variant Observation without a c., g. or p. HGVS component")


def _plasma(resource: dict) -> bool:
    words = " ".join(str(s.get("display", "")) for s in resource.get("specimen", []) if isinstance(s, dict))
    words += " " + _text(resource.get("method"))
    return bool(re.search(r"plasma|blood|ctdna|cfdna|liquid", words, re.IGNORECASE))


def read_bundle(bundle: dict, *, today: dt.date | None = None) -> tuple[list[ImportRow | RejectedRow], tuple[str, ...]]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InvalidImport("not a FHIR Bundle (resourceType must be 'Bundle')")
    today = today or dt.date.today()
    entries = [e.get("resource") or {} for e in bundle.get("entry") or []]
    full_urls = [e.get("fullUrl") for e in bundle.get("entry") or []]
    by_id = _entries_by_reference(entries, full_urls)
    # Patients first: every other resource refers to one.
    out, ids = _patient_rows(entries, full_urls)
    notes: list[str] = []
    report_rows, used = _condition_and_report_rows(entries, ids, by_id, today, notes)
    out += report_rows
    out += _observation_rows(entries, ids, used, today, _report_days(entries, by_id, today))
    skipped = sorted({r.get("resourceType", "?") for r in entries}
                     - {"Patient", "Condition", "Observation", "DiagnosticReport"})
    if skipped:
        notes.append(f"resource types not imported: {', '.join(skipped)}")
    out.sort(key=lambda r: r.row)
    # Patient-only rows must come first so the patient exists for its other rows.
    out.sort(key=lambda r: not (isinstance(r, ImportRow) and r.diagnosis is None and r.test is None))
    return out, tuple(notes)


def _entries_by_reference(entries: list[dict], full_urls: list) -> dict[str, tuple[int, dict]]:
    """Any reference to an entry ("urn:uuid:...", "Observation/x") -> (entry number, resource)."""
    by_id: dict[str, tuple[int, dict]] = {}
    for n, (res, url) in enumerate(zip(entries, full_urls), 1):
        rid = res.get("id")
        for ref in filter(None, (url, f"{res.get('resourceType')}/{rid}" if rid else None)):
            by_id[ref] = (n, res)
    return by_id


def _patient_rows(entries: list[dict], full_urls: list) -> tuple[list[ImportRow | RejectedRow], dict[str, str]]:
    """A patient-only row per Patient (created even without data), and the map
    "Patient/x", "urn:uuid:..." -> pseudonym."""
    out: list[ImportRow | RejectedRow] = []
    ids: dict[str, str] = {}
    for n, (res, url) in enumerate(zip(entries, full_urls), 1):
        if res.get("resourceType") != "Patient":
            continue
        try:
            pseudonym = _pseudonym(res)
        except RowRejected as exc:
            out.append(RejectedRow(n, exc.reason))
            continue
        for ref in filter(None, (url, f"Patient/{res.get('id')}" if res.get("id") else None)):
            ids[ref] = pseudonym
        out.append(ImportRow(n, pseudonym))
    return out, ids


def _pseudonym(patient: dict) -> str:
    present = [k for k in IDENTIFYING if patient.get(k)]
    if present:
        raise RowRejected(f"Patient carries identifying data ({', '.join(present)}); "
                          "the registry accepts pseudonymous records only")
    idents = patient.get("identifier") or []
    chosen = next((i.get("value") for i in idents if i.get("system") == "urn:her2scope:case-id"), None)
    return check_pseudonym(chosen or (idents[0].get("value") if idents else None) or patient.get("id", ""))


def _report_days(entries: list[dict], by_id: dict, today: dt.date) -> dict[int, dt.date]:
    """The date of the DiagnosticReport that lists an Observation, by the Observation's entry
    number: the date of an IHC or ISH result that does not carry its own."""
    days: dict[int, dt.date] = {}
    for res in entries:
        if res.get("resourceType") != "DiagnosticReport":
            continue
        try:
            day = _date(res, ("effectiveDateTime", "effectivePeriod", "issued"), today)
        except RowRejected:
            continue      # the report itself is rejected for its date, with the reason
        if day is None:
            continue
        for m, _ in _results(res, by_id):
            days.setdefault(m, day)
    return days


def _condition_and_report_rows(entries: list[dict], ids: dict, by_id: dict, today: dt.date,
                               notes: list[str]) -> tuple[list[ImportRow | RejectedRow], set[int]]:
    """A row per Condition and genomic DiagnosticReport, and the entry numbers of the variant
    Observations the reports hold. A report that states no sequencing result is a note."""
    out: list[ImportRow | RejectedRow] = []
    used: set[int] = set()
    for n, res in enumerate(entries, 1):
        kind = res.get("resourceType")
        try:
            if kind == "Condition":
                out.append(_condition(n, res, ids, today))
            elif kind == "DiagnosticReport" and GENOMIC_REPORT in _codes(res.get("code")):
                # its variant Observations belong to it, imported or rejected with it: never
                # imported on their own as a test of part of the report
                used |= {m for m, obs in _results(res, by_id) if VARIANT in _codes(obs.get("code"))}
                out.append(_report(n, res, ids, by_id, today))
        except _NoSequencingResult as exc:
            notes.append(f"entry {n}: {exc}")
        except RowRejected as exc:
            out.append(RejectedRow(n, exc.reason, _refs(res, ids)))
    return out, used


def _observation_rows(entries: list[dict], ids: dict, used: set[int], today: dt.date,
                      report_days: dict[int, dt.date]) -> list[ImportRow | RejectedRow]:
    """A row per IHC / ISH Observation; the variant Observations outside a report, grouped into
    one test per patient, sample type and day."""
    out: list[ImportRow | RejectedRow] = []
    loose: dict[tuple, list[tuple[int, str]]] = {}
    for n, res in enumerate(entries, 1):
        if res.get("resourceType") != "Observation" or n in used:
            continue
        try:
            row = _observation(n, res, ids, today, report_days.get(n))
            if row is None:
                continue
            if isinstance(row, tuple):      # a loose variant: grouped below
                key, expr = row
                loose.setdefault(key, []).append((n, expr))
            else:
                out.append(row)
        except RowRejected as exc:
            out.append(RejectedRow(n, exc.reason, _refs(res, ids)))
    for (pseudonym, test_type, day), items in loose.items():
        out.append(ImportRow(items[0][0], pseudonym, None, TestSpec(
            test_type=test_type, external_id=f"fhir-variants-{day}", resulted=day,
            variants=tuple(e for _, e in items))))
    return out


def _subject(n: int, res: dict, ids: dict) -> str:
    pseudonym = _refs(res, ids)
    if pseudonym is None:
        raise RowRejected(f"{res.get('resourceType')}: subject is not a Patient of this bundle")
    return pseudonym


def _condition(n: int, res: dict, ids: dict, today: dt.date) -> ImportRow:
    pseudonym = _subject(n, res, ids)
    dx = DiagnosisSpec(_histology(res.get("code") or {}), _stage(res),
                       _date(res, ("onsetDateTime", "onsetPeriod", "recordedDate"), today))
    return ImportRow(n, pseudonym, dx)


# DiagnosticReport statuses of a complete report (FHIR R4 value set diagnostic-report-status)
_REPORT_DONE = ("final", "amended", "corrected", "appended")


def _results(res: dict, by_id: dict) -> list[tuple[int, dict]]:
    """The (entry number, resource) of each of a report's results found in the bundle."""
    return [by_id[r["reference"]] for r in res.get("result", []) if r.get("reference") in by_id]


class _NoSequencingResult(Exception):
    """A genomic report that says nothing about ERBB2 sequencing: not a test, not an error."""


@dataclass
class _Findings:
    """What a genomic report's results say about ERBB2 sequencing."""

    variants: list[str] = field(default_factory=list)   # present ERBB2 variants (HGVS)
    plasma: bool = False
    genes: list[str] = field(default_factory=list)      # genes of its regions studied
    told: bool = False         # a variant Observation (present or absent), a region studied or a
                               # negative overall interpretation: the report states a sequencing result
    stated: Status | None = None  # her2scope's own export: the ERBB2 mutation status it wrote


def _status(text: str) -> Status | None:
    try:
        return Status(text.strip().lower())
    except ValueError:
        return None


def _findings(res: dict, by_id: dict) -> _Findings:
    f = _Findings(plasma=_plasma(res))
    for _, obs in _results(res, by_id):
        codes = _codes(obs.get("code"))
        if VARIANT in codes:
            f.told = True
            if _present(obs):
                f.variants.append(_variant_expr(obs))
            f.plasma = f.plasma or _plasma(obs)
        elif REGION_STUDIED in codes:
            f.told = True
            f.genes += _genes_studied(obs)
        elif OVERALL_INTERPRETATION in codes:
            f.told = f.told or NEGATIVE_ANSWER in _codes(obs.get("valueCodeableConcept"))
        elif _text(obs.get("code")) == MUTATION_STATUS_TEXT:
            f.stated = _status(_text(obs.get("valueCodeableConcept")))
    return f


def _report(n: int, res: dict, ids: dict, by_id: dict, today: dt.date) -> ImportRow:
    pseudonym = _subject(n, res, ids)
    day = _date(res, ("effectiveDateTime", "effectivePeriod", "issued"), today)
    if day is None:
        raise RowRejected("DiagnosticReport without effectiveDateTime or issued date")
    for ref in res.get("result", []):
        if ref.get("reference") not in by_id:   # a result not read could be a variant: no negative
            raise RowRejected(f"DiagnosticReport result {ref.get('reference')!r} is not an entry of this bundle")
    f = _findings(res, by_id)
    status = str(res.get("status", "final"))
    if status not in _REPORT_DONE + ("cancelled",):
        # registered / partial / preliminary: the report is not complete, so a variant missing
        # from it is no negative; entered-in-error: it is no report at all
        raise RowRejected(f"DiagnosticReport status {status!r}: only a final (or amended, corrected, "
                          "appended) or cancelled report is imported")
    failed = status == "cancelled" or f.stated is Status.failed
    if not failed:
        _check_states_a_result(f)
    test = TestSpec(test_type="ngs_plasma" if f.plasma or f.stated is Status.not_detected else "ngs_tissue",
                    external_id=f"fhir-report-{res.get('id') or n}",
                    resulted=None if failed else day, failed=day if failed else None,
                    variants=() if failed else tuple(f.variants),
                    genes_covered=tuple(f.genes) if f.genes else None)
    return ImportRow(n, pseudonym, None, test)


def _check_states_a_result(f: _Findings) -> None:
    """A genomic report is an NGS result only when it states one: a report listing no variant
    (present or absent), no region studied, no negative overall interpretation and no ERBB2
    mutation status says nothing about ERBB2 (her2scope's own export of a case without NGS is
    such a report) and would otherwise be stored as a negative."""
    if f.stated is Status.not_assessed:
        raise RowRejected("the report gives the ERBB2 mutation status as not assessed (the NGS did not cover "
                          "ERBB2 or could not be read): not stored as a result")
    if not f.told and f.stated not in _STATED_RESULTS:
        raise _NoSequencingResult(
            "the genomic DiagnosticReport states no sequencing result (no variant Observation, present or absent; "
            "no region studied; no negative overall interpretation; no ERBB2 mutation status): not stored as an "
            "NGS test, since it would read as an ERBB2 negative")


def _genes_studied(obs: dict) -> list[str]:
    """The genes a region-studied Observation names (its 'gene studied' components)."""
    genes = []
    for c in obs.get("component") or []:
        if GENE_STUDIED not in _codes(c.get("code")):
            continue
        value = c.get("valueCodeableConcept")
        name = "ERBB2" if ERBB2_HGNC in _codes(value) else _text(value).strip()
        if not name:
            raise RowRejected(f"region-studied Observation {obs.get('id') or ''}: a gene studied without a "
                              "symbol or HGNC id")
        genes.append(name)
    return genes


def _present(obs: dict) -> bool:
    value = obs.get("valueCodeableConcept")
    return value is None or "LA9634-2" not in _codes(value)      # LA9634-2 = Absent


def _final(res: dict, what: str) -> None:
    """A registered, preliminary, cancelled, entered-in-error or unknown Observation is not a
    result (FHIR R4 observation-status)."""
    status = str(res.get("status", "final"))
    if status not in ("final", "amended", "corrected"):
        raise RowRejected(f"{what} status {status!r}: only a final (or amended, corrected) result is imported")


def _result_day(res: dict, what: str, today: dt.date, report_day: dt.date | None) -> dt.date:
    """An IHC/ISH result's date: its own, else that of the report listing it. Never the import
    day: a made-up date would move the registry's turnaround and 'pending too long' figures."""
    day = _date(res, ("effectiveDateTime", "effectivePeriod", "issued"), today) or report_day
    if day is None:
        raise RowRejected(f"{what} without effectiveDateTime or issued date, and no DiagnosticReport of this "
                          "bundle lists it with a date")
    return day


def _observation(n: int, res: dict, ids: dict, today: dt.date, report_day: dt.date | None = None):
    codes = _codes(res.get("code"))
    text = _text(res.get("code")).lower()
    if VARIANT in codes:
        pseudonym = _subject(n, res, ids)
        if not _present(res):
            return None
        _final(res, "variant Observation")
        day = _date(res, ("effectiveDateTime", "effectivePeriod", "issued"), today)
        if day is None:
            raise RowRejected("variant Observation without effectiveDateTime or issued date")
        return (pseudonym, "ngs_plasma" if _plasma(res) else "ngs_tissue", day), _variant_expr(res)
    if IHC_LOINC in codes or "immunohistochemistry" in text or re.search(r"\bihc\b", text):
        pseudonym = _subject(n, res, ids)
        _final(res, "IHC Observation")
        day = _result_day(res, "IHC Observation", today, report_day)
        value = _text(res.get("valueCodeableConcept")) or str(res.get("valueString") or "")
        if value.strip().lower() == "failed":
            return ImportRow(n, pseudonym, None, TestSpec(test_type="ihc", external_id=f"fhir-{res.get('id') or n}",
                                                          failed=day))
        score = re.sub(r"(?i)^\s*(her2\s*)?ihc\s*", "", value).strip()
        method = _text(res.get("method")).removeprefix("scoring system: ") or None
        return ImportRow(n, pseudonym, None, TestSpec(test_type="ihc", external_id=f"fhir-{res.get('id') or n}",
                                                      resulted=day, value=score, scoring_system=method))
    if ISH_LOINC in codes or re.search(r"\b(f|c|s)?ish\b", text):
        pseudonym = _subject(n, res, ids)
        _final(res, "ISH Observation")
        ratio, copies = _ish_numbers(res)
        if ratio is None:
            raise RowRejected("ISH Observation without a HER2/CEP17 ratio (valueQuantity, or a component "
                              f"LOINC {ISH_RATIO_LOINC})")
        day = _result_day(res, "ISH Observation", today, report_day)
        return ImportRow(n, pseudonym, None, TestSpec(test_type="ish", external_id=f"fhir-{res.get('id') or n}",
                                                      resulted=day, value=str(ratio), copies=copies))
    return None


def _quantity(holder: dict) -> float | None:
    value = (holder.get("valueQuantity") or {}).get("value")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise RowRejected(f"ISH valueQuantity {value!r} is not a positive number")
    return float(value)


def _ish_numbers(res: dict) -> tuple[float | None, float | None]:
    """(HER2/CEP17 ratio, mean HER2 copies per cell) of an ISH Observation: the ratio is its
    valueQuantity or its component LOINC 49683-6, the copies its component LOINC 74860-8 (the
    codes her2scope's own FHIR export writes)."""
    parts = {code: _quantity(c) for c in res.get("component") or [] for code in _codes(c.get("code"))
             if code in (ISH_RATIO_LOINC, ISH_COPIES_LOINC)}
    ratio = _quantity(res)
    return (ratio if ratio is not None else parts.get(ISH_RATIO_LOINC)), parts.get(ISH_COPIES_LOINC)
