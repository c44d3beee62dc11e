"""Next steps for one case: therapy options by region and line (each label's exact scope),
actionability side by side (AMP/ASCO/CAP, ESCAT, OncoKB-style), non-drug steps, and trials.

Every item names the rule that produced it and its citations; every exclusion says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from ..knowledge import load_knowledge
from ..knowledge.loader import KnowledgeBase
from ..knowledge.guidance import STALE_AFTER_DAYS, EvidenceWhen, Guidance, Label
from ..knowledge.trials import TrialList
from ..result import VariantResult
from ..vocabulary import (Alteration, BrainMetastases, LabelHistology, LabelStatus, Line, Oncogenicity, PriorTherapy,
                          Specimen, TrialVerdict, VariantScope, Verdict)
from .picture import Her2Picture, Status
from .schema import Case
from .trials import assess_trial


@dataclass(frozen=True)
class Consideration:
    """Evidence that decides between options (sequencing, intracranial), shown on an option."""

    evidence_id: str
    topic: str                       # sequencing | intracranial
    text: str
    figures: tuple[str, ...]
    verified: bool
    secondary: bool                  # its first (deciding) citation is a secondary source
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"evidence": self.evidence_id, "topic": self.topic, "text": self.text,
                "figures": list(self.figures), "verified": self.verified, "secondary_source": self.secondary,
                "citations": list(self.citations)}


@dataclass(frozen=True)
class Option:
    """A current therapy label checked against the case."""

    label_id: str
    drug: str
    region: str
    status: str                      # label status (accelerated_approval, approved, unknown ...)
    date: str
    verdict: Verdict                 # on_label | needs_tissue_test | needs_information | label_not_verified | not_on_label
    reasons: tuple[str, ...]
    summary: str
    citations: tuple[str, ...]
    test: str = ""                   # the test the label asks for (companion diagnostic, specimen)
    checked: str = ""                # when the label fact was last checked
    secondary: bool = False          # the label's first (deciding) citation is a secondary source
    considerations: tuple[Consideration, ...] = ()
    guidelines: tuple[str, ...] = ()  # NCCN / ESMO placement (or "not verified")

    def as_dict(self) -> dict:
        return {"label_id": self.label_id, "drug": self.drug, "region": self.region,
                "label_status": self.status, "date": self.date, "verdict": str(self.verdict),
                "reasons": list(self.reasons), "summary": self.summary, "test": self.test,
                "checked": self.checked, "secondary_source": self.secondary,
                "considerations": [c.as_dict() for c in self.considerations],
                "guidelines": list(self.guidelines), "citations": list(self.citations)}


@dataclass(frozen=True)
class Check:
    """A label warning that changes the plan, as a check to do (baseline or monitoring)."""

    check_id: str
    drug: str
    risk: str
    timing: str
    check: str
    boxed_warning: bool
    label_region: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"check": self.check_id, "drug": self.drug, "risk": self.risk, "timing": self.timing,
                "what": self.check, "boxed_warning": self.boxed_warning, "label_region": self.label_region,
                "citations": list(self.citations)}


@dataclass(frozen=True)
class Freshness:
    """When the knowledge a report used was checked, and which facts are older than the limit."""

    oldest: str
    newest: str
    limit_days: int
    stale: tuple[str, ...]           # "label tdxd_us_mutation (checked 2026-01-02)"

    def as_dict(self) -> dict:
        return {"checked_oldest": self.oldest, "checked_newest": self.newest,
                "stale_after_days": self.limit_days, "stale": list(self.stale)}


@dataclass(frozen=True)
class Tier:
    framework: str                   # amp_asco_cap | escat | oncokb_style
    alteration: str
    tier: str
    rule_id: str
    condition: str
    verified: bool
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"framework": self.framework, "alteration": self.alteration, "tier": self.tier,
                "rule": self.rule_id, "condition": self.condition, "verified": self.verified,
                "citations": list(self.citations)}


@dataclass(frozen=True)
class Step:
    step_id: str
    text: str
    why: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"step": self.step_id, "text": self.text, "why": self.why,
                "citations": list(self.citations)}


@dataclass(frozen=True)
class TrialMatch:
    nct: str
    acronym: str
    phase: str
    drug: str
    status: str
    verdict: TrialVerdict            # match | possible | no_match | not_enrolling
    reasons: tuple[str, ...]
    last_verified: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"nct": self.nct, "acronym": self.acronym, "phase": self.phase, "drug": self.drug,
                "status": self.status, "verdict": str(self.verdict), "reasons": list(self.reasons),
                "last_verified": self.last_verified, "citations": list(self.citations)}


@dataclass(frozen=True)
class NextSteps:
    options: tuple[Option, ...]
    other_regions: tuple[Option, ...]
    tiers: tuple[Tier, ...]
    steps: tuple[Step, ...]
    trials: tuple[TrialMatch, ...]
    notes: tuple[str, ...] = field(default=())
    checks: tuple[Check, ...] = ()               # label warnings as checks, for the drugs that are options
    not_options: tuple[Step, ...] = ()            # drugs that are not therapy options, with why
    freshness: Freshness | None = None


def _in_kinase_domain(v: VariantResult, kb: KnowledgeBase) -> bool:
    """Whether the variant's first residue is in the kinase domain of ``kb``, the knowledge base
    the case was annotated with (a custom one may place the domains differently)."""
    change = v.protein_change or ""
    digits = ""
    for ch in change[3:]:
        if ch.isdigit():
            digits += ch
        elif digits:
            break
    if not digits:
        return False
    domain = kb.domain_at(int(digits))
    return bool(domain and domain.id == "kinase")


def _exon_of(v: VariantResult) -> int | None:
    return v.exon


_VERDICT_ORDER = {Verdict.on_label: 0, Verdict.needs_tissue_test: 1, Verdict.needs_information: 2,
                  Verdict.label_not_verified: 3, Verdict.not_on_label: 4}
_TRIAL_ORDER = {v: i for i, v in enumerate(TrialVerdict)}     # the enum lists them in report order


def _positive_specimens(case: Case, pic: Her2Picture) -> set[Specimen]:
    """Specimen types of the NGS tests whose own verdict is positive (``pic.tests`` is in case order)."""
    return {Specimen(t.sample_type.value) for t, v in zip(case.ngs, pic.tests) if v.status == Status.positive}


# A result that was not read, failed or did not cover ERBB2: it excludes no label.
_NO_ANSWER = (Status.failed, Status.not_assessed)


def _mutation_scope(label: Label, pic: Her2Picture, tkd_of: Callable[[VariantResult], bool],
                    reasons: list[str]) -> Verdict | None:
    """None when the label's alteration scope is met; else the verdict it forces."""
    if pic.mutation.status in _NO_ANSWER:
        # an NGS result that was not read or did not cover ERBB2 excludes nothing
        reasons.append(f"needs an activating HER2 mutation; the NGS result gives no answer (mutation status "
                       f"{pic.mutation.status.replace('_', ' ')}: {pic.mutation.reason}): a readable NGS "
                       "result covering ERBB2 is needed before this label can be excluded")
        return Verdict.needs_information
    if pic.mutation.status == Status.not_detected:
        reasons.append("needs an activating HER2 mutation; none was detected in plasma, which is not a negative "
                       "(low tumour DNA shedding can hide it): tissue NGS is needed before this label can be excluded")
        return Verdict.needs_tissue_test
    if pic.mutation.status != Status.positive:
        reasons.append(f"needs an activating HER2 mutation; mutation status is {pic.mutation.status.replace('_', ' ')}"
                       + (f" ({pic.mutation.reason})" if pic.mutation.reason else ""))
        return Verdict.not_on_label
    tkd = [v for v in pic.activating if tkd_of(v)]
    outside = [v for v in pic.activating if not tkd_of(v)]
    where = ", ".join(f"{v.protein_change} is in the {v.domain or 'a non-kinase region'}" for v in outside)
    if label.variant_scope is VariantScope.tkd_activating:
        if tkd:
            # An activating variant has a protein change.
            reasons.append("activating mutation in the tyrosine kinase domain: "
                           + ", ".join(v.protein_change for v in tkd))  # type: ignore[misc]
            return None
        reasons.append("outside the label's scope: the label covers activating mutations in the tyrosine kinase "
                       "domain; " + where)
        return Verdict.not_on_label
    if tkd or label.outside_tkd_verified:
        reasons.append("activating HER2 mutation: "   # an activating variant has a protein change
                       + ", ".join(v.protein_change for v in pic.activating))  # type: ignore[misc]
        return None
    reasons.append("the label wording seen says 'activating HER2 mutations' without a kinase-domain limit, but the "
                   f"label text itself was not seen; {where}: check the local label")
    return Verdict.label_not_verified


