"""Pydantic pieces shared by the next-steps knowledge (guidance.py) and the trial list (trials.py):
the frozen, extra-forbidding base, a cited source, and the version header every file starts with."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..vocabulary import CitationKind


class FrozenModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(FrozenModel):
    citation: str = Field(..., min_length=1)
    kind: CitationKind
    url: str | None = None
    doi: str | None = None
    pmid: str | None = None
    checked: dt.date
    how: str = Field(..., min_length=1, description="what was read, where, and what was not seen")

    @property
    def secondary(self) -> bool:
        return not self.kind.primary


class KnowledgeFile(FrozenModel):
    """The header of a knowledge file; ``sources`` keys are what its entries cite."""

    knowledge_version: str
    released: dt.date
    sources: dict[str, Source]

    @field_validator("knowledge_version", mode="before")
    @classmethod
    def _version_text(cls, value):
        return str(value)       # YAML reads 2.0 as a float
