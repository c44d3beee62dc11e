"""The knowledge cache's entry name hashed a hand-kept list of modules that missed code the loader runs
(hgvs/location.py, genome/transcript.py and the NP_004439.2 reference it reads for the protein-change
checks): changing them could serve a knowledge base the current code would refuse. Now every her2scope
module a fresh, uncached load imports is among the files hashed into the entry's name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from her2scope.knowledge import cache

_PROBE = """
import json, sys
from her2scope.knowledge.loader import _load, resolve
_load(resolve(None))
print(json.dumps(sorted(m.__file__ for name, m in list(sys.modules.items())
                        if name.split('.')[0] == 'her2scope' and getattr(m, '__file__', None))))
"""


def _modules_a_load_imports() -> set[Path]:
    env = {**os.environ, "HER2SCOPE_CACHE_DIR": ""}            # no cache: the full load and checks
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True,
                         env=env).stdout
    return {Path(f).resolve() for f in json.loads(out)}


def test_every_module_a_load_imports_is_in_the_entry_name():
    hashed = {p.resolve() for p in cache.code_files()}
    loaded = _modules_a_load_imports()
    assert any(p.name == "transcript.py" for p in loaded)       # the probe really ran the checks
    assert loaded - hashed == set()


def test_the_reference_protein_is_in_the_entry_name():
    assert any(p.name == "NP_004439.2.fa" for p in cache.code_files())


def test_a_change_to_a_checking_module_is_a_different_entry(tmp_path, monkeypatch):
    main = tmp_path / "kb.yaml"
    main.write_text("knowledge_version: 2.0.0\n")
    before = cache._entry_path(tmp_path, main)
    fake = tmp_path / "pkg"
    for p in cache.code_files():
        target = fake / p.relative_to(cache._PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(p.read_bytes())
    monkeypatch.setattr(cache, "_PACKAGE", fake)
    assert cache._entry_path(tmp_path, main) == before          # same bytes: same entry
    (fake / "hgvs" / "location.py").write_text("# changed\n")
    assert cache._entry_path(tmp_path, main) != before
