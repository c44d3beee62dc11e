"""Shared vocabularies: every enumerated value a knowledge file, a result or a report uses.

One definition each. String enums (``StrEnum``): a member compares equal to its text, so JSON,
YAML and the registry keep the plain value ("likely_oncogenic") while code gets a typo-proof name.
Knowledge files load through pydantic models whose fields are typed with these enums, so an
unknown value refuses to load and names the field. See /work/notes/kb_vocab.md and docs.

Sections: ERBB2 variant knowledge (Oncogenicity, Evidence*, Assay, SourceKind, ViccCode) - owned by
the variant knowledge base (issue 9); case/label vocabularies (issue 10); results and tests (a HER2
dimension's Status, a test's TestState, a trial's TrialVerdict).

Code compares with the members (``status is Status.failed``, ``Oncogenicity.activating``), never
with the bare text: tests/test_vocabulary_literals.py fails on a reintroduced literal comparison.
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


class RuleKind(enum.StrEnum):
    """What a knowledge-base class rule covers (``classify.apply_rule``)."""

    inframe_gain_in_region = "inframe_gain_in_region"        # ins, dup, delins with net gain
    inframe_loss_in_region = "inframe_loss_in_region"        # del, delins with net loss
    missense_at_activating_residue = "missense_at_activating_residue"


# --- therapy labels, decision content and the case's clinical facts (issue 10) ---------------

class Region(enum.StrEnum):
    """Where a label applies (and the case's region)."""

    US = "US"
    EU = "EU"
    JP = "JP"
    CN = "CN"


class LabelStatus(enum.StrEnum):
    approved = "approved"
    accelerated_approval = "accelerated_approval"          # US: continued approval needs a confirmatory trial
    conditional_approval = "conditional_approval"          # CN/EU/JP conditional authorisations
    not_approved = "not_approved"                          # e.g. a complete response letter
    unknown = "unknown"                                    # no verified decision: never an on-label claim


class Alteration(enum.StrEnum):
    mutation = "mutation"                # activating ERBB2 mutation (NGS)
    overexpression = "overexpression"    # HER2 protein, IHC 3+
    her2_positive = "her2_positive"      # a label saying "HER2-positive" without a verified definition


class VariantScope(enum.StrEnum):
    activating = "activating"            # any activating mutation (kinase domain or not)
    tkd_activating = "tkd_activating"    # activating mutation in the tyrosine kinase domain only
    ihc3plus = "ihc3plus"
    undefined = "undefined"              # the label's definition of positive was not seen


class LabelHistology(enum.StrEnum):
    nsclc = "nsclc"
    nonsquamous_nsclc = "nonsquamous_nsclc"
    solid_tumour = "solid_tumour"


class Line(enum.StrEnum):
    """What prior treatment a label requires."""

    any_line = "any_line"                          # no prior-therapy clause (first line on label)
    after_prior_systemic = "after_prior_systemic"  # at least one prior systemic therapy
    after_chemotherapy = "after_chemotherapy"      # progressed after chemotherapy (JP wording)
    after_platinum = "after_platinum"              # prior platinum-based chemotherapy (EU T-DXd)


class PriorTherapy(enum.StrEnum):
    """Regimen classes a patient has received (for advanced disease)."""

    platinum_chemotherapy = "platinum_chemotherapy"
    other_chemotherapy = "other_chemotherapy"      # e.g. docetaxel, pemetrexed alone
    immunotherapy = "immunotherapy"                # PD-(L)1 / CTLA-4 inhibitors
    her2_adc = "her2_adc"                          # trastuzumab deruxtecan, T-DM1, other HER2 ADCs
    her2_tki = "her2_tki"                          # zongertinib, sevabertinib, pyrotinib, poziotinib ...
    other_targeted = "other_targeted"              # any other targeted drug

    @property
    def chemotherapy(self) -> bool:
        return self in (PriorTherapy.platinum_chemotherapy, PriorTherapy.other_chemotherapy)


class Specimen(enum.StrEnum):
    tissue = "tissue"
    plasma = "plasma"


class Verdict(enum.StrEnum):
    """A label checked against one case."""

    on_label = "on_label"
    needs_tissue_test = "needs_tissue_test"        # positive in plasma only; the label's test is tissue-only
    needs_information = "needs_information"        # the case lacks a fact the label turns on (says which)
    label_not_verified = "label_not_verified"      # no verified label status/definition: check the local label
    not_on_label = "not_on_label"


class CitationKind(enum.StrEnum):
    """What a source is. Secondary only when nothing better was available, and then shown as such."""

    label = "label"                          # prescribing information / SmPC / package insert (or a copy)
    regulator_decision = "regulator_decision"  # FDA notice, EMA/CHMP opinion, EC decision, NMPA/MHLW notice
    sponsor_release = "sponsor_release"      # the marketing-authorisation holder's own announcement
    journal_abstract = "journal_abstract"    # peer-reviewed paper or its abstract
    trial_registry = "trial_registry"
    knowledge_base = "knowledge_base"        # e.g. OncoKB's own level definitions
    secondary = "secondary"                  # news, review, vendor or aggregator page

    @property
    def primary(self) -> bool:
        return self is not CitationKind.secondary


class BrainMetastases(enum.StrEnum):
    """Brain metastases in the case: trial eligibility and intracranial data depend on activity."""

    active = "active"                  # untreated or progressing
    treated_stable = "treated_stable"  # treated and stable, no steroids needed for symptoms
    yes = "yes"                        # present, activity not stated
    no = "no"
    unknown = "unknown"

    @property
    def present(self) -> bool:
        return self in (BrainMetastases.active, BrainMetastases.treated_stable, BrainMetastases.yes)


# --- results and tests ----------------------------------------------------------------------

class Status(enum.StrEnum):
    """A HER2 dimension's status (and one test's). Stored as its string value (JSON, registry);
    see docs/case.md."""

    positive = "positive"          # found
    negative = "negative"          # looked for, absent, and the look can be trusted (see _assess)
    not_detected = "not_detected"  # plasma read in full, nothing found: not a negative
    equivocal = "equivocal"        # VUS only, IHC 2+, ISH/CN gain
    not_tested = "not_tested"      # no test of this kind
    not_assessed = "not_assessed"  # a test that did not look (panel without ERBB2, no sequence data)
    failed = "failed"              # a test that gives no usable answer (reason says why)

    @property
    def tested(self) -> bool:
        return self in TESTED_STATUSES


TESTED_STATUSES = frozenset({Status.positive, Status.negative, Status.not_detected, Status.equivocal})
UNTESTED_STATUSES = frozenset(Status) - TESTED_STATUSES


class TestState(enum.StrEnum):
    """Where a test is in its life. A case file's test is ``resulted`` or ``failed``; the registry
    stores all five (its ``tests.status`` column holds the value)."""

    __test__ = False                # not a pytest test class, despite the name

    ordered = "ordered"
    received = "received"
    resulted = "resulted"
    failed = "failed"                # the laboratory reported the assay as failed
    retracted = "retracted"          # a result taken back: kept, but counts nowhere

    @property
    def pending(self) -> bool:
        """Ordered or received: a result is still to come."""
        return self in (TestState.ordered, TestState.received)


class TrialVerdict(enum.StrEnum):
    """A trial checked against one case (case/trials.py), in the order the report lists them."""

    match = "match"
    possible = "possible"            # fits, but a fact the trial turns on is unknown (says which)
    not_enrolling = "not_enrolling"  # would fit, but the trial is closed
    no_match = "no_match"


class VariantStatus(enum.StrEnum):
    """What became of one input record (the ``status`` column of the annotation output)."""

    annotated = "annotated"              # named, its effect predicted and classified
    not_interpreted = "not_interpreted"  # kept in the output with the reason (notes), never dropped


class StatedOutcome(enum.StrEnum):
    """What became of an alteration a case states in words (``other_alterations``), case/drivers.py."""

    driver = "driver"                    # another driver (EGFR, ALK, ...) found by the driver rules
    her2 = "her2"                        # an ERBB2 statement: counted in the HER2 picture instead
    not_a_driver = "not_a_driver"        # recognised, but not a driver under the rules
    not_interpreted = "not_interpreted"  # not recognised: listed as stated, not interpreted
    pending = "pending"                  # working value while the rules run; never in a report