def _protein_scope(label: Label, pic: Her2Picture, reasons: list[str]) -> Verdict | None:
    if label.alteration is Alteration.overexpression:
        if pic.expression.status == Status.positive:
            reasons.append("HER2 IHC 3+")
            return None
        if pic.expression.status in _NO_ANSWER:
            reasons.append(f"needs HER2 IHC 3+; the IHC result gives no answer ({pic.expression.reason}): a readable "
                           "IHC is needed before this label can be excluded")
            return Verdict.needs_information
        reasons.append(f"needs HER2 IHC 3+; protein expression is {pic.expression.status.replace('_', ' ')}"
                       + (" (an ERBB2 mutation or amplification is not IHC 3+)" if
                          pic.mutation.status == Status.positive or pic.amplification.status == Status.positive else ""))
        return Verdict.not_on_label
    # "HER2-positive" whose definition was not verified: IHC 3+ or amplification may qualify, never claimed.
    found = [what for what, dim in (("IHC 3+", pic.expression), ("ERBB2 amplification", pic.amplification))
             if dim.status == Status.positive]
    if found:
        reasons.append(f"{' and '.join(found)}: the label says 'HER2-positive' but how it defines it was not "
                       "verified: check the local label")
        return Verdict.label_not_verified
    unread = [dim for dim in (pic.expression, pic.amplification) if dim.status in _NO_ANSWER]
    if unread:
        reasons.append("needs a HER2-positive tumour (protein overexpression or gene amplification); "
                       + "; ".join(f"{d.label} gives no answer ({d.reason})" for d in unread)
                       + ": this label cannot be excluded yet")
        return Verdict.needs_information
    reasons.append("needs a HER2-positive tumour (protein overexpression or gene amplification); "
                   f"IHC is {pic.expression.status.replace('_', ' ')}, amplification "
                   f"{pic.amplification.status.replace('_', ' ')}")
    return Verdict.not_on_label


