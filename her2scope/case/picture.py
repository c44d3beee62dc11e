"""The HER2 picture: mutation, amplification and protein expression kept apart.

Three different alterations, found by different assays, with different treatments:
- an activating ERBB2 *mutation* (DNA NGS, tissue or plasma);
- ERBB2 *amplification* (NGS copy number, or ISH HER2/CEP17 ratio and HER2 copies per cell);
- HER2 protein *overexpression* (IHC 0 / 1+ / 2+ / 3+).
They are never collapsed into one "HER2-positive".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Her2scopeError, UnknownSampleError
from ..genome.builds import Build
from ..pipeline import Options, annotate_inputs
from ..readers import sample_names
from ..readers.base import FileSummary, NoCall, RecordError
from ..result import VariantResult
from ..vocabulary import (TESTED_STATUSES, UNTESTED_STATUSES, Oncogenicity, Status, TestState, VariantStatus,  # noqa: F401 (re-exported)
                          is_activating)   # the one definition of "activating"
from .copy_number import CopyNumberCall, call_copy_number
from .schema import Case, NgsTest, SampleType
from .stated import Kind, recognise

# ISH thresholds as used for breast/gastric HER2 testing and in the NSCLC trials; there are no
# lung-specific validated ISH criteria (see the knowledge base notes).
ISH_RATIO_POSITIVE = 2.0
ISH_COPIES_POSITIVE = 6.0
ISH_COPIES_EQUIVOCAL = 4.0
# CAP/IASLC/AMP 2018: methods must detect mutations in samples with >= 20% tumour cells.
MIN_TUMOUR_CONTENT = 0.20


STATUSES = tuple(s.value for s in Status)
# When several NGS tests disagree: a found alteration first, then a trustworthy answer, then
# the reasons there is none.
_MUTATION_ORDER = (Status.positive, Status.equivocal, Status.negative, Status.not_detected,
                   Status.failed, Status.not_assessed)


def combined_mutation_status(statuses) -> Status | None:
    """The mutation status of several NGS tests' own statuses, in the one order used everywhere
    (case report and registry): found, then a trustworthy answer, then why there is none. None
    when no status is given. Unknown strings are ignored (never counted as an answer)."""
    given = set()
    for s in statuses:
        try:
            given.add(Status(s))
        except ValueError:
            continue
    return next((s for s in _MUTATION_ORDER if s in given), None)


@dataclass(frozen=True)
class Dimension:
    name: str                      # mutation | amplification | protein_expression
    label: str
    status: Status
    summary: str
    evidence: tuple[str, ...] = ()
    assay: str = ""
    reason: str = ""               # why not_assessed / failed (or why a positive is incomplete)
    reason_code: str | None = None  # an errors.py code (unknown_sample, corrupt_file ...) or see docs/case.md

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "status": self.status.value,
                "summary": self.summary, "evidence": list(self.evidence), "assay": self.assay,
                "reason": self.reason, "reason_code": self.reason_code}


@dataclass(frozen=True)
class Her2Picture:
    case_id: str
    mutation: Dimension
    amplification: Dimension
    expression: Dimension
    variants: tuple[VariantResult, ...]          # all ERBB2 variants found (any class)
    activating: tuple[VariantResult, ...]        # the ones that matter
    errors: tuple[RecordError, ...]
    plasma_only_negative: bool
    copy_number: CopyNumberCall | None
    notes: tuple[str, ...] = field(default=())
    tests: tuple[NgsVerdict, ...] = ()          # each NGS test's own verdict, in case order

    @property
    def dimensions(self) -> tuple[Dimension, Dimension, Dimension]:
        return (self.mutation, self.amplification, self.expression)

    def summary(self) -> str:
        parts = [self.mutation.summary, self.amplification.summary, self.expression.summary]
        return " ".join(parts)


@dataclass(frozen=True)
class NgsReading:
    """One NGS test as read: its ERBB2 variants (of the named sample), errors and notes."""

    test: NgsTest
    variants: tuple[VariantResult, ...]
    errors: tuple[RecordError, ...]
    notes: tuple[str, ...] = ()
    no_calls: tuple[NoCall, ...] = ()      # ERBB2 records the sample has no genotype call for


@dataclass(frozen=True)
class _Outcome:
    status: Status
    reason: str = ""
    code: str | None = None


@dataclass(frozen=True)
class NgsVerdict:
    """One NGS test's own verdict, shown next to the combined mutation status."""

    test: str                  # e.g. "Oncomine Dx on tissue, 2026-10-02"
    status: Status
    read_in_full: bool         # every file read to its end, the named sample found
    reason: str = ""
    reason_code: str | None = None

    def as_dict(self) -> dict:
        return {"test": self.test, "status": self.status.value, "read_in_full": self.read_in_full,
                "reason": self.reason, "reason_code": self.reason_code}


