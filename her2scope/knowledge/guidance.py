"""Load the next-steps knowledge (therapy labels, actionability rules, non-drug steps) and
the curated trial list; every rule's citations must resolve in the file's own sources."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import KnowledgeBaseError

_DATA = resources.files(__package__) / "data"
NEXT_STEPS = "next_steps_v1.yaml"
TRIALS = "trials_v1.yaml"


@dataclass(frozen=True)
class Guidance:
    version: str
    released: str
    path: str
    sources: dict
    labels: tuple[dict, ...]
    actionability: dict[str, tuple[dict, ...]]
    steps: tuple[dict, ...]

    def rule(self, framework: str, rule_id: str) -> dict:
        for r in self.actionability[framework]:
            if r["id"] == rule_id:
                return r
        raise KnowledgeBaseError(f"{self.path}: no {framework} rule {rule_id!r}")

    def step(self, step_id: str) -> dict:
        for s in self.steps:
            if s["id"] == step_id:
                return s
        raise KnowledgeBaseError(f"{self.path}: no non-drug step {step_id!r}")


@dataclass(frozen=True)
class TrialList:
    version: str
    released: str
    path: str
    sources: dict
    trials: tuple[dict, ...]


def _yaml(path):
    import yaml

    try:
        return yaml.load(Path(path).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"cannot read {path}: {exc}") from exc


def _check_citations(items, sources, path, what):
    for item in items:
        cites = item.get("citations") or []
        if not cites:
            raise KnowledgeBaseError(f"{path}: {what} {item.get('id') or item.get('nct')} has no citations")
        missing = [c for c in cites if c not in sources]
        if missing:
            raise KnowledgeBaseError(f"{path}: {what} {item.get('id') or item.get('nct')} cites "
                                     f"undefined sources {missing}")


@functools.cache
def load_guidance(path: str | None = None) -> Guidance:
    source = path or str(_DATA / NEXT_STEPS)
    raw = _yaml(source)
    sources = raw.get("sources") or {}
    labels = tuple(raw["therapy_labels"])
    _check_citations(labels, sources, source, "therapy label")
    actionability = {k: tuple(v) for k, v in raw["actionability"].items()}
    for framework, rules in actionability.items():
        _check_citations(rules, sources, source, f"{framework} rule")
    steps = tuple(raw["non_drug_steps"])
    _check_citations(steps, sources, source, "non-drug step")
    return Guidance(str(raw["knowledge_version"]), str(raw["released"]), source, sources, labels,
                    actionability, steps)


@functools.cache
def load_trials(path: str | None = None) -> TrialList:
    source = path or str(_DATA / TRIALS)
    raw = _yaml(source)
    sources = raw.get("sources") or {}
    trials = tuple(raw["trials"])
    _check_citations(trials, sources, source, "trial")
    return TrialList(str(raw["knowledge_version"]), str(raw["released"]), source, sources, trials)
