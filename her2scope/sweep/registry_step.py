"""The sweep's registry step (``her2scope sweep ... --registry``): hits to the registry.

Runs after the Parquet tables are complete and reads only them (and the manifest), so a crash
here leaves the sweep intact and the step can be run again alone (``--registry-only``). What is
stored, how a sample finds its patient and when a sample may be called negative: docs/sweep.md,
"Sending the results to the registry". Every (file, sample) ends in ``OUT/registry.tsv`` with
its outcome; none is dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import MalformedRecordError
from ..readers.manifest import ManifestLink
from ..registry.dto import UserInfo
from ..registry.rows import RowRejected, check_genes_covered
from ..registry.service import Registry
from ..registry.sweep_import import (
                                     SAMPLE_TYPES,
                                     Outcome,
                                     SweepStored,
                                     SweepTest,
                                     import_sweep_tests,
                                     known_patients,
                                     variant_hgvs,
)
from ..vocabulary import VariantStatus, is_activating

REPORT_NAME = "registry.tsv"
REPORT_COLUMNS = ("file", "sample", "patient", "matched_by", "activating", "outcome", "her2_status", "detail")


@dataclass(frozen=True, slots=True)
class RegistryOptions:
    """How the step matches and what it may store (CLI options of ``her2scope sweep``)."""

    sample_type: str | None = None       # tissue | plasma, for files the manifest gives none
    assay_covers_erbb2: bool = False     # the user states every swept assay covered ERBB2
    match_sample_names: bool = False     # a sample named exactly like a patient is that patient
    create_patients: bool = False        # a manifest patient missing from the registry is created


@dataclass(frozen=True, slots=True)
class Unit:
    """One (file, sample) the sweep saw, with what it says about ERBB2."""

    file: str
    file_sha256: str | None
    sample: str | None
    failed: str | None                  # the file's failure reason, None when read to its end
    variants: tuple[str, ...]           # HGVS of the sample's ERBB2 variants
    activating: tuple[str, ...]         # protein changes of its activating variants
    doubt: str | None                   # why nothing but a positive may be claimed


@dataclass(frozen=True, slots=True)
class Match:
    patient: str | None
    matched_by: str                     # manifest line N | sample name | "" (unmatched)
    sample_type: str | None
    reason: str = ""                    # why unmatched
    genes_covered: str | None = None    # the manifest line's assay genes, as written


@dataclass(frozen=True, slots=True)
class Line:
    """One line of ``registry.tsv``."""

    unit: Unit
    match: Match
    outcome: Outcome
    her2_status: str | None = None
    detail: str = ""

    def cells(self) -> tuple:
        u, m = self.unit, self.match
        return (u.file, u.sample or "", m.patient or "", m.matched_by, ", ".join(u.activating),
                self.outcome.value, self.her2_status or "", self.detail)


# ---- the sweep's tables -> units ---------------------------------------------------------

def read_tables(out_dir: str) -> dict[str, list[dict]]:
    """The ``files``, ``variants`` and ``errors`` tables of a finished sweep (local or Spark)."""
    import duckdb  # lazy: optional (the ``cohort`` extra), needed by the sweep anyway

    tables = {}
    con = duckdb.connect(":memory:")
    try:
        for table in ("files", "variants", "errors"):
            path = os.path.join(out_dir, f"{table}.parquet")
            if not os.path.exists(path):
                raise MalformedRecordError(f"{path}: no such table: run the sweep first (without "
                                           "--registry-only), or give the sweep's -o folder")
            src = os.path.join(path, "*.parquet") if os.path.isdir(path) else path
            cur = con.execute("SELECT * FROM read_parquet(?)", [src])
            names = [d[0] for d in cur.description]
            tables[table] = [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()
    return tables


def units_of(tables: dict[str, list[dict]], links: Iterable[ManifestLink] = ()) -> list[Unit]:
    """Every (file, sample) of the sweep: each sample the file names, each sample with an ERBB2
    variant, each sample the manifest ties to the file; (file, None) for a file naming none."""
    variants: dict[tuple, list[dict]] = defaultdict(list)
    for v in tables["variants"]:
        variants[(v["file"], v["sample"])].append(v)
    record_errors: dict[str, int] = defaultdict(int)
    for e in tables["errors"]:
        if e["record"] is not None:
            record_errors[e["file"]] += 1
    linked: dict[str, list[str | None]] = defaultdict(list)
    for link in links:
        linked[link.file].append(link.sample)
    units = []
    for f in tables["files"]:
        named = f.get("samples")
        samples = list(dict.fromkeys([*(named or []), *(s for (fn, s) in variants if fn == f["file"]),
                                      *(s for s in linked[f["file"]] if s is not None)]))
        if not samples:           # a file naming no samples (or a failed one): still one line
            samples = [None]
        for sample in samples:
            units.append(_unit(f, sample, variants[(f["file"], sample)], record_errors[f["file"]]))
    return units


def _unit(f: dict, sample: str | None, rows: list[dict], record_errors: int) -> Unit:
    failed = None if f["status"] == "done" else (f["reason"] or "failed")
    activating = tuple(v["protein_change"] or v["hgvs_c"] for v in rows if is_activating(v["oncogenicity"]))
    hgvs = tuple(h for h in (variant_hgvs(v) for v in rows) if h)
    return Unit(f["file"], f["file_sha256"], sample, failed, hgvs, activating,
                _doubt(f, sample, rows, record_errors, len(hgvs)))


def _doubt(f: dict, sample: str | None, rows: list[dict], record_errors: int, texts: int) -> str | None:
    """Why no negative or equivocal result may be claimed for this sample (None: no doubt)."""
    named = f.get("samples")
    if named is None:
        return "the file's sample names could not be read in full"
    if sample is not None and sample not in named:
        shown = ", ".join(named[:5]) or "none"
        return f"sample {sample!r} is not a sample of the file (it names: {shown})"
    uncalled = f.get("no_call_samples") or []
    if uncalled and (sample is None or sample in uncalled):
        return ("the sample has no genotype call at an ERBB2 record (GT ./.): whether it carries that allele is "
                "unknown")
    if record_errors:
        return (f"{record_errors} record(s) of the file could not be interpreted (one may be this sample's "
                "activating variant)")
    if any(v["status"] != VariantStatus.annotated for v in rows) or texts < len(rows):
        return "an ERBB2 record of this sample could not be interpreted"
    return None


def claim(unit: Unit, opts: RegistryOptions, genes: tuple[str, ...] | None = None) -> str | None:
    """None when the unit may be stored, else why not. A positive is stored whatever else is
    wrong with the file (what was read is certain); anything else only under the negative rule:
    the assay covered ERBB2, the sample is named in the file, the file was read to its end and
    every ERBB2 record was interpreted. ``genes``: the assay's genes from the manifest; with them
    the registry's picture decides (negative, or not assessed when ERBB2 is not among them)."""
    if unit.file_sha256 is None:
        return f"file not read: {unit.failed}"
    if unit.activating:
        return None
    if unit.failed:
        return f"file failed ({unit.failed}): no negative from a file not read to its end"
    if unit.doubt:
        return unit.doubt
    if genes is None and not opts.assay_covers_erbb2:
        return ("no activating ERBB2 variant; the sweep cannot tell whether the assay covered ERBB2 "
                "(--assay-covers-erbb2 stores these results too)")
    return None