def _line(label: Label, case: Case, reasons: list[str]) -> Verdict | None:
    c = case.clinical
    if label.line is Line.any_line:
        reasons.append("no prior-therapy requirement")
        return None
    if c.pretreated is False:
        reasons.append("the label requires prior systemic therapy; this patient has had none (first line)")
        return Verdict.not_on_label
    if c.pretreated is None:
        reasons.append("the label requires prior systemic therapy; the case does not say whether there was any: "
                       "add clinical.prior_therapies (or prior_lines)")
        return Verdict.needs_information
    reasons.append(c.treatment_text())
    if label.line is Line.after_platinum:
        had = c.had(PriorTherapy.platinum_chemotherapy)
        if had is None:
            reasons.append("the label requires prior platinum-based chemotherapy and a line count cannot show it: "
                           "add clinical.prior_therapies, e.g. [platinum_chemotherapy, immunotherapy]")
            return Verdict.needs_information
        if not had:
            reasons.append("the label requires prior platinum-based chemotherapy; none is listed in prior_therapies")
            return Verdict.not_on_label
        reasons.append("prior platinum-based chemotherapy given, as the label requires")
    elif label.line is Line.after_chemotherapy:
        chemo = [c.had(t) for t in (PriorTherapy.platinum_chemotherapy, PriorTherapy.other_chemotherapy)]
        if True in chemo:
            reasons.append("prior chemotherapy given, as the label requires")
        elif None in chemo:
            reasons.append("the label says 'after chemotherapy': confirm that a prior line included chemotherapy")
        else:
            reasons.append("the label says 'after chemotherapy'; prior_therapies lists no chemotherapy: whether "
                           "immunotherapy or targeted therapy alone qualifies was not verified")
            return Verdict.needs_information
    return None


