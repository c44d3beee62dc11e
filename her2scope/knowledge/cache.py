"""A cache of the validated, merged bundled knowledge base, so that a command line run does not
import pydantic and PyYAML and re-check every fragment each time (about 0.15-0.2 s of start-up).

Safety, because a cache must never be a source of stale or foreign results:
- the entry's name is the sha256 of everything the result depends on: the package version, the
  Python version, the source of the code that reads and checks the files (``code_files``), the path as
  given and the main file's bytes; the entry records the sha256 of every other file that went
  into it (fragments, the hotspot table) and is used only when each still matches;
- it is written to a temporary file and renamed (atomic), so a reader never sees half an entry;
- an entry that cannot be read, is not ours (owner, permissions), or does not hold a
  KnowledgeBase is ignored: the files are loaded and checked as without a cache;
- only the knowledge bases bundled with the package are cached (a curator's own file is checked
  on every run, which is what editing it needs).

Where: ``$HER2SCOPE_CACHE_DIR``, else ``$XDG_CACHE_HOME/her2scope``, else ``~/.cache/her2scope``;
``HER2SCOPE_CACHE_DIR=""`` (empty) turns the cache off. One entry per knowledge-base path is kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .._version import __version__

FORMAT = b"her2scope-knowledge-cache/1"
_PACKAGE = Path(__file__).resolve().parent.parent
# The code whose behaviour decides what a knowledge file loads to (or whether it loads at all): these
# modules, and every file of the packages the loader's protein-change checks run on (hgvs, and genome
# with the NP_004439.2 reference it reads), so that a change to any of them is a different entry.
CODE = ("knowledge/loader.py", "knowledge/models.py", "knowledge/cache.py", "knowledge/yaml_files.py",
        "knowledge/__init__.py", "vocabulary.py", "errors.py", "_version.py", "__init__.py")
CODE_PACKAGES = ("hgvs", "genome")


def code_files() -> list[Path]:
    """Every file whose bytes go into an entry's name besides the knowledge files themselves."""
    files = [_PACKAGE / name for name in CODE]
    for package in CODE_PACKAGES:
        files += sorted(p for p in (_PACKAGE / package).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def cache_dir() -> Path | None:
    configured = os.environ.get("HER2SCOPE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "her2scope"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry_path(folder: Path, source: Path) -> Path:
    h = hashlib.sha256(FORMAT)
    for part in (__version__, sys.version, str(source), _sha256(source)):
        h.update(part.encode() + b"\0")
    for path in code_files():
        h.update(_sha256(path).encode())
    return folder / f"kb-{_prefix(source)}-{h.hexdigest()}.pickle"


def _prefix(source: Path) -> str:
    return hashlib.sha256(str(source).encode()).hexdigest()[:16]


def _read(entry: Path, kind: type):
    """The cached object, or None when the entry is absent, unreadable, foreign or stale."""
    try:
        with open(entry, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None          # written by someone else, or writable by others: not trusted
            data = pickle.load(fh)
        value, inputs = data["value"], data["inputs"]
        if not isinstance(value, kind) or any(_sha256(Path(p)) != digest for p, digest in inputs.items()):
            return None
        return value
    except Exception:       # noqa: BLE001  (any broken entry is a miss, never an error)
        return None


def _write(entry: Path, value, inputs: Iterable[Path]) -> None:
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps({"value": value, "inputs": {str(p): _sha256(p) for p in inputs}},
                            protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".kb-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in entry.parent.glob(f"kb-{entry.name.split('-')[1]}-*.pickle"):
            if old != entry:
                old.unlink(missing_ok=True)      # the same path's entry for older files or code
    except Exception:       # noqa: BLE001  (a read-only or full disk only costs the speed-up)
        pass


def cached(source: Path, kind: type, load: Callable[[], object],
           inputs: Callable[[object], Iterable[Path]]):
    """``load()``, or its cached result for ``source``; ``inputs(value)``: the other files it read."""
    folder = cache_dir()
    if folder is None:
        return load()
    try:
        entry = _entry_path(folder, source)
    except OSError:
        return load()             # the main file cannot be read: let the loader name the problem
    value = _read(entry, kind)
    if value is None:
        value = load()
        _write(entry, value, inputs(value))
    return value
