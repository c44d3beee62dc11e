"""Small helpers for engine tests: annotate one allele or one expression in-process."""

from __future__ import annotations

from her2scope.annotate import annotate
from her2scope.classify import classify
from her2scope.genome.builds import Build
from her2scope.genome.reference import BundledReference
from her2scope.knowledge import load_knowledge
from her2scope.pipeline import Options, annotate_inputs
from her2scope.variant import GenomicAllele

REF = BundledReference()


def vcf(build: Build, pos: int, ref: str, alt: str):
    """Annotate a VCF-style allele (1-based POS)."""
    return annotate(GenomicAllele(build, pos - 1, ref, alt), REF)


def expression(text: str, build: Build | None = None) -> dict:
    items = list(annotate_inputs(expressions=[text], options=Options(build=build)))
    assert len(items) == 1, items
    item = items[0]
    return item.as_dict() if hasattr(item, "as_dict") else {
        "error": item.error, "message": item.message, "record": item.record}


def classification(ann):
    return classify(ann.effect.change, ann.effect.consequences, load_knowledge(),
                    splice_unknown=ann.effect.unknown)
