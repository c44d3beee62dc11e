"""The per-variant result: the stable output contract (see README, "Output contract")."""

from __future__ import annotations

from dataclasses import dataclass, field

from .classify import Classification
from .variant import CallerAnnotation
from .vocabulary import VariantStatus

# Keys every variant line carries, in this order (the README documents each).
CONTRACT_KEYS = (
    "input", "record", "sample", "gene", "build", "chrom", "pos", "ref", "alt", "hgvs_g",
    "hgvs_c", "hgvs_p", "protein_change", "consequence", "exon", "alteration_class",
    "oncogenicity", "evidence", "knowledge_version",
)
EXTRA_KEYS = (
    "status", "intron", "domain", "oncogenicity_rule", "vicc_codes", "vicc_points", "genotype",
    "depth", "vaf", "filter", "reference_checked", "joined_records", "caller_annotations",
    "naming_differs", "notes", "original",
)
ERROR_KEYS = ("input", "record", "error", "message")


@dataclass(frozen=True, slots=True)
class CallerComparison:
    annotation: CallerAnnotation
    same_event: bool | None        # None: the caller's text could not be interpreted
    naming_differs: bool

    def as_dict(self) -> dict:
        a = self.annotation
        return {"source": a.source, "hgvs_c": a.hgvs_c, "hgvs_p": a.hgvs_p,
                "consequence": a.consequence, "same_event": self.same_event,
                "naming_differs": self.naming_differs}


@dataclass(frozen=True, slots=True)
class VariantResult:
    input: str
    record: int | None
    sample: str | None
    build: str | None
    pos: int | None
    ref: str | None
    alt: str | None
    hgvs_g: str | None
    hgvs_c: str | None
    hgvs_p: str | None
    protein_change: str | None
    consequence: str | None
    exon: int | None
    intron: int | None
    domain: str | None
    classification: Classification | None
    status: VariantStatus = VariantStatus.annotated
    genotype: str | None = None
    depth: int | None = None
    vaf: float | None = None
    filter: str | None = None
    reference_checked: bool | None = None
    joined_records: tuple[int, ...] = ()
    callers: tuple[CallerComparison, ...] = ()
    notes: tuple[str, ...] = field(default=())
    original: str = ""

    def as_dict(self) -> dict:
        c = self.classification
        out = {
            "input": self.input, "record": self.record, "sample": self.sample, "gene": "ERBB2",
            "build": self.build, "chrom": "17", "pos": self.pos, "ref": self.ref, "alt": self.alt,
            "hgvs_g": self.hgvs_g, "hgvs_c": self.hgvs_c, "hgvs_p": self.hgvs_p,
            "protein_change": self.protein_change, "consequence": self.consequence,
            "exon": self.exon,
            "alteration_class": c.alteration_class if c else None,
            "oncogenicity": c.oncogenicity if c else None,
            "evidence": [e.as_dict() for e in c.evidence] if c else [],
            "knowledge_version": c.knowledge_version if c else None,
            "status": str(self.status), "intron": self.intron, "domain": self.domain,
            "oncogenicity_rule": c.rule if c else None,
            "vicc_codes": list(c.vicc_codes) if c else [],
            "vicc_points": c.vicc_points if c else None,
            "genotype": self.genotype, "depth": self.depth, "vaf": self.vaf, "filter": self.filter,
            "reference_checked": self.reference_checked,
            "joined_records": list(self.joined_records) or None,
            "caller_annotations": [x.as_dict() for x in self.callers],
            "naming_differs": any(x.naming_differs for x in self.callers),
            # the call's own notes (population not assessed, a VUS worth a tumour-board look ...) follow
            "notes": list(self.notes) + (list(c.notes) if c else []), "original": self.original,
        }
        return out
