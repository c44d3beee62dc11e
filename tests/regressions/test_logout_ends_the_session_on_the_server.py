"""Issue 13: logout only cleared the browser's cookie; a copied session cookie kept working for
up to 8 hours. Sessions are now held on the server and logout ends them: the copy is refused
at once."""

from __future__ import annotations

from web_helpers import client, csrf_of, login, web  # noqa: F401  (fixture)


def test_copied_cookie_refused_after_logout(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    name, value = next(iter(c.cookies.items()))
    thief = client(app)
    thief.cookies.set(name, value)
    assert thief.get("/patients", follow_redirects=False).status_code == 200
    logout = c.post("/logout", data={"csrf_token": csrf_of(c.get("/account").text)}, follow_redirects=False)
    assert logout.status_code == 303
    assert thief.get("/patients", follow_redirects=False).status_code == 303