def _label_verdict(label: Label, case: Case, pic: Her2Picture, guidance: Guidance,
                   tkd_of: Callable[[VariantResult], bool]) -> Option:
    reasons: list[str] = []
    clinical = case.clinical
    sources = [guidance.source(k) for k in label.citations]
    base: dict[str, Any] = dict(
                label_id=label.id, drug=label.drug, region=label.region.value, status=label.status.value,
                date=label.date, summary=label.summary, citations=label.citations, test=label.test.text(),
                checked=label.checked.isoformat(), secondary=sources[0].secondary,
                considerations=_considerations(label.drug, case, guidance),
                guidelines=_guidelines(label.drug, guidance))
    if label.status is LabelStatus.unknown:
        return Option(verdict=Verdict.label_not_verified, reasons=(
            f"her2scope has no verified {label.region.value} label status for {label.drug}: check the local label",),
            **base)
    forced: list[Verdict | None] = []
    if label.alteration is Alteration.mutation:
        forced.append(_mutation_scope(label, pic, tkd_of, reasons))
    else:
        forced.append(_protein_scope(label, pic, reasons))
    if label.histology is LabelHistology.nonsquamous_nsclc and not clinical.histology.non_squamous:
        reasons.append("the label covers non-squamous NSCLC; histology is squamous")
        forced.append(Verdict.not_on_label)
    forced.append(_line(label, case, reasons))
    if not clinical.advanced:
        reasons.append(f"labels cover unresectable or metastatic disease; stage is {clinical.stage}")
        forced.append(Verdict.not_on_label)
    if (label.alteration is Alteration.mutation and label.test.specimens == (Specimen.tissue,)
            and pic.mutation.status == Status.positive and _positive_specimens(case, pic) == {Specimen.plasma}):
        reasons.append("the mutation was found in plasma only and this label's test is tissue-only ("
                       + label.test.text() + "): confirm the mutation in tumour tissue with the companion "
                       "diagnostic before prescribing")
        forced.append(Verdict.needs_tissue_test)
    if label.test.specimens and label.alteration is Alteration.mutation:
        reasons.append("test the label asks for: " + label.test.text())
    if sources[0].secondary:
        reasons.append("this label fact rests on secondary sources only (news or summaries): read the local label")
    verdicts = [v for v in forced if v is not None]
    verdict = max(verdicts, key=lambda v: _VERDICT_ORDER[v]) if verdicts else Verdict.on_label
    if verdict is Verdict.not_on_label:
        base["considerations"] = ()          # decision evidence is for options, not for excluded labels
    return Option(verdict=verdict, reasons=tuple(reasons), **base)


def _considerations(drug: str, case: Case, guidance: Guidance) -> tuple[Consideration, ...]:
    c = case.clinical
    holds = {EvidenceWhen.prior_her2_adc: c.had(PriorTherapy.her2_adc) is True,
             EvidenceWhen.prior_her2_tki: c.had(PriorTherapy.her2_tki) is True,
             EvidenceWhen.brain_metastases: c.brain_metastases.present}
    out = []
    for e in guidance.model.decision_evidence:
        if e.drug == drug and holds[e.when]:
            figures = tuple(f"{f.population}" + (f" (n={f.n})" if f.n else "") + f": {f.result}" for f in e.figures)
            cites = [guidance.source(k) for k in e.citations]
            out.append(Consideration(e.id, e.topic.value, e.text.strip(), figures, e.verified,
                                     bool(cites) and cites[0].secondary, e.citations))
    return tuple(out)


