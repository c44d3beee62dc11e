"""One curated trial checked against one case: does the patient fit, and can the trial take them now?

The verdict is ``match`` only when the alteration, setting, line, histology, brain-metastasis rule
and region fit AND the recruitment status was read from a registry record (``verified``) as
recruiting. Anything the curated list does not know (an unverified status, an unknown
brain-metastasis rule, no site seen in the region) makes it ``possible`` with the reason, never a
silent match; a closed trial is ``not_enrolling``; a misfit is ``no_match`` with every reason.
"""

from __future__ import annotations

from collections.abc import Callable

from ..knowledge.trials import AlterationClass, BrainMetastasesRule, TrialHistology, TrialLine, TrialSetting, TrialStatus
from ..result import VariantResult
from ..vocabulary import BrainMetastases, TrialVerdict
from .picture import Dimension, Her2Picture, Status
from .schema import Case



def _alteration(trial: dict, pic: Her2Picture, in_kinase_domain: Callable[[VariantResult], bool],
                reasons: list[str]) -> tuple[bool, bool]:
    """(fits, uncertain): a result that was not read or did not cover the alteration excludes nothing."""
    tests = {
        AlterationClass.any_activating_mutation: lambda: bool(pic.activating),
        AlterationClass.tkd_activating_mutation: lambda: any(in_kinase_domain(v) for v in pic.activating),
        AlterationClass.exon19_20_mutation: lambda: any(v.exon in trial["exons"] for v in pic.activating),
        AlterationClass.overexpression_ihc: lambda: pic.expression.status in (Status.positive, Status.equivocal),
        AlterationClass.amplification: lambda: pic.amplification.status == Status.positive,
    }
    classes = [AlterationClass(c) for c in trial["alteration_classes"]]
    matched = [c for c in classes if (tests[c]() if c in tests else any(
        v.classification and v.classification.alteration_class == c.value for v in pic.activating))]
    if matched:
        reasons.append("alteration fits: " + ", ".join(c.value.replace("_", " ") for c in matched))
        if AlterationClass.overexpression_ihc in matched:
            reasons.append("HER2 overexpression: check the trial's IHC cut-off against this case's score")
        return True, False
    wanted = ", ".join(c.value.replace("_", " ") for c in classes)
    exons = trial.get("exons") or []
    unread = dict.fromkeys(dim for dim in (_dimension(pic, c) for c in classes)
                           if dim.status in (Status.failed, Status.not_assessed))
    if unread:
        reasons.append(f"alteration not known: the trial enrols {wanted}; "
                       + "; ".join(f"{d.label} is {d.status.replace('_', ' ')} ({d.reason})" for d in unread))
        return True, True
    reasons.append(f"alteration does not fit: the trial enrols {wanted}"
                   + (f" (exons {', '.join(map(str, exons))})" if exons else ""))
    return False, False


def _dimension(pic: Her2Picture, c: AlterationClass) -> Dimension:
    """The picture dimension that answers for an alteration class."""
    return {AlterationClass.overexpression_ihc: pic.expression,
            AlterationClass.amplification: pic.amplification}.get(c, pic.mutation)


def _setting(trial: dict, case: Case, reasons: list[str]) -> tuple[bool, bool]:
    """(fits, uncertain) for advanced vs adjuvant."""
    clinical = case.clinical
    if TrialSetting(trial["setting"]) is TrialSetting.adjuvant:
        if clinical.advanced:
            reasons.append(f"adjuvant trial (after resection of early-stage disease); stage is {clinical.stage}")
            return False, False
        reasons.append(f"adjuvant trial: confirm complete resection and the trial's stage range (stage {clinical.stage})")
        return True, True
    if not clinical.advanced:
        reasons.append(f"enrols advanced (unresectable or metastatic) disease; stage is {clinical.stage}")
        return False, False
    return True, False


