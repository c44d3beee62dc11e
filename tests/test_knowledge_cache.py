"""The validated-knowledge cache (knowledge/cache.py) and the lean start-up path (issue 14).

The cache may only ever save time: an entry is used when every file and the code that made it
are unchanged, and anything odd about an entry (stale, corrupt, foreign) means a normal load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from her2scope.knowledge import cache
from her2scope.knowledge.loader import KnowledgeBase, _load, load_knowledge, resolve

ROOT = Path(__file__).resolve().parents[1]
DEMO_VCF = ROOT / "her2scope" / "demo_data" / "patient01_yvma_grch38.vcf"


def _python(code: str, cache_dir: Path) -> str:
    env = {**os.environ, "HER2SCOPE_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT, env=env).stdout


def test_cached_knowledge_base_equals_the_checked_files_and_skips_pydantic(tmp_path):
    code = ("import sys, json, pickle; from her2scope.knowledge.loader import load_knowledge; "
            "kbs = [load_knowledge(n) for n in (None, 'v1')]; "
            "sys.stdout.buffer.write(pickle.dumps((kbs, sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))))")
    env = {**os.environ, "HER2SCOPE_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT, env=env).stdout
            for _ in range(2)]
    import pickle

    (first, first_mods), (second, second_mods) = (pickle.loads(r) for r in runs)
    assert first_mods == ["pydantic", "yaml"]            # the first run checked the files
    assert second_mods == []                             # the second used the cache
    assert len(list(tmp_path.glob("kb-*.pickle"))) == 2   # one entry per bundled generation
    fresh = [_load(resolve(n)) for n in (None, "v1")]     # checked now, in this process, no cache
    assert second == fresh and first == fresh
    assert second[0].rules and second[0].rules[0].exceptions == fresh[0].rules[0].exceptions


def test_annotate_start_up_imports_no_validation_or_registry_libraries(tmp_path):
    """With the cache warm, annotating imports neither the knowledge models nor PyYAML, nor any
    library of another command. (typer >= 0.2x itself imports pydantic to coerce its options, so
    the command line is checked for our models; the library call for pydantic as well.)"""
    heavy = "{'yaml', 'sqlalchemy', 'fastapi', 'numpy', 'pandas', 'duckdb', 'pyspark', 'matplotlib'}"
    cli = ("import sys; from her2scope.cli import main; sys.argv = ['her2scope', 'annotate', '-q', "
           f"{str(DEMO_VCF)!r}, '-o', {str(tmp_path / 'out.jsonl')!r}]\n"
           "try:\n    main()\nexcept SystemExit:\n    pass\n"
           f"print(sorted(({{m.split('.')[0] for m in sys.modules}} & {heavy}) | "
           "({'her2scope.knowledge.models'} & set(sys.modules))))")
    library = ("import sys; from her2scope import annotate_inputs; "
               f"items = list(annotate_inputs([{str(DEMO_VCF)!r}])); "
               f"print(len(items), sorted({{m.split('.')[0] for m in sys.modules}} & ({heavy} | {{'pydantic'}})))")
    _python(cli, tmp_path)                                        # fills the cache
    assert _python(cli, tmp_path).strip() == "[]"
    assert json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])["protein_change"] == "p.Y772_A775dup"
    assert _python(library, tmp_path).strip() == "1 []"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    main, extra = tmp_path / "main.yaml", tmp_path / "fragment.yaml"
    main.write_text("knowledge_version: 2.0.0\n")
    extra.write_text("variants: []\n")
    return main, extra


def _counting_load(calls: list):
    def load():
        calls.append(1)
        return {"loaded": len(calls)}
    return load


def test_an_entry_is_used_only_while_every_input_is_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("HER2SCOPE_CACHE_DIR", str(tmp_path / "cache"))
    main, extra = _files(tmp_path)
    calls: list = []
    get = lambda: cache.cached(main, dict, _counting_load(calls), lambda _: [main, extra])  # noqa: E731
    assert get() == {"loaded": 1}
    assert get() == {"loaded": 1} and len(calls) == 1           # served from the entry
    extra.write_text("variants: [changed]\n")                   # a fragment changed
    assert get() == {"loaded": 2}
    main.write_text("knowledge_version: 2.0.1\n")               # the main file changed
    assert get() == {"loaded": 3}
    assert get() == {"loaded": 3} and len(calls) == 3
    assert len(list((tmp_path / "cache").glob("kb-*.pickle"))) == 1   # older entries of the path removed


def test_code_change_is_a_different_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("HER2SCOPE_CACHE_DIR", str(tmp_path / "cache"))
    main, _ = _files(tmp_path)
    before = cache._entry_path(tmp_path / "cache", main)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    assert cache._entry_path(tmp_path / "cache", main) != before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong type", "world-writable"])
def test_a_broken_or_untrusted_entry_is_ignored(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("HER2SCOPE_CACHE_DIR", str(tmp_path / "cache"))
    main, extra = _files(tmp_path)
    calls: list = []
    get = lambda kind=dict: cache.cached(main, kind, _counting_load(calls), lambda _: [extra])  # noqa: E731
    get()
    (entry,) = (tmp_path / "cache").glob("kb-*.pickle")
    if damage == "garbage":
        entry.write_bytes(b"not a pickle")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:20])
    elif damage == "world-writable":
        entry.chmod(0o666)
    kind = KnowledgeBase if damage == "wrong type" else dict
    result = get(kind)
    assert len(calls) == 2 and result == {"loaded": 2}


def test_empty_cache_dir_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("HER2SCOPE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    main, _ = _files(tmp_path)
    calls: list = []
    for _ in range(2):
        cache.cached(main, dict, _counting_load(calls), lambda _: [])
    assert len(calls) == 2 and not list(tmp_path.rglob("*.pickle"))


def test_unwritable_cache_dir_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("HER2SCOPE_CACHE_DIR", str(blocker / "sub"))   # cannot be created
    main, _ = _files(tmp_path)
    assert cache.cached(main, dict, lambda: {"ok": True}, lambda _: []) == {"ok": True}


def test_a_curators_own_file_is_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("HER2SCOPE_CACHE_DIR", str(tmp_path / "cache"))
    bundled = resolve("v1")
    own = tmp_path / "my_kb.yaml"
    own.write_bytes(bundled.read_bytes())
    load_knowledge.cache_clear()
    try:
        kb = load_knowledge(str(own))
    finally:
        load_knowledge.cache_clear()
    assert kb.version == "1.0.0" and not (tmp_path / "cache").exists()
