"""Genome builds her2scope knows, and how to recognise them and chromosome 17."""

from __future__ import annotations

import enum
import re

from ..errors import UnknownBuildError


class Build(enum.Enum):
    GRCh37 = "GRCh37"
    GRCh38 = "GRCh38"

    # Members are singletons compared by identity: hashed by identity, in C (Enum's __hash__ is
    # Python code; every per-variant exon lookup keys a dict by build).
    __hash__ = object.__hash__

    @property
    def chr17_accession(self) -> str:
        return _CHR17_ACCESSION[self]

    @property
    def chr17_length(self) -> int:
        return _CHR17_LENGTH[self]

    @property
    def other(self) -> "Build":
        return Build.GRCh38 if self is Build.GRCh37 else Build.GRCh37


_CHR17_ACCESSION = {Build.GRCh37: "NC_000017.10", Build.GRCh38: "NC_000017.11"}
# NCBI assembly reports: chromosome 17 is 81,195,210 bp on GRCh37 and 83,257,441 bp on GRCh38.
_CHR17_LENGTH = {Build.GRCh37: 81_195_210, Build.GRCh38: 83_257_441}

CHR17_NAMES = ("17", "chr17", "NC_000017.10", "NC_000017.11")

_ALIASES = {
    "grch37": Build.GRCh37, "hg19": Build.GRCh37, "b37": Build.GRCh37, "37": Build.GRCh37,
    "hs37d5": Build.GRCh37, "grch37.p13": Build.GRCh37, "ncbi37": Build.GRCh37,
    "grch38": Build.GRCh38, "hg38": Build.GRCh38, "b38": Build.GRCh38, "38": Build.GRCh38,
    "grch38.p14": Build.GRCh38, "ncbi38": Build.GRCh38,
}

# Substrings of ##reference values (file names or URLs) that name a build unambiguously.
_REFERENCE_HINTS = (
    (re.compile(r"grch38|hg38|gca_000001405\.15|hs38|b38", re.I), Build.GRCh38),
    (re.compile(r"grch37|hg19|b37|hs37d5|human_g1k_v37|gca_000001405\.1\b|ncbi37", re.I), Build.GRCh37),
)


def parse_build(text: str) -> Build:
    """A build named by a user or a file (``GRCh38``, ``hg19``, ``37`` ...)."""
    build = _ALIASES.get(text.strip().lower())
    if build is None:
        raise UnknownBuildError(
            f"unknown genome build {text!r}: use GRCh37 (hg19) or GRCh38 (hg38)")
    return build


def build_from_reference_line(value: str) -> Build | None:
    """The build a VCF ``##reference=`` value names, or None when it names none or both."""
    hits = {build for pattern, build in _REFERENCE_HINTS if pattern.search(value)}
    return hits.pop() if len(hits) == 1 else None


def build_from_chr17_length(length: int) -> Build | None:
    for build, expected in _CHR17_LENGTH.items():
        if length == expected:
            return build
    return None


def build_from_accession(accession: str) -> Build | None:
    for build, acc in _CHR17_ACCESSION.items():
        if accession == acc:
            return build
    return None


def is_chr17(name: str) -> bool:
    return name in CHR17_NAMES