def _is_activating(v: VariantResult) -> bool:
    return bool(v.classification and is_activating(v.classification.oncogenicity) and v.status is VariantStatus.annotated)


def check_sample(path: str, sample: str | None) -> str | None:
    """Raise ``UnknownSampleError`` when ``path`` names samples and ``sample`` is not one of them:
    filtering by a name the file lacks would find nothing and read as "no mutation".
    Returns a note when the name cannot be checked (the file names no samples)."""
    if sample is None:
        return None
    try:
        names = sample_names(path)
    except Her2scopeError:
        return None          # unreadable: the variant reader reports the file as failed
    if not names:
        return f"{Path(path).name} names no samples, so sample {sample!r} could not be checked against it"
    if sample not in names:
        raise UnknownSampleError(path, sample, names)
    return None


def _resolve(base: Path, name: str) -> str:
    return name if Path(name).is_absolute() else str((base / name).resolve())


def read_test(test: NgsTest, base: Path, options: Options, *, strict: bool = False) -> NgsReading:
    """Annotate one NGS test's files and variants. An unknown sample is an error record (the
    file is not read) or, with ``strict``, raises ``UnknownSampleError``."""
    if test.status == TestState.failed:
        return NgsReading(test, (), ())
    errors: list[RecordError] = []
    notes: list[str] = []
    inputs: list[str] = []
    for path in (_resolve(base, f) for f in test.files):
        try:
            note = check_sample(path, test.sample)
        except UnknownSampleError as exc:
            if strict:
                raise
            errors.append(RecordError.of(path, None, exc))
            continue
        if note:
            notes.append(note)
        inputs.append(path)
    if not inputs and not test.variants:
        return NgsReading(test, (), tuple(errors), tuple(notes))
    opts = Options(build=Build(test.build) if test.build else options.build,
                   reference=options.reference, knowledge=options.knowledge)
    results = []
    summaries: list[FileSummary] = []
    for item in annotate_inputs(inputs, opts, summaries, expressions=test.variants):
        if isinstance(item, RecordError):
            errors.append(item)
        elif test.sample is None or item.sample in (None, test.sample):
            results.append(item)
    no_calls = [c for s in summaries for c in s.no_calls if test.sample is None or c.sample == test.sample]
    return NgsReading(test, tuple(results), tuple(errors), tuple(notes), tuple(no_calls))


def build_picture(case: Case, base: Path, options: Options = Options(), *, strict: bool = False) -> Her2Picture:
    """The HER2 picture of a case. Never raises for a damaged or mismatched input: the dimension
    is ``failed`` with the reason. With ``strict`` an unknown sample name raises
    ``UnknownSampleError`` instead (for callers that refuse the upload, e.g. the registry)."""
    readings = [read_test(t, base, options, strict=strict) for t in case.ngs]
    outcomes = [(r, _assess(r)) for r in readings]
    variants = [v for r in readings for v in r.variants]
    errors = [e for r in readings for e in r.errors]
    mutation = _mutation(case, outcomes)
    tests = tuple(NgsVerdict(_what(r.test), _test_status(o), not any(e.record is None for e in r.errors),
                              o.reason, o.code) for r, o in outcomes)
    cn_calls = [(t, _copy_number(t, base, options)) for t in case.ngs if t.copy_number]
    cn = next((c for _, c in cn_calls if c.status is Status.positive), cn_calls[0][1] if cn_calls else None)
    amplification = _amplification(case, [c for _, c in cn_calls])
    expression = _expression(case)
    activating = tuple(v for v in variants if _is_activating(v))
    plasma_only_negative = mutation.status is Status.not_detected
    return Her2Picture(case.case_id, mutation, amplification, expression, tuple(variants), activating,
                       tuple(errors), plasma_only_negative, cn, tests=tests)


def _copy_number(test: NgsTest, base: Path, options: Options) -> CopyNumberCall:
    if test.status == TestState.failed:    # a failed test's numbers are not a result
        return CopyNumberCall(Status.failed, None, f"{_what(test)}: the laboratory reported the assay as failed",
                              "assay_failed")
    opts = Options(build=Build(test.build) if test.build else options.build,
                   reference=options.reference, knowledge=options.knowledge)
    try:
        return call_copy_number(test.copy_number, base, opts)
    except Her2scopeError as exc:   # unreadable copy-number input: say so, never guess
        return CopyNumberCall(Status.failed, None, f"copy number not interpreted: {exc.message}", exc.code)


