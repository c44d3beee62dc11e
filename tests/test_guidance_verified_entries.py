"""Next-steps knowledge: decision evidence and guideline placements may be recorded unverified and
uncited, but a verified one without citations refuses to load, naming the entry."""

from __future__ import annotations

import pytest

from her2scope.errors import KnowledgeBaseError
from her2scope.knowledge.guidance import load_guidance, parse_guidance


def _raw() -> dict:
    return load_guidance().model.model_dump(mode="json")


@pytest.mark.parametrize("section", ["decision_evidence", "guideline_placement"])
def test_verified_entry_without_citations_is_refused(section):
    raw = _raw()
    entry = raw[section][0]
    entry.update(verified=True, citations=[])
    with pytest.raises(KnowledgeBaseError, match=rf"{section}\[0\] \({entry['id']}\).*needs citations"):
        parse_guidance(raw)


@pytest.mark.parametrize("section", ["decision_evidence", "guideline_placement"])
def test_unverified_entry_may_be_uncited(section):
    raw = _raw()
    raw[section][0].update(verified=False, citations=[])
    assert parse_guidance(raw).model.model_dump(mode="json")[section][0]["verified"] is False


def test_decision_evidence_is_verified_unless_it_says_otherwise():
    raw = _raw()
    del raw["decision_evidence"][0]["verified"]
    assert parse_guidance(raw).model.decision_evidence[0].verified is True
