"""Property tests of the REST API against its own OpenAPI description (schemathesis).

Every operation gets generated requests (by its schema) with a valid admin token; the checks:
no 5xx, responses match the documented schema, status codes and content types are documented
ones, and the operation refuses a request whose token is dropped (``ignored_auth``). Every
JSON answer has a response model (web/schemas.py), so "matches the documented schema" checks
field names, types and vocabularies (e.g. a HER2 picture status outside the Status enum fails).
Bounded: a few examples per operation, no deadline, derandomized.
"""

from __future__ import annotations

import pytest

pytest.importorskip("schemathesis")
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from web_helpers import make_app, make_registry

MAX_EXAMPLES = 6


def _spec() -> dict:
    """The OpenAPI description, as the app serves it (no database needed to describe it)."""
    return _app_without_registry().openapi()


def _app_without_registry():
    from her2scope.web.app import create_app
    from her2scope.web.config import WebSettings

    return create_app(WebSettings(secure_cookies=False, precompute_figures=False, secret_key="z" * 40),
                      registry=object())


SCHEMA = schemathesis.openapi.from_dict(_spec())
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}


@pytest.fixture(scope="module")
def api_context(tmp_path_factory):
    reg, _users = make_registry(tmp_path_factory.mktemp("schemathesis") / "r.db")
    app = make_app(reg)
    SCHEMA.app = app          # calls go straight into the ASGI app
    for op in OPERATIONS.values():
        op.app = app
    # A fresh token per call: POST /tokens/{token_id}/revoke may revoke the token of an earlier call.
    yield app, lambda: reg.issue_api_token("admin")
    reg.close()


def test_the_spec_describes_the_api():
    labels = set(OPERATIONS)
    for label in ("POST /api/v1/annotate", "POST /api/v1/annotate/hgvs", "POST /api/v1/report",
                  "GET /api/v1/patients", "GET /api/v1/patients/{patient_id}/tests",
                  "POST /api/v1/patients/{patient_id}/tests", "GET /api/v1/worklists"):
        assert label in labels
    assert len(labels) >= 19


def test_every_json_answer_has_a_described_shape():
    """No 2xx JSON answer is an anonymous object: each names a model (or a list of one)."""
    for label, op in OPERATIONS.items():
        for code, response in op.definition.raw["responses"].items():
            schema = (response.get("content", {}).get("application/json") or {}).get("schema")
            if not code.startswith("2") or schema is None:
                continue
            target = schema.get("items", schema)
            assert "$ref" in target, (label, code, schema)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_api_conforms_to_its_openapi(api_context, label, data):
    from schemathesis.checks import (
        content_type_conformance,
        ignored_auth,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    _app, new_token = api_context
    case = data.draw(OPERATIONS[label].as_strategy())
    case.call_and_validate(headers={"Authorization": f"Bearer {new_token()}"},
                           checks=[not_a_server_error, response_schema_conformance, status_code_conformance,
                                   content_type_conformance, ignored_auth])
