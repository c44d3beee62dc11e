"""The report's freshness flag and the release audit call a fact stale after the same number of days:
the threshold is defined once (knowledge.guidance) and the audit reads that definition."""

import ast
from pathlib import Path

from her2scope.knowledge import audit, guidance


def test_report_and_audit_share_one_stale_threshold():
    assert guidance.STALE_AFTER_DAYS == audit.STALE_AFTER_DAYS == 180


def test_audit_does_not_define_its_own_threshold():
    tree = ast.parse(Path(audit.__file__).read_text())
    assigned = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name)]
    assert "STALE_AFTER_DAYS" not in assigned


def test_cli_default_is_the_same_threshold():
    # The CLI spells the default out (importing the knowledge at CLI start-up would cost pydantic's import).
    import inspect

    from her2scope.cli_knowledge import knowledge_audit

    assert inspect.signature(knowledge_audit).parameters["stale_days"].default == guidance.STALE_AFTER_DAYS
