"""What to re-check before a release: unverified, stale and secondary-sourced knowledge entries.

Reads every knowledge file in use (variant knowledge v2 fragments and their sources, the variant
knowledge base in use, the next-steps file, the trial list) as plain YAML, so it works across the
files' different schemas. The fields it reads are listed in /work/notes/freshness.md and
docs/knowledge.md:

- ``checked`` (also ``last_verified`` / ``last_reviewed`` in older files): the date an entry or a
  source was last checked. Older than ``stale_days`` (180) before the audit date: **stale**.
  An entry that cites sources but carries no date at all: **undated**.
- ``verified: false``: **unverified** (a trial status not read from a registry record, an ESCAT
  tier not confirmed ...).
- a source with ``kind: secondary``: **secondary**; an entry citing one: **secondary-sourced**
  (the detail says whether all its sources are secondary).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from ..errors import KnowledgeBaseError
from . import guidance, trials
# One threshold for the report's freshness flag and this audit (defined with the next-steps knowledge).
from .guidance import STALE_AFTER_DAYS
from .loader import BUNDLED, DEFAULT_KB

_DATE_KEYS = ("checked", "last_verified", "last_reviewed")
_NAME_KEYS = ("id", "protein_change", "nct", "acronym", "drug")


class Problem(enum.StrEnum):
    unverified = "unverified"
    stale = "stale"
    undated = "undated"
    secondary = "secondary"                  # the source itself is secondary
    secondary_sourced = "secondary_sourced"  # an entry citing a secondary source


@dataclass(frozen=True)
class Finding:
    file: str
    entry: str
    problem: Problem
    checked: str | None
    detail: str

    def as_dict(self) -> dict:
        return {"file": self.file, "entry": self.entry, "problem": self.problem.value,
                "checked": self.checked, "detail": self.detail}


def default_files() -> list[Path]:
    """The knowledge files in use, in a stable order."""
    data = Path(str(resources.files(__package__) / "data"))
    # The v2 variant knowledge is audited in its curated fragments (their own sources and dates); the merged
    # erbb2_kb_v2.yaml built from them would list every finding twice.
    files = [data / DEFAULT_KB] if DEFAULT_KB != BUNDLED["v2"] else []
    files += sorted((data / "erbb2_kb_v2").glob("*.yaml"))
    files += [data / guidance.NEXT_STEPS, data / trials.TRIALS]
    return [f for f in files if f.is_file()]


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _checked(item: dict) -> tuple[str | None, dt.date | None]:
    for key in _DATE_KEYS:
        if key in item:
            return str(item[key]), _date(item[key])
    return None, None


def _citations(node) -> list[str]:
    """Every citation key anywhere inside an entry (evidence items, figures ...)."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("citations", "sources") and isinstance(value, list):
                out += [str(v) for v in value]
            else:
                out += _citations(value)
    elif isinstance(node, list):
        for value in node:
            out += _citations(value)
    return out


def _name(item: dict, section: str, index: int) -> str:
    for key in _NAME_KEYS:
        if item.get(key):
            return f"{section}: {item[key]}" + (f" ({item['acronym']})" if key != "acronym" and item.get("acronym") else "")
    return f"{section}[{index}]"


def _entries(raw: dict):
    """(section name, index, entry) for every keyed entry: top-level lists of mappings and one
    level of mappings of lists (e.g. actionability: {escat: [...]})."""
    for section, value in raw.items():
        if section == "sources":
            continue
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield section, i, item
        elif isinstance(value, dict):
            for sub, items in value.items():
                if isinstance(items, list):
                    for i, item in enumerate(items):
                        if isinstance(item, dict):
                            yield f"{section}/{sub}", i, item


def _age(date: dt.date | None, as_of: dt.date, stale_days: int) -> str | None:
    if date is not None and (as_of - date).days > stale_days:
        return f"checked {(as_of - date).days} days before {as_of.isoformat()} (limit {stale_days})"
    return None


def audit_file(path: Path, as_of: dt.date, stale_days: int = STALE_AFTER_DAYS) -> list[Finding]:
    try:
        raw = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"cannot read {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{path}: not a knowledge file (a mapping of sections)")
    name = path.name if path.parent.name != "erbb2_kb_v2" else f"erbb2_kb_v2/{path.name}"
    out: list[Finding] = []
    sources = raw.get("sources") or {}
    secondary = {k for k, s in sources.items() if isinstance(s, dict) and s.get("kind") == "secondary"}
    for key, source in sources.items():
        if not isinstance(source, dict):
            continue
        text, date = _checked(source)
        if key in secondary:
            out.append(Finding(name, f"source {key}", Problem.secondary, text, str(source.get("how", ""))))
        stale = _age(date, as_of, stale_days)
        if stale:
            out.append(Finding(name, f"source {key}", Problem.stale, text, stale))
    for section, i, item in _entries(raw):
        entry = _name(item, section, i)
        text, date = _checked(item)
        cites = list(dict.fromkeys(_citations(item)))
        if item.get("verified") is False:
            out.append(Finding(name, entry, Problem.unverified, text, _unverified_detail(item)))
        stale = _age(date, as_of, stale_days)
        if stale:
            out.append(Finding(name, entry, Problem.stale, text, stale))
        elif text is None and cites:
            out.append(Finding(name, entry, Problem.undated, None, "cites sources but carries no checked date"))
        weak = [c for c in cites if c in secondary]
        if weak:
            only = "only secondary sources" if len(weak) == len(cites) else "secondary among its sources"
            out.append(Finding(name, entry, Problem.secondary_sourced, text, f"{only}: {', '.join(weak)}"))
    return out


def _unverified_detail(item: dict) -> str:
    if "status" in item and "status_as_of" in item:
        return f"status {item['status']} not read from a registry record"
    return "marked verified: false"


def audit(files: list[Path] | None = None, as_of: dt.date | None = None,
          stale_days: int = STALE_AFTER_DAYS) -> list[Finding]:
    when = as_of or dt.date.today()
    out: list[Finding] = []
    for path in files or default_files():
        out += audit_file(Path(path), when, stale_days)
    return out
