"""The HER2 picture: mutation, amplification and protein expression kept apart.

Three different alterations, found by different assays, with different treatments:
- an activating ERBB2 *mutation* (DNA NGS, tissue or plasma);
- ERBB2 *amplification* (NGS copy number, or ISH HER2/CEP17 ratio and HER2 copies per cell);
- HER2 protein *overexpression* (IHC 0 / 1+ / 2+ / 3+).
They are never collapsed into one "HER2-positive".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline import Options, annotate_inputs
from ..readers.base import RecordError
from ..result import VariantResult
from .copy_number import CopyNumberCall, call_copy_number
from .schema import Case, NgsTest, SampleType

ACTIVATING = ("oncogenic", "likely_oncogenic")
# ISH thresholds as used for breast/gastric HER2 testing and in the NSCLC trials; there are no
# lung-specific validated ISH criteria (see the knowledge base notes).
ISH_RATIO_POSITIVE = 2.0
ISH_COPIES_POSITIVE = 6.0
ISH_COPIES_EQUIVOCAL = 4.0
# CAP/IASLC/AMP 2018: methods must detect mutations in samples with >= 20% tumour cells.
MIN_TUMOUR_CONTENT = 0.20

STATUSES = ("positive", "negative", "not_detected", "equivocal", "not_tested", "failed")


@dataclass(frozen=True)
class Dimension:
    name: str                      # mutation | amplification | protein_expression
    label: str
    status: str
    summary: str
    evidence: tuple[str, ...] = ()
    assay: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "status": self.status,
                "summary": self.summary, "evidence": list(self.evidence), "assay": self.assay}


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

    @property
    def dimensions(self) -> tuple[Dimension, Dimension, Dimension]:
        return (self.mutation, self.amplification, self.expression)

    def summary(self) -> str:
        parts = [self.mutation.summary, self.amplification.summary, self.expression.summary]
        return " ".join(parts)


def _ngs_results(case: Case, base: Path, test: NgsTest, options: Options):
    inputs = [str((base / f).resolve()) if not Path(f).is_absolute() else f for f in test.files]
    inputs += list(test.variants)
    if not inputs:
        return [], []
    from ..genome.builds import Build

    opts = Options(build=Build(test.build) if test.build else options.build,
                   reference=options.reference, knowledge=options.knowledge)
    results, errors = [], []
    for item in annotate_inputs(inputs, opts):
        if isinstance(item, RecordError):
            errors.append(item)
        elif test.sample is None or item.sample in (None, test.sample):
            results.append(item)
    return results, errors


def build_picture(case: Case, base: Path, options: Options = Options()) -> Her2Picture:
    variants: list[VariantResult] = []
    errors: list[RecordError] = []
    resulted = [t for t in case.ngs if t.status == "resulted"]
    per_test: list[tuple[NgsTest, list[VariantResult]]] = []
    for test in resulted:
        found, errs = _ngs_results(case, base, test, options)
        variants += found
        errors += errs
        per_test.append((test, found))
    mutation = _mutation(case, per_test, errors)
    cn_calls = [(t, _copy_number(t, base, options)) for t in case.ngs if t.copy_number]
    cn = next((c for _, c in cn_calls if c.status == "positive"), cn_calls[0][1] if cn_calls else None)
    amplification = _amplification(case, cn)
    expression = _expression(case)
    activating = tuple(v for v in variants if v.classification and v.classification.oncogenicity in ACTIVATING
                       and v.status == "annotated")
    plasma_only_negative = mutation.status == "not_detected"
    return Her2Picture(case.case_id, mutation, amplification, expression, tuple(variants), activating,
                       tuple(errors), plasma_only_negative, cn)


def _copy_number(test: NgsTest, base: Path, options: Options) -> CopyNumberCall:
    from ..errors import Her2scopeError
    from ..genome.builds import Build

    opts = Options(build=Build(test.build) if test.build else options.build,
                   reference=options.reference, knowledge=options.knowledge)
    try:
        return call_copy_number(test.copy_number, base, opts)
    except Her2scopeError as exc:   # unreadable copy-number input: say so, never guess
        return CopyNumberCall("failed", None, f"copy number not interpreted: {exc.message}")


def _describe(v: VariantResult) -> str:
    c = v.classification
    cls = c.alteration_class.replace("_", " ") if c else "variant"
    return f"{v.protein_change or v.hgvs_c} ({cls}; {c.oncogenicity.replace('_', ' ') if c else 'not classified'})"


def _mutation(case: Case, per_test, errors) -> Dimension:
    label = "ERBB2 mutation (DNA sequencing)"
    if not case.ngs:
        return Dimension("mutation", label, "not_tested",
                         "ERBB2 mutation status: not tested (no NGS result).")
    if not per_test:
        return Dimension("mutation", label, "failed",
                         "ERBB2 mutation status: NGS failed; repeat testing is needed.",
                         tuple(f"{t.assay or 'NGS'} ({t.sample_type.value}) failed" for t in case.ngs))
    evidence = []
    found = []
    for test, results in per_test:
        what = f"{test.assay or 'NGS'} on {test.sample_type.value}" + (f", {test.date}" if test.date else "")
        names = ", ".join(_describe(v) for v in results) or "no ERBB2 variant"
        evidence.append(f"{what}: {names}")
        if test.tumour_content is not None and test.tumour_content < MIN_TUMOUR_CONTENT:
            evidence.append(f"{what}: tumour content {test.tumour_content:.0%} is below 20%; a negative "
                            "result may be a false negative")
        found += [(test, v) for v in results]
    evidence += [f"not interpreted: {e.input} record {e.record}: {e.message}" for e in errors]
    assay = "; ".join(sorted({(t.assay or "NGS") + f" ({t.sample_type.value})" for t, _ in per_test}))
    activating = [(t, v) for t, v in found if v.classification and v.classification.oncogenicity in ACTIVATING]
    if activating:
        names = ", ".join(dict.fromkeys(v.protein_change or v.hgvs_c for _, v in activating))
        sources = ", ".join(sorted({t.sample_type.value for t, _ in activating}))
        return Dimension("mutation", label, "positive",
                         f"Activating ERBB2 mutation detected: {names} ({sources}).", tuple(evidence), assay)
    uncertain = [(t, v) for t, v in found if v.classification
                 and v.classification.oncogenicity == "uncertain_significance"]
    if uncertain:
        names = ", ".join(dict.fromkeys(v.protein_change or v.hgvs_c or "?" for _, v in uncertain))
        return Dimension("mutation", label, "equivocal",
                         f"ERBB2 variant(s) of uncertain significance only: {names}; not evidence of an "
                         "activating mutation.", tuple(evidence), assay)
    if errors and not found:
        return Dimension("mutation", label, "failed",
                         "ERBB2 mutation status: the NGS result could not be interpreted.", tuple(evidence), assay)
    tissue = [t for t, _ in per_test if t.sample_type is SampleType.tissue]
    if tissue:
        return Dimension("mutation", label, "negative",
                         "No activating ERBB2 mutation in tissue NGS.", tuple(evidence), assay)
    return Dimension("mutation", label, "not_detected",
                     "No ERBB2 mutation detected in plasma: this is 'not detected', not negative "
                     "(low tumour DNA shedding can hide it); tissue testing is recommended.",
                     tuple(evidence), assay)


def _amplification(case: Case, cn: CopyNumberCall | None) -> Dimension:
    label = "ERBB2 amplification (NGS copy number / ISH)"
    evidence = []
    statuses = []
    assays = []
    if cn is not None:
        statuses.append(cn.status)
        evidence.append(cn.evidence)
        assays.append("NGS copy number")
    ish = case.ish
    if ish is not None:
        assays.append("ISH")
        if ish.status == "failed":
            statuses.append("failed")
            evidence.append("ISH failed")
        else:
            ratio, copies = ish.her2_cep17_ratio, ish.mean_her2_copies
            text = ", ".join(x for x in (f"HER2/CEP17 ratio {ratio:g}" if ratio is not None else "",
                                         f"mean HER2 copies/cell {copies:g}" if copies is not None else "") if x)
            if (ratio is not None and ratio >= ISH_RATIO_POSITIVE) or (copies is not None and copies >= ISH_COPIES_POSITIVE):
                statuses.append("positive")
                evidence.append(f"ISH: {text} (amplified: ratio >= {ISH_RATIO_POSITIVE:g} or >= "
                                f"{ISH_COPIES_POSITIVE:g} copies/cell, breast/gastric criteria used in trials)")
            elif copies is not None and copies >= ISH_COPIES_EQUIVOCAL:
                statuses.append("equivocal")
                evidence.append(f"ISH: {text} (equivocal: {ISH_COPIES_EQUIVOCAL:g}-{ISH_COPIES_POSITIVE:g} copies/cell)")
            else:
                statuses.append("negative")
                evidence.append(f"ISH: {text} (not amplified)")
    if not statuses:
        return Dimension("amplification", label, "not_tested",
                         "ERBB2 amplification: not tested.", (), "")
    status = next(s for s in ("positive", "equivocal", "negative", "failed") if s in statuses)
    text = {"positive": "ERBB2 amplification present (a different alteration from a mutation).",
            "equivocal": "ERBB2 amplification equivocal.",
            "negative": "No ERBB2 amplification.",
            "failed": "ERBB2 amplification testing failed."}[status]
    return Dimension("amplification", label, status, text, tuple(evidence), " + ".join(assays))


def _expression(case: Case) -> Dimension:
    label = "HER2 protein expression (IHC)"
    ihc = case.ihc
    if ihc is None:
        return Dimension("protein_expression", label, "not_tested", "HER2 IHC: not tested.")
    assay = f"IHC ({ihc.scoring_system}" + (f", {ihc.antibody}" if ihc.antibody else "") + ")"
    if ihc.status == "failed":
        return Dimension("protein_expression", label, "failed", "HER2 IHC failed.", (), assay)
    status, text = {
        "3+": ("positive", "HER2 protein overexpression: IHC 3+."),
        "2+": ("equivocal", "HER2 IHC 2+ (moderate expression; not overexpression by IHC alone)."),
        "1+": ("negative", "HER2 IHC 1+ (no overexpression)."),
        "0": ("negative", "HER2 IHC 0 (no expression)."),
    }[ihc.score]
    return Dimension("protein_expression", label, status, text,
                     (f"IHC {ihc.score} scored with {ihc.scoring_system}",), assay)
