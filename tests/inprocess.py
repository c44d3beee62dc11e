"""Annotate inputs in this process, the way ``her2scope annotate --format jsonl`` writes them:
fast enough for tests that run hundreds or thousands of inputs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from her2scope.pipeline import Options, annotate_inputs
from her2scope.readers.base import FileSummary
from her2scope.render.records import as_dict


@dataclass
class Run:
    lines: list[dict]
    texts: list[str]                     # the JSON lines exactly as written
    summaries: list[FileSummary] = field(default_factory=list)

    @property
    def results(self) -> list[dict]:
        return [d for d in self.lines if "error" not in d]

    @property
    def errors(self) -> list[dict]:
        return [d for d in self.lines if "error" in d]

    @property
    def warnings(self) -> list[str]:
        return [w for s in self.summaries for w in s.warnings]


def _no_constants(name: str):
    raise ValueError(f"not JSON: {name}")


def run(*inputs, options: Options = Options()) -> Run:
    """Every item as its JSON line (strict JSON: NaN or Infinity fail here) and parsed back."""
    summaries: list[FileSummary] = []
    texts = [json.dumps(as_dict(item), ensure_ascii=False)
             for item in annotate_inputs([str(p) for p in inputs], options, summaries)]
    lines = [json.loads(t, parse_constant=_no_constants) for t in texts]
    return Run(lines, texts, summaries)
