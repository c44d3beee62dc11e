"""The CLI builds only the command a line names (start-up, issue 14); what the user sees must
not change: every command's help, usage errors and the unknown-command message are the same
as from the whole command tree."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
import typer

from her2scope import cli
from her2scope.cli import _command_tree, app
from her2scope.cli_help import polish


def _main(argv: list[str], monkeypatch, capsys, *, whole: bool) -> tuple[object, str, str]:
    """Exit code, standard output and standard error of ``her2scope ARGV`` run in-process by
    ``cli.main``, with the slim tree or (``whole``) the whole tree."""
    with monkeypatch.context() as m:
        m.setenv("COLUMNS", "100")
        m.setattr(sys, "argv", ["her2scope", *argv])
        if whole:
            m.setattr(cli, "_command_tree", lambda argv: app)
        with pytest.raises(SystemExit) as stop:
            cli.main()
    out = capsys.readouterr()
    return stop.value.code, out.out, out.err


def _lines() -> list[list[str]]:
    whole = polish(typer.main.get_command(app))
    lines = []
    for name, command in whole.commands.items():  # type: ignore[attr-defined]
        lines.append([name, "--help"])
        lines.append(["-q", name, "--help"])
        for sub in getattr(command, "commands", {}):
            lines.append([name, sub, "--help"])
    return lines


@pytest.mark.parametrize("argv", _lines(), ids=" ".join)
def test_help_of_every_command_is_that_of_the_whole_tree(argv, monkeypatch, capsys):
    assert _command_tree(argv) is not app                # the slim tree is what runs
    slim = _main(argv, monkeypatch, capsys, whole=False)
    assert slim[0] == 0 and "Usage: her2scope" in slim[1]
    assert slim == _main(argv, monkeypatch, capsys, whole=True)


@pytest.mark.parametrize("argv", [["annotate"], ["report"], ["knowledge", "nosuch"], ["cohort"],
                                  ["annotate", "--no-such-option", "x.vcf"]])
def test_usage_errors_are_those_of_the_whole_tree(argv, monkeypatch, capsys):
    slim = _main(argv, monkeypatch, capsys, whole=False)
    assert slim[0] != 0 and "Usage: her2scope" in slim[1] + slim[2]
    assert slim == _main(argv, monkeypatch, capsys, whole=True)


@pytest.mark.parametrize("argv", [[], ["--help"], ["anotate", "x.vcf"], ["--version"]])
def test_no_known_command_keeps_the_whole_tree(argv):
    assert _command_tree(argv) is app


def test_slim_tree_holds_only_the_named_command():
    slim = typer.main.get_command(_command_tree(["-v", "annotate", "x.vcf"]))
    assert list(slim.commands) == ["annotate"]  # type: ignore[attr-defined]
    assert len(app.registered_commands) > 5      # the shared app itself is left whole


def test_shell_completion_gets_the_whole_tree(monkeypatch):
    monkeypatch.setenv("_HER2SCOPE_COMPLETE", "bash_complete")
    assert _command_tree(["annotate"]) is app


def test_annotate_loads_no_other_command_module():
    """annotate and demo are defined in cli.py: their runs import none of the other cli_* modules
    (registry, web, cohort, report...), which cost start-up about 10 ms."""
    code = ("import sys, typer; import her2scope.cli as c; "
            "typer.main.get_command(c._command_tree(['-q', 'annotate', 'x.vcf'])); "
            "print(sorted(m for m in sys.modules if m.startswith('her2scope.cli_')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["['her2scope.cli_help']"]


def test_app_is_the_whole_tree_whatever_was_run_before():
    code = ("import typer; import her2scope.cli as c; c._command_tree(['annotate']); "
            "g = typer.main.get_command(c.app); print(sorted(g.commands))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert {"annotate", "demo", "report", "serve", "sweep", "doctor", "burden", "knowledge", "cohort",
            "registry"} <= set(ast.literal_eval(out))
