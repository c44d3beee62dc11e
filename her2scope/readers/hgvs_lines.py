"""A text file of HGVS expressions, one per line ('#' comments and blank lines skipped)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import BuildConflictError, Her2scopeError, MalformedRecordError
from ..genome.builds import Build
from ..hgvs.parse import parse_dna, parse_protein, split_reference
from ..variant import Observation, SourceRecord
from .base import FileSummary, RecordError
from .fields import check_hgvs_numbers

Item = Observation | RecordError


def read_hgvs_lines(lines: list[str], name: str, build: Build | None,
                    summary: FileSummary) -> Iterator[Item]:
    summary.format = "HGVS"
    for number, raw in enumerate(lines, 1):
        text = raw.strip().lstrip("\ufeff")
        if not text or text.startswith("#"):
            continue
        summary.records += 1
        summary.erbb2_records += 1
        try:
            yield parse_expression(text, name, number, build)
        except Her2scopeError as exc:
            summary.errors += 1
            yield RecordError.of(name, number, exc)


def parse_expression(text: str, name: str, record: int, build: Build | None) -> Observation:
    """One HGVS expression -> Observation (DNA expressions keep their parse for the pipeline)."""
    check_hgvs_numbers(text, f"{name} record {record}: {text[:60]}")
    accession, body = split_reference(text)
    source = SourceRecord(name, record, text)
    if body.startswith(("c.", "g.")):
        expr = parse_dna(accession, body, chromosome_build=build)
        if expr.build is not None and build is not None and expr.build is not build:
            raise BuildConflictError(
                f"{text}: {expr.accession} is {expr.build.value}, but --build {build.value} was given")
        return Observation(source, expr.build or build, dna=expr)
    if body.startswith("n.") or body.startswith("r."):
        raise MalformedRecordError(f"{text}: {body[:2]} descriptions are not supported; use c., g. or p.")
    change = parse_protein(accession, body).change
    return Observation(source, build, protein=change)
