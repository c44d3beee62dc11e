"""One file of a sweep: checksum, annotate (exactly as ``her2scope annotate FILE``), and the
rows of the sweep's tables. Runs in a pool worker or on a Spark executor; returns plain data."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from ..errors import Her2scopeError
from ..genome.builds import Build
from ..pipeline import Options, annotate_inputs
from ..readers.base import FileSummary, RecordError
from ..readers.samples import sample_names
from ..render.records import as_dict
from ..vocabulary import Oncogenicity, is_activating
from .discover import SweepInput
from .tables import VARIANT_JSON_COLUMNS


@dataclass(frozen=True, slots=True)
class Settings:
    """What decides the rows besides the file's bytes (part of the resume key)."""

    build: str | None = None
    reference: str | None = None
    knowledge: str | None = None


def checksum(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def annotate_file(inp: SweepInput, settings: Settings, sha256: str | None = None) -> dict:
    """The outcome of one file: its status row, variant rows, error rows and activating-sample
    rows (all in the Parquet shapes of ``tables.py``), plus ``seconds`` (not stored in the tables)."""
    t0 = time.perf_counter()
    status: dict[str, Any] = {"file": inp.file, "input": inp.path, "file_sha256": sha256, "size": inp.size,
              "status": "done", "reason": None, "format": None, "build": None, "records": 0,
              "erbb2_records": 0, "variants": 0, "errors": 0, "activating": 0, "samples": None,
              "no_call_samples": None}
    variants: list[dict] = []
    errors: list[dict] = []
    try:
        if sha256 is None:
            status["file_sha256"] = checksum(inp.path)
            status["size"] = os.path.getsize(inp.path)
        _read_rows(inp, settings, status, variants, errors)
    except OSError as exc:          # vanished or unreadable between listing and reading
        status["status"], status["reason"] = "failed", f"file_not_found: {inp.path}: {exc.strerror or exc}"
    except Her2scopeError as exc:   # e.g. an unusable --reference or knowledge file
        status["status"], status["reason"] = "failed", f"{exc.code}: {exc.message}"
    status["variants"], status["errors"] = len(variants), len(errors)
    if status["status"] == "done" and status["format"] == "HGVS" and errors and not variants:
        # Text in which no line is an HGVS expression: in an archive sweep, a file that is not
        # VCF/BCF/MAF (a misnamed report, a log) - nothing in it was assessed.
        status["status"] = "failed"
        status["reason"] = (f"not_variant_file: {inp.path}: neither VCF, BCF nor MAF, and no line is an "
                            f"HGVS expression ({len(errors)} line(s) failed)")
    if status["status"] == "done":
        status["samples"] = _samples(inp.path)
    activating = activating_samples(variants)
    status["activating"] = sum(r["variants"] for r in activating)
    return {"status": status, "variants": variants, "errors": errors, "activating": activating,
            "seconds": time.perf_counter() - t0}


def _read_rows(inp: SweepInput, settings: Settings, status: dict, variants: list[dict], errors: list[dict]) -> None:
    """Annotate the file exactly as ``her2scope annotate FILE`` does, filling the three lists'
    rows; a whole-file error (``record`` None) makes the file failed with that reason."""
    options = Options(build=Build(settings.build) if settings.build else None,
                      reference=settings.reference, knowledge=settings.knowledge)
    summaries: list[FileSummary] = []
    for row, item in enumerate(annotate_inputs([inp.path], options, summaries)):
        d = as_dict(item)
        head = {"file": inp.file, "file_sha256": status["file_sha256"], "row": row}
        if isinstance(item, RecordError):
            errors.append(head | d)
            if item.record is None and status["reason"] is None:
                status["status"], status["reason"] = "failed", f"{item.error}: {item.message}"
        else:
            for key in VARIANT_JSON_COLUMNS:       # nested, optional keys: kept as annotate's JSON
                d[key] = json.dumps(d[key], ensure_ascii=False)
            variants.append(head | d)
    s = summaries[0] if summaries else None
    if s is not None:
        status.update(format=s.format, build=s.build, records=s.records, erbb2_records=s.erbb2_records,
                      no_call_samples=list(dict.fromkeys(c.sample for c in s.no_calls)))


def _samples(path: str) -> list[str] | None:
    """Every sample the file names (VCF/BCF header; MAF: every Tumor_Sample_Barcode, any gene),
    also those without an ERBB2 variant: the registry step may call one of those negative only
    when it is named here. None when the names cannot be known in full; [] when it names none."""
    try:
        return list(sample_names(path))
    except (Her2scopeError, OSError):
        return None


def activating_samples(variants: list[dict]) -> list[dict]:
    """One row per sample of this file with at least one activating ERBB2 variant (the one
    definition: ``vocabulary.is_activating``), samples in order of their first such variant."""
    by_sample: dict[str | None, dict] = {}
    for v in variants:
        if not is_activating(v["oncogenicity"]):
            continue
        row = by_sample.setdefault(v["sample"], {
            "file": v["file"], "sample": v["sample"], "variants": 0, "protein_changes": [],
            "oncogenicity": v["oncogenicity"], "knowledge_version": v["knowledge_version"]})
        row["variants"] += 1
        row["protein_changes"].append(v["protein_change"])
        if v["oncogenicity"] == Oncogenicity.oncogenic:    # a row is plain JSON data: keep the text
            row["oncogenicity"] = Oncogenicity.oncogenic.value
    return list(by_sample.values())
