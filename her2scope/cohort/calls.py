"""ERBB2 calls for a cohort, made by the interpretation engine (``her2scope.interpret_allele`` /
``interpret_protein``): the same classification code as a patient report, never a copy of it.

One call per unique variant (``variant_key``); from coordinates when the row has them (MAF '-'
convention: an insertion passes REF '' at Start_Position, a deletion ALT ''), else from the
protein change (any spelling, Oncotator's ``p.771_771A>AYVMA`` included). A variant that the
engine cannot interpret is reported (``error``) and never silently dropped; when its coordinates
fail but a protein change exists, the protein change is used and the row says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Her2scopeError
from ..genome.builds import Build
from ..pipeline import interpret_allele, interpret_protein
from . import ACTIVATING

CALL_COLUMNS = (("variant_key", "VARCHAR"), ("call_protein_change", "VARCHAR"), ("hgvs_c", "VARCHAR"),
                ("oncogenicity", "VARCHAR"), ("alteration_class", "VARCHAR"), ("exon", "INTEGER"),
                ("domain", "VARCHAR"), ("activating", "BOOLEAN"), ("call_aa_pos", "INTEGER"),
                ("call_source", "VARCHAR"), ("error", "VARCHAR"))
_AA = re.compile(r"^p\.\(?[A-Za-z*]*?(\d+)")


@dataclass(frozen=True)
class Erbb2Variant:
    variant_key: str
    build: str | None
    chrom: str | None
    start_pos: int | None
    ref: str | None
    alt: str | None
    protein_change: str | None


_cache: dict[Erbb2Variant, tuple] = {}


def _row(v: Erbb2Variant, result, source: str, error: str | None) -> tuple:
    c = result.classification
    pc = result.protein_change
    m = _AA.match(pc or "")
    onc = c.oncogenicity if c else None
    return (v.variant_key, pc, result.hgvs_c, onc, c.alteration_class if c else None, result.exon,
            result.domain, onc in ACTIVATING, int(m.group(1)) if m else None, source, error)


def call_variant(v: Erbb2Variant) -> tuple:
    """One row of CALL_COLUMNS (cached per unique variant)."""
    if v in _cache:
        return _cache[v]
    errors: list[str] = []
    row = None
    if v.build and v.start_pos is not None and (v.ref or v.alt):
        ref = "" if v.ref is None or v.ref == "-" else v.ref
        alt = "" if v.alt is None or v.alt == "-" else v.alt
        try:
            row = _row(v, interpret_allele(Build(v.build), v.start_pos, ref, alt), "coordinates", None)
        except Her2scopeError as exc:
            errors.append(f"coordinates {v.build}:{v.start_pos}:{v.ref}>{v.alt}: {exc.code}: {exc.message}")
    if row is None and v.protein_change:
        try:
            row = _row(v, interpret_protein(v.protein_change),
                       "protein_change_fallback" if errors else "protein_change", "; ".join(errors) or None)
        except Her2scopeError as exc:
            errors.append(f"protein change {v.protein_change}: {exc.code}: {exc.message}")
    if row is None:
        if not errors:
            errors.append("no coordinates and no protein change")
        row = (v.variant_key, None, None, None, None, None, None, False, None, "not_called", "; ".join(errors))
    _cache[v] = row
    return row


def call_all(variants: list[Erbb2Variant]) -> list[tuple]:
    return [call_variant(v) for v in variants]
