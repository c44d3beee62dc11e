"""What the route modules share: the application's state, the form choices checked before a
value reaches the engine, the lookup of a user's stored report and whether PDFs can be made.

Route modules import this (and ``templating``), never ``app``, so the web package has no import
cycle: ``app`` builds the state and registers the route modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2
from fastapi import HTTPException, Request

from ..case.schema import STAGES, Histology
from ..vocabulary import Region
from .auth import LoginThrottle, TokenCache, state
from .config import WebSettings
from .figures import FigureCache
from .reports import OneTime, ReportStore, StoredReport
from .security import SessionCodec


@dataclass
class AppState:
    settings: WebSettings
    registry: Any
    codec: SessionCodec
    reports: ReportStore
    figures: FigureCache
    templates: jinja2.Environment
    throttle: LoginThrottle
    tokens: TokenCache
    once: OneTime


# The forms offer the case schema's own values (one vocabulary: a value added there appears here).
HISTOLOGIES = tuple(h.value for h in Histology)
REGIONS = tuple(r.value for r in Region)
BUILDS = ("", "GRCh37", "GRCh38")
SAMPLE_TYPES = ("tissue", "plasma")
CHOICES = {"histologies": HISTOLOGIES, "stages": STAGES, "regions": REGIONS, "builds": BUILDS,
           "ihc_scores": ("", "0", "1+", "2+", "3+"), "sample_types": SAMPLE_TYPES,
           "brain": ("unknown", "yes", "no"), "lab_calls": ("", "amplified", "not_amplified", "failed")}
# Form fields that reach the engine before the case schema checks them: a value outside the
# choices (a crafted or stale form) is refused here with a message, never a 500 further down.
# The values are not echoed (they may be anything).
FIELD_CHOICES = {"build": (BUILDS, "GRCh37, GRCh38, or empty (the build is read from the file)"),
                 "sample_type": (SAMPLE_TYPES, "tissue or plasma")}


def invalid_choices(**fields: str) -> str | None:
    """A message naming each field whose value is not one of its choices, or None."""
    bad = [f"{name}: unknown value; choose {FIELD_CHOICES[name][1]}"
           for name, value in fields.items() if value not in FIELD_CHOICES[name][0]]
    return "; ".join(bad) or None


def stored_report(request: Request, key: str, user) -> StoredReport:
    """The user's own report from an upload or the case form, or 404."""
    item = state(request).reports.get(key, user.username)
    if item is None:
        raise HTTPException(404, "no such report (reports from uploads are kept for one hour, "
                                 "for the user who made them)")
    return item


def pdf_available() -> bool:
    """Whether WeasyPrint (an optional extra) is installed: imported here only to find out, so
    a server without it starts without it and offers no PDF link."""
    try:
        import weasyprint  # noqa: F401  # lazy: optional extra, probed
    except ImportError:
        return False
    return True
