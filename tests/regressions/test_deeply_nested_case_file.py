"""Issue 8 item 12: a deeply nested case file ended in a RecursionError traceback.

The failing input from the issue: a YAML or JSON case whose value is a list nested a few thousand
levels deep. Now it is refused like every other malformed case file: exit 1, one message naming
the file, no traceback. A YAML alias "bomb" (a short file that expands to ~390 million values) is
refused the same way, quickly.
"""

from __future__ import annotations

import pytest
from conftest import assert_no_traceback, run_cli

from her2scope.case.schema import MAX_DEPTH, CaseError, load_case

CLINICAL = '"clinical": {"histology": "adenocarcinoma", "stage": "IV", "region": "US"}'
DEPTH = 3000


def _files(tmp_path):
    nested = "[" * DEPTH + "]" * DEPTH
    files = {
        "notes.json": '{"case_id": "X", ' + CLINICAL + ', "notes": ' + nested + "}",
        "top.json": nested,
        "notes.yaml": "case_id: X\nclinical: {histology: adenocarcinoma, stage: IV, region: US}\nnotes: "
                      + nested + "\n",
        "top.yaml": nested + "\n",
        "block.yaml": "".join("  " * i + "-\n" for i in range(DEPTH)),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return [tmp_path / n for n in files]


def test_library_refuses_with_a_case_error(tmp_path):
    for path in _files(tmp_path):
        with pytest.raises(CaseError, match="nested"):
            load_case(path)


def test_moderate_nesting_the_parsers_accept_is_refused_too(tmp_path):
    path = tmp_path / "forty.json"
    path.write_text('{"case_id": "X", ' + CLINICAL + ', "notes": ' + "[" * 40 + "]" * 40 + "}")
    with pytest.raises(CaseError, match=f"more than {MAX_DEPTH} levels"):
        load_case(path)


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("case_id: X\n" + "\n".join(lines) + "\n")
    with pytest.raises(CaseError, match="values"):
        load_case(path)


@pytest.mark.parametrize("name", ["notes.json", "notes.yaml", "block.yaml"])
def test_cli_exit_1_with_a_message_and_no_traceback(tmp_path, name):
    _files(tmp_path)
    run = run_cli("report", tmp_path / name, "-o", tmp_path / "r.json")
    assert_no_traceback(run)
    assert run.returncode == 1
    assert "nested too deeply" in run.stderr and name in run.stderr
    assert not (tmp_path / "r.json").exists()