def _describe(v: VariantResult) -> str:
    c = v.classification
    cls = c.alteration_class.replace("_", " ") if c else "variant"
    return f"{v.protein_change or v.hgvs_c} ({cls}; {c.oncogenicity.replace('_', ' ') if c else 'not classified'})"


def _what(test: NgsTest) -> str:
    return f"{test.assay or 'NGS'} on {test.sample_type.value}" + (f", {test.date}" if test.date else "")


def covers_erbb2(test: NgsTest) -> bool:
    """Whether the assay looked at ERBB2: ``genes_covered`` absent means a broad panel."""
    return test.genes_covered is None or covers_erbb2_genes(test.genes_covered)


def covers_erbb2_genes(genes_covered: Iterable[str]) -> bool:
    """Whether a list of an assay's genes names ERBB2 (or HER2)."""
    return any(re.search(r"\b(ERBB2|HER2)\b", g, re.I) for g in genes_covered)


def _messages(errors) -> str:
    """Error messages with each file named by its name, not its full path (the report is read by people)."""
    return "; ".join(dict.fromkeys(e.message.replace(e.input, Path(e.input).name) for e in errors))


def _assess(r: NgsReading) -> _Outcome:
    """The rule, for one test: negative (or not_detected) only when the assay covered ERBB2, the
    named sample is in the file, every file was read to its end and every ERBB2 record was
    interpreted. A positive found before damage stays positive, marked incomplete."""
    test = r.test
    if test.status == TestState.failed:
        return _Outcome(Status.failed, "the laboratory reported the assay as failed", "assay_failed")
    if not test.files and not test.variants and not test.no_variant_reported:
        return _Outcome(Status.not_assessed, "no sequencing result was given for this test (no files, "
                                             "no variants, and no_variant_reported is not set)", "no_sequence_data")
    whole_file = [e for e in r.errors if e.record is None]     # a file not read (to its end)
    records = [e for e in r.errors if e.record is not None]
    if any(_is_activating(v) for v in r.variants):
        if whole_file:
            return _Outcome(Status.positive, "the positive stands, but not every file was read to its end ("
                            + _messages(whole_file) + "): variants after that point were not seen",
                            "incomplete_file")
        return _Outcome(Status.positive)
    if not covers_erbb2(test):
        genes = ", ".join(test.genes_covered or ()) or "no genes listed"
        return _Outcome(Status.not_assessed, f"the assay's genes_covered ({genes}) does not include "
                                             "ERBB2: ERBB2 was not tested", "not_covered")
    if whole_file:
        return _Outcome(Status.failed, _messages(whole_file), whole_file[0].error)
    if records:   # before the VUS check: an uninterpreted record may be the activating one
        return _Outcome(Status.failed, f"{len(records)} ERBB2 record(s) could not be interpreted (first: "
                                       f"{_messages(records[:1])}); no negative can be given until they are "
                                       "reviewed", "uninterpreted_records")
    if r.no_calls:   # a hotspot caller's NOCALL: that position was not looked at in this sample
        first = r.no_calls[0]
        return _Outcome(Status.not_assessed, f"{len(r.no_calls)} ERBB2 record(s) without a genotype call for the "
                        f"sample (first: record {first.record}, sample {first.sample}, {first.site}): whether it "
                        "carries that allele is unknown, so no negative can be given", "no_call")
    stated = _stated_erbb2_not_read(test)
    if stated:    # the laboratory states an ERBB2 finding her2scope did not interpret: it may be the activating one
        return _Outcome(Status.failed, "the result states ERBB2 finding(s) her2scope did not interpret ("
                        + "; ".join(repr(t) for t in stated) + "); give ERBB2 variants in ngs[].variants as HGVS",
                        "uninterpreted_records")
    if any(v.classification and v.classification.oncogenicity == Oncogenicity.uncertain_significance for v in r.variants):
        return _Outcome(Status.equivocal)
    if test.sample_type is SampleType.tissue:
        return _Outcome(Status.negative)
    return _Outcome(Status.not_detected)


def _stated_erbb2_not_read(test: NgsTest) -> list[str]:
    """``other_alterations`` entries naming ERBB2/HER2 that are not an amplification (counted under
    amplification): e.g. "HER2 exon 20 insertion", "ERBB2 p.Y772_A775dup"."""
    return [text for text in test.other_alterations
            if (s := recognise(text)).gene == "ERBB2" and s.kind is not Kind.amplification]


