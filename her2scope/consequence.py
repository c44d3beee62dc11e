"""Sequence Ontology consequence terms her2scope assigns, most severe first.

The order follows Ensembl VEP's severity ranking, so ``most_severe`` picks the term a VEP
user would see first.
"""

from __future__ import annotations

import enum


class Consequence(enum.Enum):
    SPLICE_ACCEPTOR = "splice_acceptor_variant"
    SPLICE_DONOR = "splice_donor_variant"
    STOP_GAINED = "stop_gained"
    FRAMESHIFT = "frameshift_variant"
    STOP_LOST = "stop_lost"
    START_LOST = "start_lost"
    INFRAME_INSERTION = "inframe_insertion"
    INFRAME_DELETION = "inframe_deletion"
    MISSENSE = "missense_variant"
    PROTEIN_ALTERING = "protein_altering_variant"
    SPLICE_REGION = "splice_region_variant"
    START_RETAINED = "start_retained_variant"
    STOP_RETAINED = "stop_retained_variant"
    SYNONYMOUS = "synonymous_variant"
    CODING_SEQUENCE = "coding_sequence_variant"
    UTR5 = "5_prime_UTR_variant"
    UTR3 = "3_prime_UTR_variant"
    INTRON = "intron_variant"

    # Members are singletons compared by identity: hash them by identity too, in C (Enum's own
    # __hash__ is Python code hashing the name, a hot spot when every variant builds term sets).
    __hash__ = object.__hash__

    @property
    def rank(self) -> int:
        return _RANK[self]


_ORDER = list(Consequence)
_RANK = {c: i for i, c in enumerate(_ORDER)}


def most_severe(terms: set[Consequence]) -> Consequence:
    return min(terms, key=lambda c: c.rank)


def joined(terms: set[Consequence]) -> str:
    """VEP-style ``&``-joined terms, most severe first."""
    return "&".join(c.value for c in sorted(terms, key=_RANK.__getitem__))
