"""Next steps for one case: therapy options by region and line (each label's exact scope),
actionability side by side (AMP/ASCO/CAP, ESCAT, OncoKB-style), non-drug steps, and trials.

Every item names the rule that produced it and its citations; every exclusion says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..knowledge import load_knowledge
from ..knowledge.guidance import Guidance, TrialList
from ..result import VariantResult
from .picture import Her2Picture, Status
from .schema import Case


@dataclass(frozen=True)
class Option:
    """A therapy label checked against the case."""

    label_id: str
    drug: str
    region: str
    status: str                      # label status (accelerated_approval, approved, unknown ...)
    date: str
    verdict: str                     # on_label | not_on_label | label_not_verified | not_applicable
    reasons: tuple[str, ...]
    summary: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"label_id": self.label_id, "drug": self.drug, "region": self.region,
                "label_status": self.status, "date": self.date, "verdict": self.verdict,
                "reasons": list(self.reasons), "summary": self.summary,
                "citations": list(self.citations)}


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
    verdict: str                     # match | possible | no_match | not_enrolling
    reasons: tuple[str, ...]
    last_verified: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"nct": self.nct, "acronym": self.acronym, "phase": self.phase, "drug": self.drug,
                "status": self.status, "verdict": self.verdict, "reasons": list(self.reasons),
                "last_verified": self.last_verified, "citations": list(self.citations)}


@dataclass(frozen=True)
class NextSteps:
    options: tuple[Option, ...]
    other_regions: tuple[Option, ...]
    tiers: tuple[Tier, ...]
    steps: tuple[Step, ...]
    trials: tuple[TrialMatch, ...]
    notes: tuple[str, ...] = field(default=())


def _in_kinase_domain(v: VariantResult) -> bool:
    change = v.protein_change or ""
    digits = ""
    for ch in change[3:]:
        if ch.isdigit():
            digits += ch
        elif digits:
            break
    if not digits:
        return False
    domain = load_knowledge().domain_at(int(digits))
    return bool(domain and domain.id == "kinase")


def _exon_of(v: VariantResult) -> int | None:
    return v.exon


def _label_verdict(label: dict, case: Case, pic: Her2Picture) -> Option:
    reasons: list[str] = []
    clinical = case.clinical
    base = dict(label_id=label["id"], drug=label["drug"], region=label["region"],
                status=label["status"], date=str(label.get("date", "")), summary=label["summary"],
                citations=tuple(label["citations"]))
    if label["status"] == "unknown":
        return Option(verdict="label_not_verified", reasons=(
            f"her2scope has no verified {label['region']} label status for {label['drug']}: check the local label",),
            **base)
    ok = True
    alteration = label["alteration"]
    if alteration == "mutation":
        if pic.mutation.status != "positive":
            ok = False
            reasons.append(f"needs an activating HER2 mutation; mutation status is "
                           f"{pic.mutation.status.replace('_', ' ')}"
                           + (f" ({pic.mutation.reason})" if pic.mutation.reason else ""))
        elif label["variant_scope"] == "tkd_activating":
            tkd = [v for v in pic.activating if _in_kinase_domain(v)]
            outside = [v for v in pic.activating if not _in_kinase_domain(v)]
            if tkd:
                reasons.append("activating mutation in the tyrosine kinase domain: "
                               + ", ".join(v.protein_change for v in tkd))
            else:
                ok = False
                reasons.append("outside the label's scope: the label covers activating mutations in the "
                               "tyrosine kinase domain; " + ", ".join(
                                   f"{v.protein_change} is in the {v.domain or 'a non-kinase region'}"
                                   for v in outside))
        else:
            reasons.append("activating HER2 mutation: " + ", ".join(v.protein_change for v in pic.activating))
    elif alteration == "overexpression":
        if pic.expression.status != "positive":
            ok = False
            reasons.append(f"needs HER2 IHC 3+; protein expression is {pic.expression.status.replace('_', ' ')}"
                           + (" (an ERBB2 mutation or amplification is not IHC 3+)" if
                              pic.mutation.status == "positive" or pic.amplification.status == "positive" else ""))
        else:
            reasons.append("HER2 IHC 3+")
    else:
        ok = False
        reasons.append(f"alteration {alteration!r} is not evaluated")
    histology = label["histology"]
    if histology == "nonsquamous_nsclc" and not clinical.histology.non_squamous:
        ok = False
        reasons.append("the label covers non-squamous NSCLC; histology is squamous")
    line = label["line"]
    if line in ("after_prior_systemic", "after_platinum"):
        if clinical.prior_lines < 1:
            ok = False
            reasons.append("the label requires prior systemic therapy; this patient has had none (first line)")
        else:
            reasons.append(f"{clinical.prior_lines} prior line(s) of systemic therapy")
            if line == "after_platinum":
                reasons.append("the label requires prior platinum-based therapy: confirm the regimen")
    elif line == "any_line":
        reasons.append("no prior-therapy requirement")
    if not clinical.advanced:
        ok = False
        reasons.append(f"labels cover unresectable or metastatic disease; stage is {clinical.stage}")
    if ok and label["drug"].startswith("trastuzumab deruxtecan") and clinical.prior_her2_adc:
        reasons.append("note: a HER2-directed ADC was already given")
    return Option(verdict="on_label" if ok else "not_on_label", reasons=tuple(reasons), **base)


def _tiers(pic: Her2Picture, g: Guidance) -> list[Tier]:
    out: list[Tier] = []

    def add(framework: str, alteration: str, rule_id: str):
        r = g.rule(framework, rule_id)
        out.append(Tier(framework, alteration, str(r.get("tier") or r.get("level")), rule_id,
                        r["condition"], r.get("verified", True) is not False, tuple(r["citations"])))

    for v in pic.activating:
        tkd = _in_kinase_domain(v)
        alteration = f"ERBB2 {v.protein_change}"
        add("amp_asco_cap", alteration, "amp_activating_tkd_mutation" if tkd else "amp_activating_non_tkd_mutation")
        add("escat", alteration, "escat_erbb2_mutation_nsclc")
        add("oncokb_style", alteration, "oncokb_style_tkd_mutation_nsclc" if tkd else "oncokb_style_non_tkd_mutation_nsclc")
    for v in pic.variants:
        onc = v.classification.oncogenicity if v.classification else None
        if onc == "uncertain_significance":
            add("amp_asco_cap", f"ERBB2 {v.protein_change or v.hgvs_c}", "amp_uncertain_activation")
        elif onc in ("benign", "likely_benign"):
            add("amp_asco_cap", f"ERBB2 {v.protein_change or v.hgvs_c}", "amp_benign")
    if pic.expression.status == "positive":
        add("amp_asco_cap", "HER2 IHC 3+", "amp_ihc3_overexpression")
        add("oncokb_style", "HER2 IHC 3+", "oncokb_style_ihc3_nsclc")
    if pic.amplification.status == "positive" and not pic.activating and pic.expression.status != "positive":
        add("amp_asco_cap", "ERBB2 amplification", "amp_amplification_only")
        add("oncokb_style", "ERBB2 amplification", "oncokb_style_amplification_nsclc")
    return out


def _steps(case: Case, pic: Her2Picture, g: Guidance) -> list[Step]:
    clinical = case.clinical
    out = []

    def add(step_id: str, why: str):
        s = g.step(step_id)
        out.append(Step(step_id, s["text"], why, tuple(s["citations"])))

    if not pic.mutation.status.tested and clinical.advanced and clinical.histology.non_squamous:
        # not_tested, not_assessed (panel without ERBB2) or failed: ERBB2 is still unknown.
        why = {Status.not_assessed: "ERBB2 was not assessed: " + pic.mutation.reason,
               Status.failed: "the NGS result failed: " + pic.mutation.reason}.get(
            pic.mutation.status, "no usable NGS result")
        if case.ihc or case.ish:
            why += ": HER2 IHC/ISH alone cannot show an ERBB2 mutation"
        add("broad_ngs_before_first_line", why)
    if pic.mutation.status == "not_detected":
        add("reflex_tissue_after_negative_plasma", "plasma NGS did not detect an ERBB2 mutation")
    if pic.mutation.status == "positive" and clinical.advanced:
        why = "HER2-mutant advanced NSCLC"
        if clinical.brain_metastases == "yes":
            why += "; known brain metastases: follow with brain MRI"
        elif clinical.brain_mri_done is False:
            why += "; no brain MRI documented yet"
        add("brain_mri", why)
    if pic.expression.status != "not_tested" or pic.amplification.status != "not_tested":
        add("confirm_ihc_ish", "HER2 protein or copy-number results are present: keep them apart from "
                               "the mutation result")
    if any(d.status == "positive" for d in pic.dimensions) and clinical.advanced:
        add("consider_trials", "a HER2 alteration is present in advanced disease")
    return out


_CLASS_TEST = {
    "any_activating_mutation": lambda pic: bool(pic.activating),
    "tkd_activating_mutation": lambda pic: any(_in_kinase_domain(v) for v in pic.activating),
    "overexpression_ihc": lambda pic: pic.expression.status in ("positive", "equivocal"),
    "amplification": lambda pic: pic.amplification.status == "positive",
}


def _trial_verdict(trial: dict, case: Case, pic: Her2Picture) -> TrialMatch:
    clinical = case.clinical
    reasons = []
    fits = True
    classes = trial.get("alteration_classes") or []
    exons = trial.get("exons")
    matched_class = []
    for cls in classes:
        test = _CLASS_TEST.get(cls)
        if test is not None:
            if test(pic):
                matched_class.append(cls)
        elif cls.startswith("exon") and exons:
            if any(v.exon in exons for v in pic.activating):
                matched_class.append(cls)
        elif any(v.classification and v.classification.alteration_class == cls for v in pic.activating):
            matched_class.append(cls)
    if matched_class:
        reasons.append("alteration fits: " + ", ".join(c.replace("_", " ") for c in matched_class))
    else:
        fits = False
        wanted = ", ".join(c.replace("_", " ") for c in classes) + (f" (exons {exons})" if exons else "")
        reasons.append(f"alteration does not fit: the trial enrols {wanted}")
    line = trial.get("line")
    if line == "first_line" and clinical.prior_lines > 0:
        fits = False
        reasons.append(f"first-line trial; the patient has had {clinical.prior_lines} prior line(s)")
    elif line == "pretreated" and clinical.prior_lines == 0:
        fits = False
        reasons.append("enrols pretreated patients; this patient is treatment-naive")
    elif line in ("first_line", "pretreated", "any"):
        reasons.append(f"line fits ({line.replace('_', ' ')})")
    if trial.get("histology") == "nonsquamous_nsclc" and not clinical.histology.non_squamous:
        fits = False
        reasons.append("enrols non-squamous NSCLC only")
    bm = trial.get("brain_metastases_allowed", "unknown")
    possible = False
    if clinical.brain_metastases == "yes":
        if bm == "no":
            fits = False
            reasons.append("brain metastases exclude")
        elif bm == "stable_only":
            possible = True
            reasons.append("brain metastases allowed only if treated/stable: check")
        elif bm == "unknown":
            possible = True
            reasons.append("brain-metastasis rule not known: check the protocol")
    regions = trial.get("regions") or ["unknown"]
    region = clinical.region.value
    if region not in regions:
        possible = True
        reasons.append(f"no site seen in {region} (sites known: {', '.join(regions)}); check the registry")
    status = trial.get("status", "unknown")
    if status in ("completed", "terminated", "active_not_recruiting"):
        verdict = "not_enrolling" if fits else "no_match"
        reasons.append(f"status: {status.replace('_', ' ')} (as of {trial.get('status_as_of', 'unknown')})")
    elif not fits:
        verdict = "no_match"
    else:
        verdict = "possible" if possible or status == "unknown" else "match"
        if status == "unknown":
            reasons.append("recruitment status not verified: check the registry")
    return TrialMatch(trial["nct"], trial.get("acronym", ""), str(trial.get("phase", "")),
                      trial.get("drug", ""), status, verdict, tuple(reasons),
                      str(trial.get("last_verified", "")), tuple(trial["citations"]))


def next_steps(case: Case, pic: Her2Picture, guidance: Guidance, trials: TrialList) -> NextSteps:
    region = case.clinical.region.value
    options = [_label_verdict(label, case, pic) for label in guidance.labels if label["region"] == region]
    others = [_label_verdict(label, case, pic) for label in guidance.labels if label["region"] != region]
    order = {"on_label": 0, "label_not_verified": 1, "not_on_label": 2}
    options.sort(key=lambda o: order.get(o.verdict, 3))
    matches = [_trial_verdict(t, case, pic) for t in trials.trials]
    rank = {"match": 0, "possible": 1, "not_enrolling": 2, "no_match": 3}
    matches.sort(key=lambda m: rank[m.verdict])
    return NextSteps(tuple(options), tuple(others), tuple(_tiers(pic, guidance)),
                     tuple(_steps(case, pic, guidance)), tuple(matches))
