"""The case file (YAML or JSON), validated with pydantic.

A case is pseudonymous: no names, no dates of birth. Every invalid value is reported with
the field's path (``ihc.score: IHC score must be one of 0, 1+, 2+, 3+``).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import InputError
from ..vocabulary import BrainMetastases, PriorTherapy, Region, TestState  # noqa: F401  (Region re-exported)


class CaseError(InputError):
    code = "invalid_case"


class SampleType(str, enum.Enum):
    tissue = "tissue"
    plasma = "plasma"


class Histology(str, enum.Enum):
    adenocarcinoma = "adenocarcinoma"
    squamous = "squamous"
    adenosquamous = "adenosquamous"
    large_cell = "large_cell"
    nsclc_nos = "nsclc_nos"
    other = "other"

    @property
    def non_squamous(self) -> bool:
        return self is not Histology.squamous


STAGES = ("I", "IA", "IB", "II", "IIA", "IIB", "III", "IIIA", "IIIB", "IIIC", "IV", "IVA", "IVB")
IHC_SCORES = ("0", "1+", "2+", "3+")


class _Model(BaseModel):
    # allow_inf_nan=False: an ISH ratio, copy number or tumour content of inf/nan is refused,
    # never called "amplified" (a number that is not a measurement decides nothing).
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, allow_inf_nan=False)


class CopyNumber(_Model):
    """ERBB2 copy number from NGS, in any one of the usual forms."""

    copy_number: float | None = Field(None, ge=0, description="absolute ERBB2 copy number")
    fold_change: float | None = Field(None, gt=0, description="ERBB2 fold change vs. normal")
    cbioportal_discrete: Literal[-2, -1, 0, 1, 2] | None = Field(
        None, description="cBioPortal/GISTIC discrete call (2 = amplification)")
    vcf_file: str | None = Field(None, description="VCF with a CNV/DUP record over ERBB2")
    segment_file: str | None = Field(None, description="segments: chrom, start, end, copy number (or log2)")
    lab_call: Literal["amplified", "not_amplified", "failed"] | None = None

    @model_validator(mode="after")
    def _one_form(self):
        given = [k for k in ("copy_number", "fold_change", "cbioportal_discrete", "vcf_file",
                             "segment_file", "lab_call") if getattr(self, k) is not None]
        if not given:
            raise ValueError("give one of copy_number, fold_change, cbioportal_discrete, "
                             "vcf_file, segment_file, lab_call")
        return self


class NgsTest(_Model):
    sample_type: SampleType
    assay: str | None = None
    date: dt.date | None = None
    tumour_content: float | None = Field(None, ge=0, le=1, description="tumour fraction 0..1")
    files: list[str] = Field(default_factory=list, description="VCF/MAF/HGVS files, relative to the case file")
    variants: list[str] = Field(default_factory=list, description="HGVS expressions reported")
    sample: str | None = Field(None, description="which VCF sample / MAF barcode is the tumour")
    build: Literal["GRCh37", "GRCh38"] | None = None
    status: Literal["resulted", "failed"] = "resulted"
    no_variant_reported: bool = Field(
        False, description="the laboratory's report states that no ERBB2 variant was found; only "
                           "without files and variants (without it, a test with neither is 'not assessed')")
    genes_covered: list[str] | None = Field(
        None, description="genes the assay covers; without ERBB2 (or HER2) ERBB2 was not tested "
                          "(default: a broad panel that covers ERBB2)")
    copy_number: CopyNumber | None = None
    other_alterations: list[str] = Field(
        default_factory=list, description='other reported alterations, e.g. "EGFR p.L858R", "ALK fusion"')

    @staticmethod
    def gene_list(text: str | None) -> list[str] | None:
        """``genes_covered`` written as one ';'-separated text (a command-line option, a form field,
        a CSV cell): the entries, or None when the text is empty (a broad panel)."""
        if text is None or not text.strip():
            return None
        return [g.strip() for g in text.split(";")]

    # A blank variant was read as "nothing reported" and gave a confident negative.
    @field_validator("files", "variants", "genes_covered", "other_alterations")
    @classmethod
    def _no_blank_entries(cls, value):
        if value is not None and any(not str(v).strip() for v in value):
            raise ValueError("entries must not be blank")
        return value

    @model_validator(mode="after")
    def _no_variant_means_no_data(self):
        if self.no_variant_reported and (self.files or self.variants):
            raise ValueError("no_variant_reported is for a result given without files or variants; "
                             "with them, the files and variants say what was found")
        return self


class Ihc(_Model):
    score: str
    scoring_system: str = Field(..., description="e.g. 'gastric (Hofmann 2008)', 'breast ASCO/CAP 2018'")
    antibody: str | None = None
    date: dt.date | None = None
    status: Literal["resulted", "failed"] = "resulted"

    @field_validator("score", mode="before")
    @classmethod
    def _score(cls, value):
        text = str(value).strip().replace(" ", "")
        if text in ("1", "2", "3"):
            text += "+"
        if text not in IHC_SCORES:
            raise ValueError(f"IHC score must be one of {', '.join(IHC_SCORES)} (got {value!r})")
        return text


class Ish(_Model):
    her2_cep17_ratio: float | None = Field(None, gt=0)
    mean_her2_copies: float | None = Field(None, gt=0, description="mean HER2 signals per cell")
    date: dt.date | None = None
    status: Literal["resulted", "failed"] = "resulted"

    @model_validator(mode="after")
    def _something(self):
        if self.status == TestState.resulted and self.her2_cep17_ratio is None and self.mean_her2_copies is None:
            raise ValueError("give her2_cep17_ratio and/or mean_her2_copies (or status: failed)")
        return self


# Spellings accepted for prior_therapies entries (normalised: lower case, spaces/hyphens as "_").
_THERAPY_SYNONYMS = {
    "platinum": PriorTherapy.platinum_chemotherapy, "platinum_based_chemotherapy": PriorTherapy.platinum_chemotherapy,
    "platinum_doublet": PriorTherapy.platinum_chemotherapy, "chemotherapy_platinum": PriorTherapy.platinum_chemotherapy,
    "chemotherapy": PriorTherapy.other_chemotherapy, "non_platinum_chemotherapy": PriorTherapy.other_chemotherapy,
    "io": PriorTherapy.immunotherapy, "checkpoint_inhibitor": PriorTherapy.immunotherapy,
    "immune_checkpoint_inhibitor": PriorTherapy.immunotherapy,
    "her2_antibody_drug_conjugate": PriorTherapy.her2_adc, "trastuzumab_deruxtecan": PriorTherapy.her2_adc,
    "t_dxd": PriorTherapy.her2_adc, "tdxd": PriorTherapy.her2_adc, "t_dm1": PriorTherapy.her2_adc,
    "her2_tyrosine_kinase_inhibitor": PriorTherapy.her2_tki, "zongertinib": PriorTherapy.her2_tki,
    "sevabertinib": PriorTherapy.her2_tki, "targeted": PriorTherapy.other_targeted,
    "other_targeted_therapy": PriorTherapy.other_targeted,
}
_THERAPY_TEXT = {PriorTherapy.platinum_chemotherapy: "platinum chemotherapy",
                 PriorTherapy.other_chemotherapy: "other chemotherapy", PriorTherapy.immunotherapy: "immunotherapy",
                 PriorTherapy.her2_adc: "HER2 ADC", PriorTherapy.her2_tki: "HER2 TKI",
                 PriorTherapy.other_targeted: "other targeted therapy"}
_BRAIN_SYNONYMS = {"treated": BrainMetastases.treated_stable, "stable": BrainMetastases.treated_stable,
                   "treated_and_stable": BrainMetastases.treated_stable, "untreated": BrainMetastases.active,
                   "progressing": BrainMetastases.active, True: BrainMetastases.yes, False: BrainMetastases.no}


class Clinical(_Model):
    histology: Histology
    stage: str
    prior_lines: int | None = Field(None, ge=0, le=15, description="lines of prior systemic therapy for advanced "
                                    "disease (0 = first line); None = not stated (regimens given instead)")
    prior_therapies: list[PriorTherapy] | None = Field(
        None, validation_alias=AliasChoices("prior_therapies", "prior_regimens", "prior_treatments"),
        description="regimen classes received: platinum_chemotherapy, other_chemotherapy, immunotherapy, "
                    "her2_adc, her2_tki, other_targeted; [] = none (first line); None = not stated")
    prior_her2_adc: bool = False
    prior_her2_tki: bool = False
    brain_metastases: BrainMetastases = BrainMetastases.unknown
    brain_mri_done: bool | None = None
    region: Region
    diagnosis_date: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _prior_therapy(cls, data):
        """Reconcile the line count, the regimen list and the two legacy HER2 flags. Nothing stated
        means first line (as before); a contradiction is an error that says what to change."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        keys = [k for k in ("prior_therapies", "prior_regimens", "prior_treatments") if k in data]
        if len(keys) > 1:
            raise ValueError(f"give the regimens once (prior_therapies), not as {' and '.join(keys)}")
        key = keys[0] if keys else "prior_therapies"
        therapies = data.get(key)
        if therapies is not None:
            if not isinstance(therapies, list):
                raise ValueError("prior_therapies must be a list, e.g. [platinum_chemotherapy, immunotherapy] "
                                 "(or [] for none)")
            therapies = [_THERAPY_SYNONYMS.get(_norm(t), t) if isinstance(t, str) else t for t in therapies]
            for flag, member in (("prior_her2_adc", PriorTherapy.her2_adc), ("prior_her2_tki", PriorTherapy.her2_tki)):
                if data.get(flag) is True and member.value not in [str(t) for t in therapies]:
                    raise ValueError(f"{flag}: true but prior_therapies does not list {member.value}: "
                                     f"add {member.value} to prior_therapies (and drop {flag})")
                if data.get(flag) is False and member.value in [str(t) for t in therapies]:
                    raise ValueError(f"{flag}: false contradicts {member.value} in prior_therapies: drop {flag}")
                if member.value in [str(t) for t in therapies]:
                    data[flag] = True
            lines = data.get("prior_lines")
            if isinstance(lines, int) and not isinstance(lines, bool):
                if lines == 0 and therapies:
                    raise ValueError("prior_lines: 0 (first line) contradicts prior_therapies "
                                     f"{[str(t) for t in therapies]}: correct one of them")
                if lines > 0 and not therapies:
                    raise ValueError(f"prior_lines: {lines} contradicts prior_therapies: [] (none): list the "
                                     "regimens, e.g. prior_therapies: [platinum_chemotherapy, immunotherapy]")
            data[key] = therapies
        else:
            flags = data.get("prior_her2_adc") is True or data.get("prior_her2_tki") is True
            if data.get("prior_lines", 0) == 0 and not flags:
                # Nothing stated, or first line: no prior regimens (as before prior_therapies existed).
                data["prior_lines"] = 0
                data[key] = []
        brain = data.get("brain_metastases")
        if isinstance(brain, bool) or isinstance(brain, str) and _norm(brain) in _BRAIN_SYNONYMS:
            data["brain_metastases"] = _BRAIN_SYNONYMS[brain if isinstance(brain, bool) else _norm(brain)]
        return data

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, value):
        text = str(value).strip().upper().removeprefix("STAGE").strip()
        if text not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)} (got {value!r})")
        return text

    @property
    def advanced(self) -> bool:
        return self.stage.startswith(("IIIB", "IIIC", "IV"))

    @property
    def pretreated(self) -> bool | None:
        """Any prior systemic therapy for advanced disease (None: not stated)."""
        if self.prior_therapies:
            return True
        if self.prior_lines is not None:
            return self.prior_lines > 0 or self.prior_her2_adc or self.prior_her2_tki
        return True if (self.prior_her2_adc or self.prior_her2_tki) else None

    def had(self, therapy: PriorTherapy) -> bool | None:
        """Whether this regimen class was given: True, False, or None when the case does not say
        (a line count without regimens). The legacy HER2 flags answer for her2_adc / her2_tki."""
        if therapy is PriorTherapy.her2_adc and self.prior_her2_adc:
            return True
        if therapy is PriorTherapy.her2_tki and self.prior_her2_tki:
            return True
        if self.prior_therapies is not None:
            return therapy in self.prior_therapies
        if self.pretreated is False:
            return False
        if therapy in (PriorTherapy.her2_adc, PriorTherapy.her2_tki):
            return False          # the legacy flags default to "not given"
        return None

    def treatment_text(self) -> str:
        """'first line', '2 prior line(s): platinum chemotherapy, immunotherapy', ..."""
        regimens = ", ".join(_THERAPY_TEXT[t] for t in self.prior_therapies or ())
        extra = [f for f, on in (("HER2 ADC", self.prior_her2_adc), ("HER2 TKI", self.prior_her2_tki)) if on
                 and not regimens]
        if self.pretreated is False:
            return "first line (no prior systemic therapy)"
        lines = f"{self.prior_lines} prior line(s)" if self.prior_lines else "prior systemic therapy"
        detail = regimens or ", ".join(extra) or "regimens not stated"
        return f"{lines}: {detail}"


