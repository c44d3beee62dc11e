"""A validated import row, the same whatever the source (CSV template or FHIR bundle)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..case.schema import Clinical, Histology, NgsTest

PSEUDONYM = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
HISTOLOGIES = tuple(h.value for h in Histology)


class RowRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DiagnosisSpec:
    histology: str
    stage: str
    diagnosis_date: dt.date | None

    @property
    def advanced(self) -> bool:
        return is_advanced(self.stage)


@dataclass(frozen=True)
class TestSpec:
    test_type: str
    external_id: str | None = None
    assay: str | None = None
    ordered: dt.date | None = None
    received: dt.date | None = None
    resulted: dt.date | None = None
    failed: dt.date | None = None
    value: str | None = None                # IHC score or ISH ratio
    copies: float | None = None             # ISH mean HER2 copies per cell (with the ratio: ASCO/CAP groups)
    variants: tuple[str, ...] = ()          # HGVS expressions reported (NGS)
    genes_covered: tuple[str, ...] | None = None   # NGS panel genes; None = a broad panel
    scoring_system: str | None = None


@dataclass(frozen=True)
class ImportRow:
    row: int
    patient_id: str
    diagnosis: DiagnosisSpec | None = None
    test: TestSpec | None = None


_GENE_SYMBOL = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")


def check_genes_covered(text: str | None) -> tuple[str, ...] | None:
    """An assay's genes as written (';'-separated symbols), or None when none are given (a broad
    panel that covers ERBB2, as a case file's ngs[].genes_covered)."""
    listed = NgsTest.gene_list(text)
    if listed is None:
        return None
    genes = tuple(listed)
    bad = [g for g in genes if not _GENE_SYMBOL.fullmatch(g)]
    if bad:
        raise RowRejected(f"genes_covered must be gene symbols separated by ';' (got {bad[0]!r})")
    return genes


def check_pseudonym(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RowRejected("patient_id is empty")
    if not PSEUDONYM.match(value):
        raise RowRejected(f"patient_id {value!r} is not a pseudonymous id (letters, digits, '_', '.', '-'; "
                          "at most 64 characters)")
    return value


def check_stage(value: str) -> str:
    """The case schema's own stage rule (``IV``, ``stage IVb`` ... -> ``IV``, ``IVB``)."""
    try:
        return Clinical._stage(value)
    except ValueError as exc:
        raise RowRejected(str(exc)) from None


def check_histology(value: str) -> str:
    text = (value or "").strip().lower().replace(" ", "_")
    if text not in HISTOLOGIES:
        raise RowRejected(f"histology must be one of {', '.join(HISTOLOGIES)} (got {value!r})")
    return text


def is_advanced(stage: str) -> bool:
    """Advanced as the case schema defines it (IIIB, IIIC, IV, IVA, IVB)."""
    return Clinical.model_construct(stage=stage).advanced


def check_date(value: str | None, name: str, today: dt.date) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RowRejected(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None
    if day > today:
        raise RowRejected(f"{name} {day} is in the future")
    return day


def check_test_dates(t: TestSpec) -> None:
    if t.resulted and t.failed:
        raise RowRejected("a test is either resulted or failed, not both")
    chain = [("ordered", t.ordered), ("received", t.received), ("resulted", t.resulted or t.failed)]
    known = [(n, d) for n, d in chain if d is not None]
    for (n1, d1), (n2, d2) in zip(known, known[1:]):
        if d2 < d1:
            n2 = n2 if n2 != "resulted" or t.resulted else "failed"
            raise RowRejected(f"{n2} {d2} is before {n1} {d1}")
    if not (t.external_id or t.ordered or t.received or t.resulted or t.failed):
        raise RowRejected("a test needs a test_id or at least one date (ordered, received, resulted, failed)")


def test_status(t) -> str:
    if t.failed:
        return "failed"
    if t.resulted:
        return "resulted"
    if t.received:
        return "received"
    return "ordered"