# ---- matching ------------------------------------------------------------------------------

def match_units(units: list[Unit], links: tuple[ManifestLink, ...] | None, known: set[str],
                opts: RegistryOptions) -> list[Match]:
    """The patient of each unit: a manifest line naming the file and that sample, or the file
    alone when it has at most one sample; else (``match_sample_names``) an existing patient
    named exactly like the sample; else unmatched, with the reason."""
    by_file: dict[str, list[ManifestLink]] = defaultdict(list)
    for link in links or ():
        by_file[link.file].append(link)
    count: dict[str, int] = defaultdict(int)
    for u in units:
        count[u.file] += u.sample is not None
    return [_match(u, by_file[u.file], count[u.file], known, opts) for u in units]


def _match(u: Unit, links: list[ManifestLink], samples: int, known: set[str], opts: RegistryOptions) -> Match:
    exact = [ln for ln in links if ln.sample is not None and ln.sample == u.sample and ln.patient]
    whole = [ln for ln in links if ln.sample is None and ln.patient]
    chosen = exact or whole
    patients = {ln.patient for ln in chosen}
    if len(patients) > 1:
        return Match(None, "", None, "the manifest names different patients for this file's sample: "
                     + ", ".join(f"line {ln.line}: {ln.patient}" for ln in chosen))
    if chosen and not exact and samples > 1:
        return Match(None, "", None, f"manifest line {chosen[0].line} names a patient for a file with {samples} "
                     "samples: add the sample column")
    if chosen:
        ln = chosen[0]
        return Match(ln.patient, f"manifest line {ln.line}", ln.sample_type or opts.sample_type,
                     genes_covered=ln.genes_covered)
    if opts.match_sample_names and u.sample in known:
        return Match(u.sample, "sample name", opts.sample_type)
    if any(ln.patient for ln in links):
        reason = "the manifest ties other samples of this file to patients, not this one"
    elif links:
        reason = f"manifest line {links[0].line} names no patient for this file"
    elif opts.match_sample_names:
        reason = "no manifest line names this file and no patient is named like the sample"
    else:
        reason = "no manifest line names this file (--match-sample-names would match sample names to patients)"
    return Match(None, "", None, reason)


