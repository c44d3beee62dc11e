"""Run the analysis on one engine: import (if needed) -> ERBB2 calls -> queries -> statistics.

``analyse`` returns a ``CohortAnalysis``: the numbers (manifest, raw query rows, ERBB2 calls,
summary, statistics, timings) and the ``ImportedStudy`` they were computed from. A study that is
not already a Parquet folder is imported into a temporary folder that the result owns; it is
removed by ``close()`` or at the end of ``with analyse(...) as result:``. The numbers stay
readable after that; only the imported tables (``folder``) do not.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from . import ACTIVATING_DEFINITION, AMPLIFICATION_DEFINITION, CNA_PROFILED_DEFINITION, PROFILED_DEFINITION
from . import queries as Q
from .calls import CALL_COLUMNS, Erbb2Variant, call_all
from .engines import Engine
from .errors import AnalysisClosedError, StudyFileError
from .importer import SCHEMA_VERSION, import_study, is_imported, read_manifest
from .stats import benjamini_hochberg, cox, fisher, kaplan_meier, logrank, wilson
from .studies import open_study

Row = dict[str, Any]                 # one result row of a query: column -> plain Python value
RawResults = Mapping[str, list[Row]]  # query name -> its rows
CallRow = tuple[Any, ...]            # one ERBB2 call, the columns of calls.CALL_COLUMNS
Manifest = dict[str, Any]            # importer.import_study's manifest (the JSON of the Parquet folder)


class ImportedStudy:
    """A study's Parquet tables (``folder``) and the manifest of its import.

    When the study had to be imported into a temporary folder, this object owns that folder:
    ``close()`` (or leaving a ``with`` block) removes it. A folder imported beforehand by
    ``her2scope cohort import`` belongs to the user and is never removed. After ``close()``,
    ``folder`` raises ``AnalysisClosedError`` either way: a closed study is closed. Closing twice
    is harmless."""

    __slots__ = ("_closed", "_folder", "_tmp", "manifest")

    def __init__(self, folder: Path, manifest: Manifest,
                 tmp: tempfile.TemporaryDirectory[str] | None = None) -> None:
        self._folder = folder
        self.manifest = manifest
        self._tmp = tmp
        self._closed = False

    @property
    def folder(self) -> Path:
        if self._closed:
            raise AnalysisClosedError(
                f"the imported tables of study {self.manifest.get('study')!r} are closed"
                + (" (their temporary folder was removed)" if self._tmp is not None else "")
                + "; use them inside the 'with' block, before close()")
        return self._folder

    @property
    def owns_folder(self) -> bool:
        """True when the folder is a temporary import that ``close()`` removes."""
        return self._tmp is not None

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        if self._tmp is not None:
            self._tmp.cleanup()     # a second cleanup() finds nothing to remove and does nothing

    def __enter__(self) -> ImportedStudy:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "temporary" if self._tmp is not None else "user's folder"
        return f"ImportedStudy({str(self._folder)!r}, {state})"


def import_if_needed(study: str | Path, clinical: str | Path | None = None,
                     parquet: str | Path | None = None) -> ImportedStudy:
    """An imported Parquet folder is used as is; anything else is imported (to ``parquet`` or a
    temporary folder, which the returned ``ImportedStudy`` owns)."""
    p = Path(str(study))
    if str(study) != "demo" and p.is_dir() and is_imported(p):
        manifest = read_manifest(p)
        if manifest.get("schema_version", 1) < SCHEMA_VERSION:
            raise StudyFileError(p, f"imported by an older her2scope (schema {manifest.get('schema_version', 1)}, "
                                 f"need {SCHEMA_VERSION}); run 'her2scope cohort import' on the study again")
        return ImportedStudy(p, manifest)
    if parquet is not None:
        return ImportedStudy(Path(parquet), import_study(open_study(study, clinical), Path(parquet)))
    tmp = tempfile.TemporaryDirectory(prefix="her2scope-cohort-")
    try:
        return ImportedStudy(Path(tmp.name), import_study(open_study(study, clinical), Path(tmp.name)), tmp)
    except BaseException:
        tmp.cleanup()          # a failed import leaves no folder behind
        raise


@dataclass(frozen=True)
class Timings:
    """Seconds spent in each step of ``analyse`` (the summary counts as statistics)."""

    import_s: float
    calls_and_views_s: float
    queries_s: float
    statistics_s: float


@dataclass(frozen=True, repr=False)
class CohortAnalysis:
    """The result of ``analyse``: the numbers, and the imported study they came from (which it
    owns: use ``with analyse(...) as result:`` or call ``close()``).

    ``stats`` is None when ``analyse`` ran with ``with_statistics=False``. ``as_dict()`` is the JSON
    shape of ``her2scope cohort report --json`` (plus the calls)."""

    study: ImportedStudy
    raw: RawResults
    calls: Sequence[CallRow]
    summary: dict[str, Any]
    stats: dict[str, Any] | None
    timings: Timings

    @property
    def manifest(self) -> Manifest:
        return self.study.manifest

    @property
    def folder(self) -> Path:
        """The Parquet tables; ``AnalysisClosedError`` once the analysis is closed."""
        return self.study.folder

    @property
    def closed(self) -> bool:
        return self.study.closed

    def close(self) -> None:
        """Remove the temporary import folder (if the analysis made one); harmless twice."""
        self.study.close()

    def __enter__(self) -> CohortAnalysis:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:    # the rows would fill a screen: the headline and the study's state
        s = self.summary
        return (f"CohortAnalysis({s.get('study')!r}, {s.get('engine')}, {s.get('her2_mutant_samples')}/"
                f"{s.get('profiled_samples')} profiled samples HER2-activating, {self.study!r})")

    def as_dict(self) -> dict[str, Any]:
        """manifest, raw, calls, summary, stats (only when computed), timings: the keys (and their
        order) of the dict ``analyse`` returned before it returned this object."""
        out: dict[str, Any] = {"manifest": self.manifest, "raw": dict(self.raw), "calls": list(self.calls),
                               "summary": self.summary}
        if self.stats is not None:
            out["stats"] = self.stats
        out["timings"] = asdict(self.timings)
        return out


def prepare(engine: Engine, folder: str | Path) -> list[CallRow]:
    """Load the tables, call every distinct ERBB2 variant with the engine, create the views."""
    engine.load(folder)
    variants = [Erbb2Variant(r["variant_key"], r["build"], r["chrom"], r["start_pos"], r["ref"], r["alt"],
                             r["protein_change"]) for r in engine.run(Q.DISTINCT_ERBB2)]
    calls = call_all(variants)
    engine.add_table("erbb2_calls", CALL_COLUMNS, calls)
    engine.create_views()
    return calls


def run_queries(engine: Engine, queries: Sequence[Q.Query] = Q.RESULTS) -> dict[str, list[Row]]:
    return {q.name: engine.run(q) for q in queries}


def prevalence_summary(raw: RawResults, engine_name: str, manifest: Manifest,
                       calls: Sequence[CallRow]) -> dict[str, Any]:
    p = raw["prevalence"][0]
    n, k = int(p["profiled"] or 0), int(p["mutant"] or 0)
    low, high = wilson(k, n)
    return {
        "study": manifest.get("study"), "engine": engine_name,
        "profiled_samples": n, "her2_mutant_samples": k,
        "prevalence": (k / n) if n else None, "ci95": [low, high] if n else [None, None],
        "ci_method": "Wilson score, 95%",
        "any_erbb2_mutation_samples": int(p["any_erbb2"] or 0),
        "samples_total": manifest["counts"]["samples"],
        "samples_not_profiled_for_erbb2": manifest["counts"]["samples"] - manifest["counts"]["profiled_erbb2"],
        "erbb2_variants_called": len(calls),
        "erbb2_variants_with_errors": sum(1 for c in calls if c[-1]),
        "definition": ACTIVATING_DEFINITION, "profiled_definition": PROFILED_DEFINITION,
        **amplification_summary(raw, manifest),
        "survival_endpoint": manifest.get("survival_endpoint"),
        "files_used": manifest.get("files_used", []),
        "files_not_read": manifest.get("files_not_read", []),
        "clinical_attributes": (manifest.get("clinical") or {}).get("attributes"),
        "clinical_columns_not_understood": (manifest.get("clinical") or {}).get("not_understood", []),
        "warnings": manifest.get("warnings", []),
    }


def _first_row(raw: RawResults, name: str) -> Row | None:
    """The first row of a query, None when the query was not run or returned nothing."""
    rows = raw.get(name)
    return rows[0] if rows else None


def amplification_summary(raw: RawResults, manifest: Manifest) -> dict[str, Any]:
    """ERBB2 amplification, apart from activating mutations. Without data_CNA.txt (or without any
    sample profiled for ERBB2 copy number) every number is null: not assessed, never 0."""
    has_cna = bool(manifest.get("files", {}).get("cna"))
    first = _first_row(raw, "amplification") if has_cna else None
    n = int(first["cna_profiled"] or 0) if first else None
    assessed = bool(n)
    a: Row = first or {}     # read below only when assessed, i.e. when there is a first row
    k = int(a["amplified"] or 0) if assessed else None
    low, high = wilson(k, n) if k is not None and n else (None, None)   # n > 0: assessed
    return {
        "amplification_assessed": assessed,
        "cna_profiled_samples": n,
        "her2_amplified_samples": k,
        "amplification_prevalence": (k / n) if k is not None and n else None,
        "amplification_ci95": [low, high],
        "mutation_and_amplification_samples": int(a["mutation_and_amplification"] or 0) if assessed else None,
        "mutation_and_cna_profiled_samples": int(a["both_profiled"] or 0) if assessed else None,
        "amplification_definition": AMPLIFICATION_DEFINITION if has_cna else
        "ERBB2 amplification not assessed: the study has no discrete copy-number file (data_cna.txt). " + AMPLIFICATION_DEFINITION,
        "cna_profiled_definition": CNA_PROFILED_DEFINITION,
    }


def statistics(raw: RawResults) -> dict[str, Any]:
    """Everything computed in Python from the engines' integer results."""
    by = []
    for r in raw["prevalence_by"]:
        lo, hi = wilson(int(r["mutant"]), int(r["profiled"]))
        by.append({**r, "prevalence": r["mutant"] / r["profiled"] if r["profiled"] else None, "ci95": [lo, hi]})
    amp_by = []
    for r in raw.get("amplification_by") or []:
        lo, hi = wilson(int(r["amplified"]), int(r["profiled"]))
        amp_by.append({**r, "prevalence": r["amplified"] / r["profiled"] if r["profiled"] else None,
                       "ci95": [lo, hi]})
    comut = []
    for r in raw["comutation"]:
        a, b, c, d = (int(r[k] or 0) for k in ("both_altered", "her2_only", "other_only", "neither"))
        if a + b + c + d == 0:        # e.g. fusions without an SV file: not assessed, not "absent"
            comut.append({**r, "n": 0, "odds_ratio": None, "p": None, "q_bh": None, "assessed": False})
            continue
        orr, pv = fisher(a, b, c, d)
        comut.append({**r, "n": a + b + c + d, "odds_ratio": orr, "p": pv, "assessed": True})
    tested = [r for r in comut if r["assessed"]]
    for r, q in zip(tested, benjamini_hochberg([r["p"] for r in tested])):
        r["q_bh"] = q
    overlap = None
    amp = _first_row(raw, "amplification")
    if amp and int(amp["both_profiled"] or 0):
        cells = [int(amp[k] or 0) for k in ("mutation_and_amplification", "mutation_only", "amplification_only",
                                            "neither")]
        orr, pv = fisher(*cells)
        overlap = {"n": sum(cells), "mutation_and_amplification": cells[0], "mutation_only": cells[1],
                   "amplification_only": cells[2], "neither": cells[3], "odds_ratio": orr, "p": pv}
    out = {"prevalence_by": by, "amplification_by": amp_by, "amplification_overlap": overlap, "comutation": comut, "km": [], "logrank": None, "logrank_her2_vs_rest": None,
           "cox": None}
    if raw.get("survival_counts"):
        out["km"] = [c.__dict__ for c in kaplan_meier(raw["survival_counts"])]
        out["logrank"] = logrank(raw["survival_counts"])
        if any(r["driver_group"] == "HER2 activating" for r in raw["survival_counts"]):
            out["logrank_her2_vs_rest"] = logrank(raw["survival_counts"], "HER2 activating")
    if raw.get("survival_patients"):
        out["cox"] = cox(raw["survival_patients"])
    return out


def analyse(study: str | Path, engine: Engine, *, clinical: str | Path | None = None,
            parquet: str | Path | None = None, queries: Sequence[Q.Query] = Q.RESULTS,
            with_statistics: bool = True) -> CohortAnalysis:
    """Import ``study`` if needed, call its ERBB2 variants and run ``queries`` on ``engine``.

    The result owns the temporary import folder (when one was made): use it as a context manager
    or call ``close()``. If anything fails here, the folder is removed before the error propagates."""
    t0 = time.perf_counter()
    imported = import_if_needed(study, clinical, parquet)
    t1 = time.perf_counter()
    try:
        calls = prepare(engine, imported.folder)
        t2 = time.perf_counter()
        raw = run_queries(engine, queries)
        t3 = time.perf_counter()
        summary = prevalence_summary(raw, engine.name, imported.manifest, calls)
        stats = statistics(raw) if with_statistics else None
    except BaseException:
        imported.close()
        raise
    timings = Timings(import_s=t1 - t0, calls_and_views_s=t2 - t1, queries_s=t3 - t2,
                      statistics_s=time.perf_counter() - t3)
    return CohortAnalysis(imported, raw, tuple(calls), summary, stats, timings)
