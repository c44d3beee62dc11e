"""Whether a variant is in the kinase domain is read from the case's knowledge base.

``next_steps`` decided the tyrosine-kinase-domain scope of the TKI labels, the trials and the
actionability tiers with the bundled knowledge base even when the case was built with another
(``Options.knowledge``), so the picture and the label verdicts could rest on two different domain maps.
"""

from __future__ import annotations

import dataclasses

from report_helpers import S310F_VCF, report

from her2scope.case.next_steps import next_steps
from her2scope.knowledge import load_knowledge
from her2scope.knowledge.guidance import load_guidance
from her2scope.knowledge.trials import load_trials


def _kinase_over_310():
    """The bundled knowledge base with its kinase domain stretched to cover residue 310 (and the
    narrower domains there dropped: the most specific domain wins)."""
    kb = load_knowledge()
    domains = tuple(dataclasses.replace(d, start=1) if d.id == "kinase" else d for d in kb.domains
                    if d.id == "kinase" or not d.start <= 310 <= d.end)
    stretched = dataclasses.replace(kb, domains=domains)
    assert stretched.domain_at(310).id == "kinase" and kb.domain_at(310).id != "kinase"
    return stretched


def _verdicts(steps):
    return {o.label_id: o.verdict for o in steps.options}


def test_the_tki_scope_follows_the_knowledge_given():
    rep = report(files=(S310F_VCF,))            # p.S310F: extracellular, outside the bundled kinase domain
    guidance, trials = load_guidance(), load_trials()
    bundled = _verdicts(next_steps(rep.case, rep.picture, guidance, trials, knowledge=load_knowledge()))
    assert bundled["zongertinib_us_any_line"] == "not_on_label"
    stretched = next_steps(rep.case, rep.picture, guidance, trials, knowledge=_kinase_over_310())
    assert _verdicts(stretched)["zongertinib_us_any_line"] == "on_label"
    assert {t.rule_id for t in stretched.tiers} >= {"amp_activating_tkd_mutation"}
