"""Reading a knowledge YAML file and naming what in it failed validation: shared by the variant
knowledge (loader.py), the next-steps knowledge (guidance.py) and the trial list (trials.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import KnowledgeBaseError

Ident = Callable[[dict], str | None]


def read_yaml(path: str | Path) -> Any:
    """The file's YAML; a file that cannot be read, or is not YAML, is a KnowledgeBaseError naming
    the file (and the line and column of a syntax error)."""
    import yaml  # lazy: start-up (a warm knowledge cache means annotate never loads PyYAML)

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"cannot read {path}: {exc}") from None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when available
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KnowledgeBaseError(f"{path}: not valid YAML{at}: {problem}") from None


def where(raw: dict, loc: tuple, ident: Ident) -> str:
    """``trials[3] (NCT05048797): status`` for a pydantic error location; ``ident`` names a list entry."""
    parts: list[str] = []
    node: Any = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and parts:
            entry = node[key] if key < len(node) else None
            name = ident(entry) if isinstance(entry, dict) else None
            parts[-1] += f"[{key}]" + (f" ({name})" if name else "")
            node = entry
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    if len(parts) > 1:
        return ".".join(parts[:-1]) + ": " + parts[-1]
    return parts[0] if parts else "(file)"


def validation_error(exc: Any, raw: dict, prefix: str, ident: Ident) -> KnowledgeBaseError:
    """One error naming up to 20 problems, each with its entry and field. ``exc``: a pydantic
    ValidationError. The offending value is shown except for a missing field or a whole-entry check
    (a model validator's input is the entire entry)."""
    problems = []
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        at = where(raw, tuple(err["loc"]), ident)
        problems.append(f"{at}: {msg}" if err["type"] in ("missing", "value_error")
                        else f"{at}: {msg} (got {err.get('input')!r})")
    return KnowledgeBaseError(prefix + "; ".join(problems[:20])
                              + (f"; and {len(problems) - 20} more" if len(problems) > 20 else ""))