def _test_status(outcome: _Outcome) -> Status:
    """The test's own status: a file not read to its end is a failed test (it must be re-exported or
    repeated), even when an activating variant read before the damage keeps the mutation positive."""
    return Status.failed if outcome.code == "incomplete_file" else outcome.status


def _mutation(case: Case, outcomes: list[tuple[NgsReading, _Outcome]]) -> Dimension:
    label = "ERBB2 mutation (DNA sequencing)"
    if not case.ngs:
        return Dimension("mutation", label, Status.not_tested,
                         "ERBB2 mutation status: not tested (no NGS result).")
    evidence: list[str] = []
    for r, outcome in outcomes:
        what = _what(r.test)
        if r.test.status == TestState.resulted and (r.test.files or r.test.variants):
            evidence.append(f"{what}: " + (", ".join(_describe(v) for v in r.variants) or "no ERBB2 variant"))
        if outcome.reason:
            evidence.append(f"{what}: {outcome.status.value.replace('_', ' ')}: {outcome.reason}")
        if r.test.tumour_content is not None and r.test.tumour_content < MIN_TUMOUR_CONTENT:
            evidence.append(f"{what}: tumour content {r.test.tumour_content:.0%} is below 20%; a negative "
                            "result may be a false negative")
        evidence += [f"{what}: {n}" for n in r.notes]
        evidence += [f"not interpreted: {e.input} record {e.record}: {e.message}" for e in r.errors
                     if e.record is not None]
    status = combined_mutation_status(o.status for _, o in outcomes)
    assert status is not None   # one outcome per NGS test, and the case has some (checked above)
    chosen = [(r, o) for r, o in outcomes if o.status is status]
    reason = "; ".join(dict.fromkeys(o.reason for _, o in chosen if o.reason))
    code = next((o.code for _, o in chosen if o.code), None)
    assay = "; ".join(sorted({(r.test.assay or "NGS") + f" ({r.test.sample_type.value})" for r, _ in outcomes}))
    summary = _mutation_summary(status, chosen, reason, code)
    return Dimension("mutation", label, status, summary, tuple(evidence), assay, reason, code)


def _mutation_summary(status: Status, chosen, reason: str, code: str | None) -> str:
    if status is Status.positive:
        found = [(r.test, v) for r, _ in chosen for v in r.variants if _is_activating(v)]
        names = ", ".join(dict.fromkeys(v.protein_change or v.hgvs_c for _, v in found))
        sources = ", ".join(sorted({t.sample_type.value for t, _ in found}))
        text = f"Activating ERBB2 mutation detected: {names} ({sources})."
        return text + (f" Note: {reason}." if reason else "")
    if status is Status.equivocal:
        names = ", ".join(dict.fromkeys(v.protein_change or v.hgvs_c or "?" for r, _ in chosen for v in r.variants
                                        if v.classification and v.classification.oncogenicity
                                        == Oncogenicity.uncertain_significance))
        return (f"ERBB2 variant(s) of uncertain significance only: {names}; not evidence of an "
                "activating mutation.")
    if status is Status.negative:
        return "No activating ERBB2 mutation in tissue NGS."
    if status is Status.not_detected:
        return ("No ERBB2 mutation detected in plasma: this is 'not detected', not negative "
                "(low tumour DNA shedding can hide it); tissue testing is recommended.")
    if status is Status.not_assessed:
        return (f"ERBB2 mutation status: not assessed: {reason}. This is not a negative result; "
                "broad NGS covering ERBB2 is needed.")
    action = _ACTIONS.get(code or "", "obtain a complete, readable result file or repeat the test")
    return f"ERBB2 mutation status: NGS failed: {reason}. This is not a negative result; {action}."


# What the reader of a failed mutation result should do, by reason code.
_ACTIONS = {"assay_failed": "repeat testing is needed",
            "unknown_sample": "correct the sample name (or attach the right file)",
            "uninterpreted_records": "review the records that could not be interpreted",
            "corrupt_file": "re-export the complete file from the pipeline"}


def _stated_amplification(case: Case) -> list[tuple[Status, str]]:
    """ERBB2 amplification stated in words by a resulted NGS test: a laboratory call."""
    out = []
    for test in case.ngs:
        if test.status != TestState.resulted:
            continue
        for text in test.other_alterations:
            stated = recognise(text)
            if stated.kind is Kind.amplification and stated.gene == "ERBB2":
                out.append((Status.positive, f"{_what(test)} states {text!r} (laboratory call)"))
    return out


