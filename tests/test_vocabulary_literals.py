"""Code compares a vocabulary value with its enum member, never with the bare text (issue 11, item 3).

A typo in ``status == "not_detcted"`` is silently False for ever; ``Status.not_detcted`` fails at
once. The scan walks every module of her2scope/ (AST, not text: comments, docstrings and
output strings are not comparisons) and reports each comparison (``==``, ``!=``, ``in``,
``not in``) and ``match``/``case`` pattern whose string constant is the value of a member of
the result vocabularies below, and each dict whose keys are all such values. A tuple of
constants counts only when all its strings are vocabulary values: a parser's
``("yes", "present", "positive")`` is free text, not the vocabulary.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jinja2
from jinja2 import nodes

from her2scope.vocabulary import Oncogenicity, Status, TestState, TrialVerdict, VariantStatus, Verdict

PACKAGE = Path(__file__).resolve().parents[1] / "her2scope"
# The vocabularies a result, a test or a decision is stated in. Words such as "tissue", "US",
# "yes" or "other" (Specimen, Region, BrainMetastases, Assay) are left out on purpose: they are
# also plain words of inputs and options, and matching them would flag unrelated strings.
VOCABULARIES = (Status, TestState, Oncogenicity, Verdict, TrialVerdict, VariantStatus)
WORDS = frozenset(m.value for e in VOCABULARIES for m in e)

# (path under her2scope/, the comparison as ast.unparse writes it) -> why it stays.
ALLOWED = {
    # Parsers of outside text: the word is the input's, checked before it becomes a member.
    ("registry/fhir_import.py", "value.strip().lower() == 'failed'"): "FHIR text before parsing",
    ("registry/rows.py", "n2 != 'resulted'"): "the name of a date column in a message",
}


def _strings(node: ast.AST) -> list[str] | None:
    """The string constants a comparison operand stands for: one constant, or a tuple/list/set
    of constants all of which are vocabulary words; None when the operand is anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and node.elts:
        values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(values) == len(node.elts) and all(v in WORDS for v in values):
            return values
    return None


def _smallest_comparison(compare: ast.Compare, operand: ast.AST) -> str:
    """``a == 'x'`` out of ``a == 'x' == b``: the one link of a chained comparison at fault."""
    operands = [compare.left, *compare.comparators]
    i = next(i for i, o in enumerate(operands) if o is operand)
    j = i if i > 0 else 1
    return ast.unparse(ast.Compare(operands[j - 1], [compare.ops[j - 1]], [operands[j]]))


def literal_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, comparison) for every bare vocabulary literal compared in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                words = _strings(operand)
                if words and any(w in WORDS for w in words):
                    found.append((node.lineno, _smallest_comparison(node, operand)))
        elif isinstance(node, ast.MatchValue) and isinstance(node.value, ast.Constant) \
                and node.value.value in WORDS:
            found.append((node.lineno, f"case {node.value.value!r}"))
        elif isinstance(node, ast.Dict) and len(node.keys) > 1 and all(
                isinstance(k, ast.Constant) and k.value in WORDS for k in node.keys):
            found.append((node.lineno, "dict keyed by " + ", ".join(repr(k.value) for k in node.keys)))  # type: ignore[union-attr]
    return sorted(found)


def _scan() -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for line, text in literal_comparisons(path.read_text(encoding="utf-8")):
            out.setdefault((rel, text), []).append(line)
    return out


def test_no_bare_vocabulary_literal_is_compared_in_the_package():
    found = _scan()
    new = [f"her2scope/{rel}:{lines[0]}: {text}" for (rel, text), lines in found.items()
           if (rel, text) not in ALLOWED]
    assert not new, ("compare with the enum member (her2scope.vocabulary), not its text:\n"
                     + "\n".join(new))


def test_the_allowlist_names_only_comparisons_that_still_exist():
    stale = sorted(set(ALLOWED) - set(_scan()))
    assert not stale, f"converted: remove from ALLOWED in {__name__}: {stale}"


def test_the_scan_finds_each_form_and_ignores_unrelated_strings():
    source = '''
if d.status == "positive": pass
if "failed" != t.status: pass
if t.status in ("ordered", "received"): pass
if o.verdict not in {"on_label", "needs_information"}: pass
rank = {"match": 0, "possible": 1}
match x:
    case "not_detected": pass
# unrelated words, enum members and free-text parsers are not flagged:
if fmt == "vcf" or d.status is Status.positive or t.status == TestState.failed: pass
if answer in ("yes", "present", "positive"): pass
text = "failed" if bad else "resulted"
labels = {"failed": 1, "total": 2}
'''
    assert literal_comparisons(source) == [
        (2, "d.status == 'positive'"), (3, "'failed' != t.status"), (4, "t.status in ('ordered', 'received')"),
        (5, "o.verdict not in {'on_label', 'needs_information'}"), (6, "dict keyed by 'match', 'possible'"),
        (8, "case 'not_detected'")]


def test_every_vocabulary_word_is_its_members_name():
    """The registry binds the text (``.value``), but psycopg would bind a bare Enum by its
    name: equal names and values keep the stored bytes the same either way."""
    assert all(m.name == m.value for e in VOCABULARIES for m in e)


# Templates too (Jinja's own parser): they get the enums as globals (web/templating.py, report/html.py).
def template_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, constant) of each comparison in a Jinja template with a vocabulary word."""
    found = []
    for compare in jinja2.Environment().parse(source).find_all(nodes.Compare):
        for operand in [compare.expr] + [op.expr for op in compare.ops]:
            items = operand.items if isinstance(operand, (nodes.Tuple, nodes.List)) else [operand]
            words = [i.value for i in items if isinstance(i, nodes.Const) and isinstance(i.value, str)]
            if words and len(words) == len(items) and any(w in WORDS for w in words):
                found.append((compare.lineno, ", ".join(repr(w) for w in words)))
    return found


def test_no_bare_vocabulary_literal_is_compared_in_a_template():
    found = [f"{path.relative_to(PACKAGE)}:{line}: {text}"
             for path in sorted(PACKAGE.rglob("templates/*")) if path.suffix in (".html", ".j2")
             for line, text in template_comparisons(path.read_text(encoding="utf-8"))]
    assert not found, "compare with the enum member (a template global), not its text:\n" + "\n".join(found)


def test_the_template_scan_finds_each_form():
    source = ('{% if t.status == "retracted" %}x{% endif %}{{ "a" if o.verdict != "on_label" }}'
              '{% if d.status in ("failed", "not_assessed") %}y{% endif %}{% if f.dir == "desc" %}z{% endif %}'
              '{% if t.status == TestState.failed %}ok{% endif %}')
    assert [text for _, text in template_comparisons(source)] == ["'retracted'", "'on_label'",
                                                                  "'failed', 'not_assessed'"]