def _guidelines(drug: str, guidance: Guidance) -> tuple[str, ...]:
    return tuple(f"{g.body.value}: {g.placement}" for g in guidance.model.guideline_placement if g.drug == drug)


def _checks(options: list[Option], guidance: Guidance) -> tuple[Check, ...]:
    """The label warnings of every drug that is (or may become) an option for this case."""
    drugs = {o.drug for o in options if o.verdict in (Verdict.on_label, Verdict.needs_tissue_test,
                                                       Verdict.needs_information)}
    return tuple(Check(k.id, k.drug, k.risk, k.timing.value, k.check.strip(), k.boxed_warning, k.region.value,
                       k.citations) for k in guidance.model.safety_checks if k.drug in drugs)


def _freshness(options: list[Option], checks: tuple[Check, ...], guidance: Guidance, today: dt.date) -> Freshness:
    model = guidance.model
    used: list[tuple[str, dt.date]] = []
    labels = {label.id: label for label in model.therapy_labels}
    for o in options:
        used.append((f"label {o.label_id}", labels[o.label_id].checked))
        for c in o.considerations:
            used.append((f"evidence {c.evidence_id}", next(e.checked for e in model.decision_evidence
                                                           if e.id == c.evidence_id)))
    for k in checks:
        used.append((f"safety check {k.check_id}", next(s.checked for s in model.safety_checks if s.id == k.check_id)))
    cited = {key for o in options for key in o.citations} | {key for k in checks for key in k.citations}
    used += [(f"source {key}", model.sources[key].checked) for key in sorted(cited)]
    if not used:
        return Freshness("", "", STALE_AFTER_DAYS, ())
    dates = [d for _, d in used]
    stale = tuple(f"{what} (checked {d.isoformat()})" for what, d in used
                  if (today - d).days > STALE_AFTER_DAYS)
    return Freshness(min(dates).isoformat(), max(dates).isoformat(), STALE_AFTER_DAYS, stale)


def _tiers(pic: Her2Picture, g: Guidance, tkd_of: Callable[[VariantResult], bool]) -> list[Tier]:
    out: list[Tier] = []

    def add(framework: str, alteration: str, rule_id: str):
        r = g.rule(framework, rule_id)
        out.append(Tier(framework, alteration, str(r.tier or r.level), rule_id, r.condition, r.verified,
                        r.citations))

    for v in pic.activating:
        tkd = tkd_of(v)
        alteration = f"ERBB2 {v.protein_change}"
        add("amp_asco_cap", alteration, "amp_activating_tkd_mutation" if tkd else "amp_activating_non_tkd_mutation")
        add("escat", alteration, "escat_erbb2_mutation_nsclc")
        add("oncokb_style", alteration, "oncokb_style_tkd_mutation_nsclc" if tkd else "oncokb_style_non_tkd_mutation_nsclc")
    for v in pic.variants:
        onc = v.classification.oncogenicity if v.classification else None
        if onc == Oncogenicity.uncertain_significance:
            add("amp_asco_cap", f"ERBB2 {v.protein_change or v.hgvs_c}", "amp_uncertain_activation")
        elif onc and Oncogenicity(onc).benign_side:
            add("amp_asco_cap", f"ERBB2 {v.protein_change or v.hgvs_c}", "amp_benign")
    if pic.expression.status is Status.positive:
        add("amp_asco_cap", "HER2 IHC 3+", "amp_ihc3_overexpression")
        add("oncokb_style", "HER2 IHC 3+", "oncokb_style_ihc3_nsclc")
    if pic.amplification.status is Status.positive and not pic.activating and pic.expression.status is not Status.positive:
        add("amp_asco_cap", "ERBB2 amplification", "amp_amplification_only")
        add("oncokb_style", "ERBB2 amplification", "oncokb_style_amplification_nsclc")
    return out


