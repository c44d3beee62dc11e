"""Issue 13: an API token could not be revoked. Now it can (its owner or an admin), and the API
answers 401 for it at once - also when the token had just been used (the lookup cache of this
process is emptied on a revocation)."""

from __future__ import annotations

import re

from web_helpers import client, csrf_of, login, web  # noqa: F401  (fixture)


def test_admin_revokes_a_users_token(web):
    app, reg, _users = web
    token = reg.issue_api_token("clinician")
    h = {"Authorization": f"Bearer {token}"}
    api = client(app)
    assert api.get("/api/v1/patients", headers=h).status_code == 200
    admin = login(app, "admin")
    page = admin.get("/admin/users").text
    ids = re.findall(r'action="/admin/tokens/(\d+)/revoke"', page)
    tid = max(int(i) for i in ids)                       # the newest token: the one issued above
    admin.post(f"/admin/tokens/{tid}/revoke", data={"csrf_token": csrf_of(page)})
    assert api.get("/api/v1/patients", headers=h).status_code == 401