def _ish(ish) -> tuple[Status, str]:
    if ish.status == TestState.failed:
        return Status.failed, "ISH reported as failed"
    ratio, copies = ish.her2_cep17_ratio, ish.mean_her2_copies
    text = ", ".join(x for x in (f"HER2/CEP17 ratio {ratio:g}" if ratio is not None else "",
                                 f"mean HER2 copies/cell {copies:g}" if copies is not None else "") if x)
    if (ratio is not None and ratio >= ISH_RATIO_POSITIVE) or (copies is not None and copies >= ISH_COPIES_POSITIVE):
        return Status.positive, (f"ISH: {text} (amplified: ratio >= {ISH_RATIO_POSITIVE:g} or >= "
                                 f"{ISH_COPIES_POSITIVE:g} copies/cell, breast/gastric criteria used in trials)")
    if copies is not None and copies >= ISH_COPIES_EQUIVOCAL:
        return Status.equivocal, (f"ISH: {text} (equivocal: {ISH_COPIES_EQUIVOCAL:g}-{ISH_COPIES_POSITIVE:g} "
                                  "copies/cell)")
    if ratio is None or copies is None:
        # below one threshold says nothing of the other (ratio < 2 with >= 6 copies is amplified)
        missing = "mean HER2 copies/cell" if copies is None else "HER2/CEP17 ratio"
        return Status.not_assessed, (f"ISH: {text} without the {missing}: not amplified only when both are below "
                                     "the thresholds")
    return Status.negative, f"ISH: {text} (not amplified)"


_AMPLIFICATION_ORDER = (Status.positive, Status.equivocal, Status.negative, Status.failed, Status.not_assessed)


def _amplification(case: Case, cn_calls: list[CopyNumberCall]) -> Dimension:
    label = "ERBB2 amplification (NGS copy number / ISH)"
    found: list[tuple[Status, str, str | None]] = []    # (status, evidence, reason code)
    assays = []
    found += [(Status(cn.status), cn.evidence, cn.code) for cn in cn_calls]
    if cn_calls:
        assays.append("NGS copy number")
    stated = _stated_amplification(case)
    found += [(s, e, None) for s, e in stated]
    if stated:
        assays.append("NGS (stated)")
    if case.ish is not None:
        status, text = _ish(case.ish)
        found.append((status, text, {Status.failed: "assay_failed", Status.not_assessed: "incomplete_ish"}.get(status)))
        assays.append("ISH")
    if not found:
        return Dimension("amplification", label, Status.not_tested, "ERBB2 amplification: not tested.")
    status = next(s for s in _AMPLIFICATION_ORDER if any(f[0] is s for f in found))
    reason = "; ".join(e for s, e, _ in found if s is status) if status in UNTESTED_STATUSES else ""
    code = next((c for s, _, c in found if s is status and c), None)
    text = {Status.positive: "ERBB2 amplification present (a different alteration from a mutation).",
            Status.equivocal: "ERBB2 amplification equivocal.",
            Status.negative: "No ERBB2 amplification.",
            Status.failed: f"ERBB2 amplification testing failed: {reason}. This is not a negative result.",
            Status.not_assessed: f"ERBB2 amplification: not assessed: {reason}. This is not a negative "
                                 "result."}[status]
    return Dimension("amplification", label, status, text, tuple(e for _, e, _ in found), " + ".join(assays),
                     reason, code)


def _expression(case: Case) -> Dimension:
    label = "HER2 protein expression (IHC)"
    ihc = case.ihc
    if ihc is None:
        return Dimension("protein_expression", label, Status.not_tested, "HER2 IHC: not tested.")
    assay = f"IHC ({ihc.scoring_system}" + (f", {ihc.antibody}" if ihc.antibody else "") + ")"
    if ihc.status == TestState.failed:
        return Dimension("protein_expression", label, Status.failed, "HER2 IHC failed. This is not a negative "
                         "result.", (), assay, "IHC reported as failed", "assay_failed")
    status, text = {
        "3+": (Status.positive, "HER2 protein overexpression: IHC 3+."),
        "2+": (Status.equivocal, "HER2 IHC 2+ (moderate expression; not overexpression by IHC alone)."),
        "1+": (Status.negative, "HER2 IHC 1+ (no overexpression)."),
        "0": (Status.negative, "HER2 IHC 0 (no expression)."),
    }[ihc.score]
    return Dimension("protein_expression", label, status, text,
                     (f"IHC {ihc.score} scored with {ihc.scoring_system}",), assay)
