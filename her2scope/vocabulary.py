"""Shared vocabularies: every enumerated value a knowledge file, a result or a report uses.

One definition each. String enums (``StrEnum``): a member compares equal to its text, so JSON,
YAML and the registry keep the plain value ("likely_oncogenic") while code gets a typo-proof name.
Knowledge files load through pydantic models whose fields are typed with these enums, so an
unknown value refuses to load and names the field. See /work/notes/kb_vocab.md and docs.

Sections: ERBB2 variant knowledge (Oncogenicity, Evidence*, Assay, SourceKind, ViccCode) - owned by
the variant knowledge base (issue 9); case/label vocabularies may follow below (issue 10).
"""

from __future__ import annotations

import enum


# --- ERBB2 variant knowledge (issue 9) -------------------------------------------------------

class Oncogenicity(enum.StrEnum):
    """The five classes of the ClinGen/CGC/VICC oncogenicity SOP (Horak 2022, PMID 35101336)."""

    oncogenic = "oncogenic"
    likely_oncogenic = "likely_oncogenic"
    uncertain_significance = "uncertain_significance"
    likely_benign = "likely_benign"
    benign = "benign"

    @property
    def activating(self) -> bool:
        """THE definition of an activating ERBB2 mutation in her2scope: a variant classified
        oncogenic or likely oncogenic. Labels, cohort counts, plots and the registry use this."""
        return self in ACTIVATING

    @property
    def benign_side(self) -> bool:
        return self in (Oncogenicity.likely_benign, Oncogenicity.benign)


ACTIVATING: tuple[Oncogenicity, ...] = (Oncogenicity.oncogenic, Oncogenicity.likely_oncogenic)


def is_activating(oncogenicity: str | None) -> bool:
    """``Oncogenicity(x).activating`` for a plain string (or None: not activating)."""
    try:
        return Oncogenicity(oncogenicity).activating if oncogenicity else False
    except ValueError:
        return False


class EvidenceType(enum.StrEnum):
    functional = "functional"        # laboratory: cells, animals, biochemistry
    clinical = "clinical"            # patient response (trial per-variant tables, case reports)
    population = "population"        # allele frequency in population databases / case-control studies
    structural = "structural"        # structure or modelling


class EvidenceDirection(enum.StrEnum):
    oncogenic = "oncogenic"          # activating / gain of function
    not_oncogenic = "not_oncogenic"  # tested and found to have no activating effect
    inconclusive = "inconclusive"
    resistance = "resistance"        # changes drug sensitivity; not by itself activating


class EvidenceStrength(enum.StrEnum):
    """The curator's weight of one evidence item. For OS2: strong -> OS2 at full strength (4 points),
    moderate -> OS2 applied at moderate strength (2 points), supporting -> no code."""

    strong = "strong"
    moderate = "moderate"
    supporting = "supporting"


class Assay(enum.StrEnum):
    transformation = "transformation"
    kinase_activity = "kinase_activity"
    signalling = "signalling"
    xenograft = "xenograft"
    cell_drug_response = "cell_drug_response"
    ba_f3_il3_independence = "ba_f3_il3_independence"
    saturation_screen = "saturation_screen"
    patient_response = "patient_response"
    germline_frequency = "germline_frequency"
    other = "other"


class SourceKind(enum.StrEnum):
    primary_paper = "primary_paper"
    trial_publication = "trial_publication"
    conference_abstract = "conference_abstract"
    label = "label"
    regulator_decision = "regulator_decision"
    trial_registry = "trial_registry"
    open_knowledge_base = "open_knowledge_base"
    population_database = "population_database"
    reference_sequence = "reference_sequence"
    standard = "standard"            # a classification standard (e.g. the VICC SOP)
    secondary = "secondary"          # news/review/vendor page: only when nothing better exists

    @property
    def primary(self) -> bool:
        return self not in (SourceKind.secondary,)


class ViccCode(enum.StrEnum):
    """Evidence codes of the ClinGen/CGC/VICC oncogenicity SOP (Horak 2022, Tables 2-3)."""

    OVS1 = "OVS1"
    OS1 = "OS1"
    OS2 = "OS2"
    OS3 = "OS3"
    OM1 = "OM1"
    OM2 = "OM2"
    OM3 = "OM3"
    OM4 = "OM4"
    OP1 = "OP1"
    OP2 = "OP2"
    OP3 = "OP3"
    OP4 = "OP4"
    SBVS1 = "SBVS1"
    SBS1 = "SBS1"
    SBS2 = "SBS2"
    SBP1 = "SBP1"
    SBP2 = "SBP2"

    @property
    def benign(self) -> bool:
        return self.value.startswith("SB")
