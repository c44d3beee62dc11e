"""A malformed --knowledge file (not YAML, wrong top-level type, missing keys, a typo) gave a Python
traceback (KeyError/AttributeError) from annotate; now every command names the file, entry and field."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = [
    ("knowledge_version: [unclosed\n", "not valid YAML"),
    ("- a\n- list\n", "must be a YAML mapping"),
    ("released: '2026-12-01'\n", "field knowledge_version: required key is missing"),
    ("knowledge_version: '2.0.0'\nreleased: '2026-12-01'\n", "required key is missing"),
]


def _run(*args):
    return subprocess.run([sys.executable, "-c", "from her2scope.cli import app; app()", *args],
                          capture_output=True, text=True)


@pytest.mark.parametrize("text,expect", CASES)
def test_annotate(tmp_path, text, expect):
    bad = tmp_path / "kb.yaml"
    bad.write_text(text)
    run = _run("annotate", "--knowledge", str(bad), "p.G776V")
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and expect in run.stderr and str(bad) in run.stderr


@pytest.mark.parametrize("text,expect", CASES[:2])
def test_knowledge_show_and_diff(tmp_path, text, expect):
    bad = tmp_path / "kb.yaml"
    bad.write_text(text)
    for args in (("knowledge", "show", "--knowledge", str(bad)), ("knowledge", "diff", "v1", str(bad))):
        run = _run(*args)
        assert run.returncode != 0 and "Traceback" not in run.stderr, (args, run.stderr)
        assert run.stderr.startswith("her2scope: ")
