"""Everything a report shows, assembled once from library calls; renderers only format it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..case.drivers import DriverReport, find_drivers
from ..case.next_steps import NextSteps, next_steps
from ..case.picture import Her2Picture, build_picture
from ..case.schema import Case, load_case
from ..knowledge import load_knowledge
from ..knowledge.guidance import load_guidance, load_trials
from ..pipeline import Options
from ..vocabulary import Status, Verdict

REPORT_SCHEMA = "her2scope-report/1"
STEP_LABELS = {"brain_mri": "brain MRI now and during follow-up",
               "reflex_tissue_after_negative_plasma": "tissue NGS (plasma did not detect a mutation)",
               "confirm_ihc_ish": "keep IHC/ISH results apart from the mutation result",
               "consider_trials": "consider a clinical trial",
               "broad_ngs_before_first_line": "broad NGS before first-line therapy"}

LIMITATIONS = (
    "Decision support only: a molecular tumour board and the treating physician decide.",
    "Label facts are summaries checked on the date shown; read the current local label before prescribing.",
    "ERBB2 is interpreted on NM_004448.4 / NP_004439.2 only; variants elsewhere in the genome are not interpreted "
    "except the coarse driver rules for EGFR, KRAS, BRAF, MET exon 14 and stated fusions.",
    "A negative plasma result does not exclude a mutation; a tissue result with less than 20% tumour cells may miss one.",
    "HER2 IHC and ISH thresholds are those used for breast/gastric testing and in the NSCLC trials; "
    "there are no lung-specific validated criteria.",
    "Copy-number thresholds for NGS are assay choices; a laboratory call given in the case always wins.",
)


@dataclass(frozen=True)
class Report:
    case: Case
    picture: Her2Picture
    steps: NextSteps
    drivers: DriverReport
    knowledge: dict
    generated: str
    case_path: str

    def headline(self) -> str:
        """The plain-language summary at the top of every rendering."""
        pic, c = self.picture, self.case.clinical
        parts = [pic.mutation.summary, pic.amplification.summary, pic.expression.summary]
        on_label = [o for o in self.steps.options if o.verdict is Verdict.on_label]
        pending = [o for o in self.steps.options if o.verdict in (Verdict.needs_tissue_test, Verdict.needs_information)]
        if on_label:
            drugs = ", ".join(dict.fromkeys(o.drug for o in on_label))
            parts.append(f"On-label in {c.region.value} for this line ({c.treatment_text()}): {drugs}.")
        if pending:
            # Not "on label once ...": the missing result may as well exclude the option.
            parts.append("Not decided yet, a result or fact is missing (see the reasons below): " + "; ".join(
                f"{o.drug} ({o.verdict.replace('_', ' ')})" for o in pending) + ".")
        if not on_label and not pending and any(d.status is Status.positive for d in pic.dimensions):
            parts.append(f"No on-label HER2-directed option in {c.region.value} for this case as it stands "
                         "(see the reasons below).")
        if self.drivers.findings:
            parts.append("Other driver(s) found: " + ", ".join(f.detail for f in self.drivers.findings)
                         + " - co-occurrence with a HER2 alteration is rare and changes next steps.")
        if self.drivers.not_interpreted:
            parts.append("Stated in the result, not interpreted by her2scope: "
                         + "; ".join(repr(s.text) for s in self.drivers.not_interpreted) + ".")
        steps = [STEP_LABELS.get(s.step_id, s.step_id.replace("_", " ")) for s in self.steps.steps]
        if steps:
            parts.append("Next steps: " + "; ".join(steps) + ".")
        return " ".join(parts)

    def as_dict(self) -> dict:
        pic = self.picture
        return {
            "schema": REPORT_SCHEMA,
            "generated": self.generated,
            "her2scope_version": __version__,
            "knowledge": self.knowledge,
            "case_id": self.case.case_id,
            "clinical": self.case.clinical.model_dump(mode="json"),
            "summary": self.headline(),
            "her2": {d.name: d.as_dict() for d in pic.dimensions},
            "ngs_tests": [t.as_dict() for t in pic.tests],
            "variants": [v.as_dict() for v in pic.variants],
            "activating_variants": [v.protein_change for v in pic.activating],
            "copy_number": None if pic.copy_number is None else {
                "status": pic.copy_number.status, "value": pic.copy_number.value,
                "evidence": pic.copy_number.evidence},
            "other_drivers": self.drivers.as_dict(),
            "therapy_options": [o.as_dict() for o in self.steps.options],
            "therapy_options_other_regions": [o.as_dict() for o in self.steps.other_regions],
            "safety_checks": [k.as_dict() for k in self.steps.checks],
            "not_options": [s.as_dict() for s in self.steps.not_options],
            "knowledge_freshness": self.steps.freshness.as_dict() if self.steps.freshness else None,
            "actionability": [t.as_dict() for t in self.steps.tiers],
            "next_steps": [s.as_dict() for s in self.steps.steps],
            "trials": [t.as_dict() for t in self.steps.trials],
            "errors": [e.as_dict() for e in pic.errors],
            "citations": self.citations(),
            "limitations": list(LIMITATIONS),
        }

    def citations(self) -> dict[str, dict]:
        """Every citation key used anywhere in the report, resolved to its source entry."""
        kb, g, t = load_knowledge(self.knowledge.get("variants_file")), load_guidance(), load_trials()
        pool = {**kb.sources, **g.sources, **t.sources}
        used: list[str] = []
        for v in self.picture.variants:
            if v.classification:
                used += [c for e in v.classification.evidence for c in e.citations]
        for group in (self.steps.options, self.steps.tiers, self.steps.steps, self.steps.trials,
                      self.steps.checks, self.steps.not_options):
            for item in group:
                used += list(item.citations)
        for o in self.steps.options:
            for c in o.considerations:
                used += list(c.citations)
        return {key: pool[key] for key in dict.fromkeys(used) if key in pool}


def make_report(case_path: str | Path, options: Options = Options(), *,
                today: dt.date | None = None) -> Report:
    case, base = load_case(case_path)
    return report_for(case, base, options, today=today, case_path=str(case_path))


def report_for(case: Case, base: Path, options: Options = Options(), *, today: dt.date | None = None,
               case_path: str = "") -> Report:
    picture = build_picture(case, base, options)
    guidance, trials = load_guidance(), load_trials()
    kb = load_knowledge(options.knowledge)
    steps = next_steps(case, picture, guidance, trials, today=today, knowledge=kb)
    files = [base / f for t in case.ngs for f in t.files]
    stated = [a for t in case.ngs for a in t.other_alterations]
    drivers = find_drivers(files, stated)
    knowledge = {"variants": kb.version, "variants_released": kb.released,
                 "next_steps": guidance.version, "next_steps_released": guidance.released,
                 "trials": trials.version, "trials_released": trials.released}
    if options.knowledge:           # a variant knowledge base other than the bundled default
        knowledge["variants_file"] = options.knowledge
    return Report(case, picture, steps, drivers, knowledge,
                  (today or dt.date.today()).isoformat(), case_path)