def _line(trial: dict, case: Case, reasons: list[str]) -> tuple[bool, bool]:
    clinical = case.clinical
    line = TrialLine(trial["line"])
    if TrialSetting(trial["setting"]) is TrialSetting.adjuvant:
        return True, False
    pretreated = clinical.pretreated
    if line is TrialLine.first_line and pretreated:
        reasons.append(f"first-line trial; the patient has had {clinical.treatment_text()}")
        return False, False
    if line is TrialLine.pretreated and pretreated is False:
        reasons.append("enrols pretreated patients; this patient is treatment-naive")
        return False, False
    if pretreated is None and line is not TrialLine.any:
        reasons.append("the case does not say whether there was prior systemic therapy: add clinical.prior_therapies")
        return True, True
    reasons.append(f"line fits ({line.value.replace('_', ' ')})")
    return True, False


def _brain(trial: dict, case: Case, reasons: list[str]) -> tuple[bool, bool]:
    bm = case.clinical.brain_metastases
    rule = BrainMetastasesRule(trial["brain_metastases_allowed"])
    if rule is BrainMetastasesRule.required:
        if bm is BrainMetastases.no:
            reasons.append("enrols only patients with brain metastases")
            return False, False
        if bm is BrainMetastases.unknown:
            reasons.append("enrols only patients with brain metastases: brain status not stated")
            return True, True
        reasons.append("brain metastases are what this trial studies (" + trial["brain_metastases"] + ")")
        return True, bm is BrainMetastases.yes
    if not bm.present:
        return True, False
    if rule is BrainMetastasesRule.excluded:
        reasons.append("brain metastases exclude")
        return False, False
    if rule is BrainMetastasesRule.stable_only:
        if bm is BrainMetastases.active:
            reasons.append("active brain metastases exclude (the trial allows treated, stable ones only)")
            return False, False
        if bm is BrainMetastases.treated_stable:
            reasons.append("treated, stable brain metastases are allowed")
            return True, False
        reasons.append("brain metastases allowed only if treated/stable: the case does not say which")
        return True, True
    if rule is BrainMetastasesRule.allowed:
        reasons.append("brain metastases allowed (" + trial["brain_metastases"] + ")")
        return True, False
    reasons.append("brain-metastasis rule not known: check the protocol")
    return True, True


def assess_trial(trial: dict, case: Case, pic: Her2Picture,
                 in_kinase_domain: Callable[[VariantResult], bool]) -> tuple[TrialVerdict, tuple[str, ...]]:
    """``trial`` is one validated entry of the trial list (plain dict, see knowledge/trials.py)."""
    reasons: list[str] = []
    fits, uncertain = _alteration(trial, pic, in_kinase_domain, reasons)
    for check in (_setting, _line):
        ok, unsure = check(trial, case, reasons)
        fits, uncertain = fits and ok, uncertain or unsure
    if TrialHistology(trial["histology"]) is TrialHistology.nonsquamous_nsclc and not case.clinical.histology.non_squamous:
        fits = False
        reasons.append("enrols non-squamous NSCLC only")
    ok, unsure = _brain(trial, case, reasons)
    fits, uncertain = fits and ok, uncertain or unsure
    regions = trial["regions"]
    region = case.clinical.region.value
    if region not in regions:
        uncertain = True
        reasons.append(f"no site seen in {region} (sites known: {', '.join(regions)}); check the registry")
    status = TrialStatus(trial["status"])
    as_of = trial["status_as_of"]
    if status.closed:
        reasons.append(f"status: {status.value.replace('_', ' ')} (as of {as_of}"
                       + ("" if trial["verified"] else "; not confirmed on a registry record") + ")")
        return (TrialVerdict.not_enrolling if fits else TrialVerdict.no_match), tuple(reasons)
    if not fits:
        return TrialVerdict.no_match, tuple(reasons)
    if status is TrialStatus.unknown:
        reasons.append("recruitment status not verified: check the registry")
        uncertain = True
    elif not trial["verified"]:
        reasons.append(f"status {status.value.replace('_', ' ')} not read from a registry record: check the registry")
        uncertain = True
    else:
        reasons.append(f"status: {status.value.replace('_', ' ')} (registry record of {as_of})")
    return (TrialVerdict.possible if uncertain else TrialVerdict.match), tuple(reasons)