# ---- the step ------------------------------------------------------------------------------

def run_registry_step(out_dir: str, reg: Registry, actor: UserInfo, opts: RegistryOptions, *,
                      links: tuple[ManifestLink, ...] | None = None, today: dt.date | None = None) -> list[Line]:
    """Read the sweep's tables in ``out_dir``, match, store; write ``registry.tsv``; every line."""
    units = units_of(read_tables(out_dir), links or ())
    names = {ln.patient for ln in links or () if ln.patient}
    if opts.match_sample_names:
        names |= {u.sample for u in units if u.sample}
    known = known_patients(reg, actor, names)
    matches = match_units(units, links, known, opts)
    lines: list[Line | None] = []
    tests: list[tuple[int, SweepTest]] = []
    for u, m in zip(units, matches):
        genes, bad_genes = _genes(m)
        line = _before_registry(u, m, opts, genes, bad_genes)
        if line is None:
            assert u.file_sha256 is not None and m.patient is not None and m.sample_type is not None
            tests.append((len(lines), SweepTest(m.patient, u.file, u.file_sha256, u.sample, m.sample_type,
                                                u.variants, genes)))
        lines.append(line)
    stored = import_sweep_tests(reg, [t for _, t in tests], actor, create_patients=opts.create_patients,
                                source=f"sweep {os.path.basename(os.path.abspath(out_dir))}"[:300], today=today)
    for (i, _), result in zip(tests, stored):
        lines[i] = _line(units[i], matches[i], result)
    done = [ln for ln in lines if ln is not None]
    write_report(done, os.path.join(out_dir, REPORT_NAME))
    return done


def _genes(m: Match) -> tuple[tuple[str, ...] | None, str | None]:
    """The matched manifest line's assay genes, or why its genes_covered cell is unusable."""
    try:
        return check_genes_covered(m.genes_covered), None
    except RowRejected as exc:
        return None, f"{m.matched_by}: {exc.reason}"


def _before_registry(u: Unit, m: Match, opts: RegistryOptions, genes: tuple[str, ...] | None,
                     bad_genes: str | None) -> Line | None:
    """The line of a unit that goes no further, or None. Nothing certain to store comes first
    (a failed file is reported as failed, matched or not); ``unmatched`` is kept for samples
    that would have been stored had a patient been found."""
    if bad_genes:
        return Line(u, m, Outcome.not_stored, None, bad_genes)
    why = claim(u, opts, genes)
    if why:
        return Line(u, m, Outcome.not_stored, None, why + (f"; no patient either: {m.reason}" if m.reason else ""))
    if m.patient is None:
        return Line(u, m, Outcome.unmatched, None, m.reason)
    if m.sample_type not in SAMPLE_TYPES:
        what = f"sample type {m.sample_type!r}" if m.sample_type else "no sample type (tissue or plasma)"
        return Line(u, m, Outcome.not_stored, None, f"{what}: give --sample-type or a sample_type column")
    return None


def _line(u: Unit, m: Match, r: SweepStored) -> Line:
    detail = r.detail
    if u.failed and r.outcome is Outcome.stored:
        detail += f"; the file was not read to its end ({u.failed}): the positive stands"
    return Line(u, m, r.outcome, r.her2_status, detail)


def write_report(lines: list[Line], path: str) -> None:
    """``registry.tsv``, written under a hidden name and renamed (never half a report)."""
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.partial")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(REPORT_COLUMNS)
        w.writerows(ln.cells() for ln in lines)
    os.replace(tmp, path)
