"""Issue 13: the code checked ``active`` but nothing set it, so a user could not be switched
off. An administrator now deactivates a user: the login fails, the open session fails at once
and the user's API tokens stop working."""

from __future__ import annotations

from web_helpers import client, csrf_of, login, web  # noqa: F401  (fixture)


def test_deactivation_ends_session_login_and_tokens(web):
    app, reg, users = web
    reg.create_user("gone", "a-long-gone-password", "viewer")
    them = login(app, "gone", "a-long-gone-password")
    token = reg.issue_api_token("gone")
    h = {"Authorization": f"Bearer {token}"}
    assert client(app).get("/api/v1/patients", headers=h).status_code == 200
    admin = login(app, "admin")
    admin.post("/admin/users/gone/active", data={"active": "0", "csrf_token": csrf_of(admin.get("/admin/users").text)})
    assert them.get("/patients", follow_redirects=False).status_code == 303
    assert client(app).get("/api/v1/patients", headers=h).status_code == 401
    assert reg.authenticate("gone", "a-long-gone-password") is None
