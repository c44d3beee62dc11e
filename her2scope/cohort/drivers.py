"""The other-driver rules (``her2scope.knowledge.drivers``: data, with their sources) compiled
to SQL, so that both engines (DuckDB and Spark, through sqlglot) evaluate the same text. The
compiled condition means what ``DriverRule.matches`` means in Python, NULLs included: a
patient's report and the cohort analytics count the same records.

The conditions read the ``mutations`` table (hugo, variant_class, protein_change, aa_pos,
chrom, start_pos, end_pos, build) and the ``sv`` table (gene1, gene2).
"""

from __future__ import annotations

from ..knowledge.drivers import (ALL, COMUTATION, DRIVERS, GENES, MET_EXON14, MET_FLANK, NON_SILENT,
                                 ONCOGENIC_DRIVERS, Clause, DriverKind, DriverRule, GenomicWindow)
from .sql import in_list as _in
from .sql import literal as _literal

__all__ = ["ALL", "COMUTATION", "DRIVERS", "GENES", "MET_EXON14", "MET_FLANK", "NON_SILENT",
           "ONCOGENIC_DRIVERS", "condition_sql", "fusion_event_columns", "mutation_event_columns",
           "unplaced_condition_sql"]


def _window_sql(w: GenomicWindow, *, any_build: bool = False) -> str:
    on_build = "" if any_build else f"build = {_literal(w.build)} AND "
    return (f"({on_build}chrom = {_literal(w.chrom)} "
            f"AND start_pos <= {w.end + w.flank} AND coalesce(end_pos, start_pos) >= {w.start - w.flank})")


def _clause_sql(c: Clause, *, any_build: bool = False) -> str:
    parts = []
    if c.classes:
        parts.append(f"variant_class IN {_in(c.classes)}")
    if c.not_classes:     # NOT IN over a NULL class is NULL, hence false: as in Clause.matches
        parts.append(f"variant_class NOT IN {_in(c.not_classes)}")
    if c.protein_changes:
        parts.append(f"protein_change IN {_in(c.protein_changes)}")
    if c.codons:
        parts.append(f"aa_pos IN {_in(c.codons)}")
    if c.codon_range is not None:
        parts.append(f"aa_pos BETWEEN {int(c.codon_range[0])} AND {int(c.codon_range[1])}")
    if c.windows:
        parts.append("(" + " OR ".join(_window_sql(w, any_build=any_build) for w in c.windows) + ")")
    return "(" + " AND ".join(parts or ["TRUE"]) + ")"


def condition_sql(d: DriverRule) -> str:
    """The rule as a condition over one row of the mutations table (kind mutation)."""
    if d.kind is not DriverKind.mutation:
        raise ValueError(f"{d.key}: a fusion rule has no condition over mutations")
    clauses = " OR ".join(_clause_sql(c) for c in d.clauses) or "FALSE"
    return f"hugo IN {_in(d.genes)} AND ({clauses})"


def unplaced_condition_sql(d: DriverRule) -> str | None:
    """Rows without a build that a coordinate rule (MET exon 14) would count on one of its
    windows' builds and no other clause counts: the cohort cannot place them, so the importer
    says how many there are (as ``case.drivers`` does for one patient) instead of counting them
    silently as no event. None for a rule without coordinates."""
    windowed = [c for c in d.clauses if c.windows]
    if d.kind is not DriverKind.mutation or not windowed:
        return None
    near = " OR ".join(_clause_sql(c, any_build=True) for c in windowed)
    return (f"hugo IN {_in(d.genes)} AND build IS NULL AND ({near}) "
            f"AND NOT coalesce(({condition_sql(d)}), FALSE)")


def mutation_event_columns() -> str:
    """``max(CASE WHEN <rule> THEN 1 ELSE 0 END) AS d_<key>`` for each mutation rule."""
    return ",\n  ".join(f"max(CASE WHEN {condition_sql(d)} THEN 1 ELSE 0 END) AS d_{d.key}"
                        for d in ALL if d.kind is DriverKind.mutation)


def fusion_event_columns() -> str:
    return ",\n  ".join(
        f"max(CASE WHEN gene1 IN {_in(d.genes)} OR gene2 IN {_in(d.genes)} THEN 1 ELSE 0 END) AS d_{d.key}"
        for d in ALL if d.kind is DriverKind.fusion)