def _steps(case: Case, pic: Her2Picture, g: Guidance) -> list[Step]:
    clinical = case.clinical
    out = []

    def add(step_id: str, why: str):
        s = g.step(step_id)
        out.append(Step(step_id, s.text.strip(), why, s.citations))

    if not pic.mutation.status.tested and clinical.advanced and clinical.histology.non_squamous:
        # not_tested, not_assessed (panel without ERBB2) or failed: ERBB2 is still unknown.
        why = {Status.not_assessed: "ERBB2 was not assessed: " + pic.mutation.reason,
               Status.failed: "the NGS result failed: " + pic.mutation.reason}.get(
            pic.mutation.status, "no usable NGS result")
        if case.ihc or case.ish:
            why += ": HER2 IHC/ISH alone cannot show an ERBB2 mutation"
        add("broad_ngs_before_first_line", why)
    if pic.mutation.status is Status.not_detected:
        add("reflex_tissue_after_negative_plasma", "plasma NGS did not detect an ERBB2 mutation")
    if pic.mutation.status is Status.positive and clinical.advanced:
        why = "HER2-mutant advanced NSCLC"
        if clinical.brain_metastases.present:
            why += (f"; known brain metastases ({_BRAIN_TEXT[clinical.brain_metastases]}): follow with brain MRI")
        elif clinical.brain_mri_done is False:
            why += "; no brain MRI documented yet"
        add("brain_mri", why)
    if pic.expression.status is not Status.not_tested or pic.amplification.status is not Status.not_tested:
        add("confirm_ihc_ish", "HER2 protein or copy-number results are present: keep them apart from "
                               "the mutation result")
    if any(d.status is Status.positive for d in pic.dimensions) and clinical.advanced:
        add("consider_trials", "a HER2 alteration is present in advanced disease")
    return out


_BRAIN_TEXT = {BrainMetastases.active: "active", BrainMetastases.treated_stable: "treated and stable",
               BrainMetastases.yes: "activity not stated"}

def _trial_verdict(trial: dict, case: Case, pic: Her2Picture, tkd_of: Callable[[VariantResult], bool]) -> TrialMatch:
    # The trial rules live in case/trials.py (issue 10, trials); only the result type is built here.
    verdict, reasons = assess_trial(trial, case, pic, tkd_of)
    return TrialMatch(trial.get("nct") or trial["id"], trial.get("acronym", ""), str(trial.get("phase", "")),
                      trial.get("drug", ""), trial["status"], verdict, reasons,
                      str(trial.get("checked", "")), tuple(trial["citations"]))


def next_steps(case: Case, pic: Her2Picture, guidance: Guidance, trials: TrialList,
               today: dt.date | None = None, knowledge: KnowledgeBase | None = None) -> NextSteps:
    """Current labels only: a superseded label is history (``knowledge diff``), never a verdict.
    ``knowledge``: the variant knowledge base the picture was built with (default: the bundled one)."""
    kb = knowledge or load_knowledge()

    def tkd_of(v: VariantResult) -> bool:
        return _in_kinase_domain(v, kb)

    region = case.clinical.region
    labels = guidance.current_labels
    options = [_label_verdict(label, case, pic, guidance, tkd_of) for label in labels if label.region == region]
    others = [_label_verdict(label, case, pic, guidance, tkd_of) for label in labels if label.region != region]
    options.sort(key=lambda o: _VERDICT_ORDER[o.verdict])
    matches = [_trial_verdict(t, case, pic, tkd_of) for t in trials.trials]
    matches.sort(key=lambda m: _TRIAL_ORDER[m.verdict])
    checks = _checks(options, guidance)
    not_options = tuple(Step(n.id, n.reason.strip(), f"{n.drug}: not a therapy option ({n.status.value.replace('_', ' ')}"
                             f", {n.region.value} {n.date})", n.citations)
                        for n in guidance.model.not_options if pic.mutation.status == Status.positive)
    return NextSteps(tuple(options), tuple(others), tuple(_tiers(pic, guidance, tkd_of)),
                     tuple(_steps(case, pic, guidance)), tuple(matches), checks=checks, not_options=not_options,
                     freshness=_freshness(options, checks, guidance, today or dt.date.today()))
