"""Issue 13: one user's successful login reset the failed-login count of the whole address, so
an attacker sharing an address with a real user got a fresh 10 guesses each time that user
logged in. A success now clears only that user name's failures."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")


def test_success_does_not_clear_the_address_count(tmp_path):
    from web_helpers import PASSWORD, client, csrf_of, make_app, make_registry

    reg, _users = make_registry(tmp_path / "r.db", import_example=False)
    app = make_app(reg)
    attacker, user = client(app), client(app)
    token = csrf_of(attacker.get("/login").text)
    for _ in range(9):
        assert attacker.post("/login", data={"username": "admin", "password": "guess-guess",
                                             "csrf_token": token}).status_code == 401
    ok = user.post("/login", data={"username": "viewer", "password": PASSWORD,
                                   "csrf_token": csrf_of(user.get("/login").text)}, follow_redirects=False)
    assert ok.status_code == 303
    assert attacker.post("/login", data={"username": "clinician", "password": "guess-guess",
                                         "csrf_token": token}).status_code == 401      # the 10th failure
    assert attacker.post("/login", data={"username": "data_manager", "password": "guess-guess",
                                         "csrf_token": token}).status_code == 429      # the address is blocked
    reg.close()
