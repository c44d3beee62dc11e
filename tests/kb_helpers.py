"""Copies of the bundled v2 knowledge base (main file + fragments) that a test may edit."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import yaml

DATA = Path(str(resources.files("her2scope.knowledge") / "data"))
V2_MAIN = DATA / "erbb2_kb_v2.yaml"
V1 = DATA / "erbb2_kb_v1.yaml"


def copy_v2(tmp_path: Path) -> Path:
    """A private copy of the v2 tree; returns the main file's path."""
    root = tmp_path / "kb"
    root.mkdir(exist_ok=True)
    shutil.copy(V2_MAIN, root / V2_MAIN.name)
    shutil.copytree(DATA / "erbb2_kb_v2", root / "erbb2_kb_v2", dirs_exist_ok=True)
    return root / V2_MAIN.name


def fragments(main: Path) -> list[Path]:
    raw = yaml.safe_load(main.read_text())
    return [main.parent / f for f in raw["fragments"]]


def edit(path: Path, change) -> None:
    """Load ``path``, let ``change(raw)`` edit it in place, write it back."""
    raw = yaml.safe_load(path.read_text())
    change(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True))


def fragment_with(main: Path, protein_change: str) -> Path:
    """The first fragment that curates ``protein_change``."""
    for f in fragments(main):
        raw = yaml.safe_load(f.read_text())
        if any(v["protein_change"] == protein_change for v in raw.get("variants") or ()):
            return f
    raise LookupError(protein_change)


def set_call(main: Path, protein_change: str, call: str) -> None:
    """Give ``protein_change`` the call ``call`` in every fragment that curates it."""
    for f in fragments(main):
        def change(raw):
            for v in raw.get("variants") or ():
                if v["protein_change"] == protein_change:
                    v["oncogenicity"] = call
        edit(f, change)


def add_variant(main: Path, entry: dict, fragment: Path | None = None) -> None:
    target = fragment or fragments(main)[0]
    edit(target, lambda raw: raw.setdefault("variants", []).append(entry))
