"""The package's shape rules that no linter in `make test` checks (issue 11).

Ruff checks cyclomatic complexity (C90, max 15, pyproject.toml). Ruff has no rule for a
function's length (counted here from its first decorator to its last line), and none for why an
import sits inside a function, so these two are read from the syntax tree of every module in
`her2scope/`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "her2scope"
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def function_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Every line of the function: decorators, signature, docstring and body (the strictest
    count; a long Typer signature or docstring counts too)."""
    start = min([d.lineno for d in function.decorator_list] + [function.lineno])
    return (function.end_lineno or function.lineno) - start + 1


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    return [(f.name, function_lines(f)) for f in _functions(ast.parse(source)) if function_lines(f) > limit]


def unexplained_local_imports(source: str) -> list[int]:
    """Line numbers of imports inside a function with no comment saying why it is lazy.

    The reason (`# lazy: <why>`, "lazily: ...") stands on the import's lines or the 3 lines above.
    """
    lines = source.splitlines()
    found: set[int] = set()
    for function in _functions(ast.parse(source)):
        imports = sorted(
            (node for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))),
            key=lambda node: node.lineno,
        )
        for run in _adjacent_runs(imports, lines):
            window = lines[max(0, run[0].lineno - 4) : run[-1].end_lineno]
            if not any(_comment_says_lazy(line) for line in window):
                found.update(node.lineno for node in run)
    return sorted(found)


def _comment_says_lazy(line: str) -> bool:
    comment = line.split("#", 1)[1].lower() if "#" in line else ""
    return "lazy" in comment or "lazily" in comment


def _adjacent_runs(imports: list[ast.stmt], lines: list[str]) -> list[list[ast.stmt]]:
    """Imports one after the other (blank lines between allowed) share one reason."""
    runs: list[list[ast.stmt]] = []
    for node in imports:
        previous_end = (runs[-1][-1].end_lineno or runs[-1][-1].lineno) if runs else 0
        if runs and all(not line.strip() for line in lines[previous_end : node.lineno - 1]):
            runs[-1].append(node)
        else:
            runs.append([node])
    return runs


# The checks themselves, on hand-written sources whose answer is known.
def test_long_function_is_found_counting_signature_docstring_and_decorators() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(58))
    assert long_functions(f"def f():\n{body}\n    return 1\n") == []                      # 60 lines
    assert long_functions(f"@d\ndef f():\n{body}\n    return 1\n") == [("f", 61)]        # + a decorator
    docstring = '    """' + "\n" * 2 + '    """\n'
    assert long_functions(f"def f(\n    a,\n):\n{docstring}{body}\n") == [("f", 64)]


def test_local_import_needs_a_reason() -> None:
    source = (
        "def f():\n    import os\n    return os\n\n"
        "def g():\n    # lazy: start-up\n    import json\n\n"
        "def h():\n    lazy = 1\n    import csv\n\n"
        "def k():\n    # lazy: start-up\n    import a\n    import b\n    import c\n\n    import d\n    x = 1\n    import e\n"
    )
    assert unexplained_local_imports(source) == [2, 11, 21]


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_function_over_sixty_lines(module: Path) -> None:
    assert long_functions(module.read_text()) == []


@pytest.mark.parametrize("module", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_import_inside_a_function_says_why(module: Path) -> None:
    assert unexplained_local_imports(module.read_text()) == []
