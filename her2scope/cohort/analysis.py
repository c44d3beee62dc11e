"""Run the analysis on one engine: import (if needed) -> ERBB2 calls -> queries -> statistics."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import ACTIVATING_DEFINITION, AMPLIFICATION_DEFINITION, CNA_PROFILED_DEFINITION, PROFILED_DEFINITION
from . import queries as Q
from .calls import CALL_COLUMNS, Erbb2Variant, call_all
from .engines import Engine
from .errors import StudyFileError
from .importer import SCHEMA_VERSION, import_study, is_imported, read_manifest
from .stats import benjamini_hochberg, cox, fisher, kaplan_meier, logrank, wilson
from .studies import open_study


@dataclass
class Prepared:
    folder: Path
    manifest: dict
    calls: list[tuple]
    timings: dict[str, float] = field(default_factory=dict)
    _tmp: tempfile.TemporaryDirectory | None = None

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def import_if_needed(study: str | Path, clinical: str | Path | None = None,
                     parquet: str | Path | None = None) -> tuple[Path, dict, tempfile.TemporaryDirectory | None]:
    """An imported Parquet folder is used as is; anything else is imported (to ``parquet`` or a
    temporary folder)."""
    p = Path(str(study))
    if str(study) != "demo" and p.is_dir() and is_imported(p):
        manifest = read_manifest(p)
        if manifest.get("schema_version", 1) < SCHEMA_VERSION:
            raise StudyFileError(p, f"imported by an older her2scope (schema {manifest.get('schema_version', 1)}, "
                                 f"need {SCHEMA_VERSION}); run 'her2scope cohort import' on the study again")
        return p, manifest, None
    tmp = None
    if parquet is None:
        tmp = tempfile.TemporaryDirectory(prefix="her2scope-cohort-")
        parquet = tmp.name
    manifest = import_study(open_study(study, clinical), Path(parquet))
    return Path(parquet), manifest, tmp


def prepare(engine: Engine, folder: Path) -> list[tuple]:
    """Load the tables, call every distinct ERBB2 variant with the engine, create the views."""
    engine.load(folder)
    variants = [Erbb2Variant(r["variant_key"], r["build"], r["chrom"], r["start_pos"], r["ref"], r["alt"],
                             r["protein_change"]) for r in engine.run(Q.DISTINCT_ERBB2)]
    calls = call_all(variants)
    engine.add_table("erbb2_calls", CALL_COLUMNS, calls)
    engine.create_views()
    return calls


def run_queries(engine: Engine, queries=Q.RESULTS) -> dict[str, list[dict]]:
    return {q.name: engine.run(q) for q in queries}


def prevalence_summary(raw: dict, engine_name: str, manifest: dict, calls: list[tuple]) -> dict:
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


def amplification_summary(raw: dict, manifest: dict) -> dict:
    """ERBB2 amplification, apart from activating mutations. Without data_CNA.txt (or without any
    sample profiled for ERBB2 copy number) every number is null: not assessed, never 0."""
    has_cna = bool(manifest.get("files", {}).get("cna"))
    a = (raw.get("amplification") or [None])[0]
    n = int(a["cna_profiled"] or 0) if (has_cna and a) else None
    assessed = bool(n)
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


def statistics(raw: dict) -> dict:
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
    amp = (raw.get("amplification") or [None])[0]
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


def analyse(study: str | Path, engine: Engine, *, clinical=None, parquet=None, queries=Q.RESULTS,
            with_statistics: bool = True) -> dict:
    t0 = time.perf_counter()
    folder, manifest, tmp = import_if_needed(study, clinical, parquet)
    t1 = time.perf_counter()
    try:
        calls = prepare(engine, folder)
        t2 = time.perf_counter()
        raw = run_queries(engine, queries)
        t3 = time.perf_counter()
    except BaseException:
        if tmp is not None:
            tmp.cleanup()
        raise
    result: dict[str, Any] = {"manifest": manifest, "raw": raw, "calls": calls,
              "summary": prevalence_summary(raw, engine.name, manifest, calls)}
    if with_statistics:
        result["stats"] = statistics(raw)
    result["timings"] = {"import_s": t1 - t0, "calls_and_views_s": t2 - t1, "queries_s": t3 - t2,
                         "statistics_s": time.perf_counter() - t3}
    result["_tmp"] = tmp
    return result