def _norm(text) -> str:
    return str(text).strip().lower().replace("-", "_").replace(" ", "_")


class Case(_Model):
    case_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$",
                         description="pseudonymous id (no names)")
    clinical: Clinical
    ngs: list[NgsTest] = Field(default_factory=list)
    ihc: Ihc | None = None
    ish: Ish | None = None
    notes: str | None = None


def _format_errors(exc: ValidationError, where: str) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}")
    return f"{where}: invalid case: " + "; ".join(parts)


def parse_case(data: dict, where: str = "case") -> Case:
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(_format_errors(exc, where)) from None


def load_case(path: str | Path) -> tuple[Case, Path]:
    """The case and the folder its relative file paths are resolved against."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseError(f"{path}: cannot read case file: {exc}") from None
    kind = "JSON" if path.suffix == ".json" else "YAML"
    try:
        data = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise CaseError(f"{path}: not valid {kind}: {exc}") from None
    except RecursionError:   # the parsers recurse once per nesting level
        raise CaseError(f"{path}: not a case file: {kind} nested too deeply") from None
    if not isinstance(data, dict):
        raise CaseError(f"{path}: a case file must be a mapping of fields")
    _check_shape(data, str(path))
    return parse_case(data, str(path)), path.parent


# A case is a few levels deep and a few hundred values; far more is not a case (YAML aliases
# can also expand a short file into billions of values). Checked without recursion.
MAX_DEPTH = 32
MAX_VALUES = 100_000


def _check_shape(data, where: str) -> None:
    stack = [(data, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            raise CaseError(f"{where}: not a case file: values nested more than {MAX_DEPTH} levels deep")
        if seen > MAX_VALUES:
            raise CaseError(f"{where}: not a case file: more than {MAX_VALUES:,} values")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children)
