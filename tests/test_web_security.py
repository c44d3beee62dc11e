"""Security of the web app: CSRF, cookies, headers, upload size and type limits, sessions,
login throttling, what the logs contain, and no outbound network calls."""

from __future__ import annotations

import logging
import socket

import pytest

from web_helpers import (BASE, PASSWORD, YVMA_VCF, bearer, client, csrf_of, login, make_app,  # noqa: I001
                              make_registry, web)  # noqa: F401  (web: fixture)

UPLOAD_FORM = {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"}


# ---- CSRF ---------------------------------------------------------------------------------------

def test_post_without_csrf_token_is_403(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/upload", data=UPLOAD_FORM, files={"file": ("a.vcf", fh, "text/plain")})
    assert r.status_code == 403
    assert c.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x"}).status_code == 403
    assert c.post("/logout").status_code == 403
    assert c.post("/account/token").status_code == 403


def test_post_with_another_sessions_token_is_403(web):
    app, _reg, _users = web
    a, b = login(app, "clinician"), login(app, "viewer")
    token_b = csrf_of(b.get("/case").text)
    r = a.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x", "csrf_token": token_b})
    assert r.status_code == 403


def test_cross_origin_post_is_403_even_with_the_token(web):
    app, _reg, _users = web
    c = login(app, "clinician")
    token = csrf_of(c.get("/case").text)
    r = c.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x", "csrf_token": token},
               headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert r.status_code == 403
    r = c.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x", "csrf_token": token},
               headers={"Sec-Fetch-Site": "cross-site", "Origin": "null"}, follow_redirects=False)
    assert r.status_code == 403
    ok = c.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x", "csrf_token": token},
                headers={"Origin": BASE}, follow_redirects=False)
    assert ok.status_code == 303
    # Browsers send Origin: null for same-site forms under Referrer-Policy: no-referrer.
    ok = c.post("/patients/EX-001/decisions", data={"kind": "other", "detail": "x", "csrf_token": token},
                headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"}, follow_redirects=False)
    assert ok.status_code == 303


def test_login_itself_needs_the_token(web):
    app, _reg, _users = web
    c = client(app)
    r = c.post("/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


# ---- cookies, sessions, headers ------------------------------------------------------------------

def test_session_cookie_flags_secure_by_default(tmp_path):
    reg, _users = make_registry(tmp_path / "r.db", import_example=False)
    app = make_app(reg, secure_cookies=True)
    c = client(app, base_url="https://127.0.0.1")
    page = c.get("/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-her2scope=")
    for flag in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/"):
        assert flag in cookie
    r = c.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
               follow_redirects=False)
    assert r.status_code == 303
    assert "Secure" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    reg.close()


def test_insecure_cookies_only_when_asked(web):
    app, _reg, _users = web   # made with secure_cookies=False (the --insecure-cookies dev option)
    cookie = client(app).get("/login").headers["set-cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_tampered_or_foreign_session_cookie_is_refused(web):
    app, reg, _users = web
    c = login(app, "viewer")
    name, value = next(iter(c.cookies.items()))
    assert c.get("/patients", follow_redirects=False).status_code == 200
    admin_value = next(iter(login(app, "admin").cookies.values()))
    spliced = admin_value.rsplit(".", 2)[0] + "." + ".".join(value.rsplit(".", 2)[1:])
    for bad in (value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"),   # signature changed
                spliced,                                                          # admin's payload, viewer's signature
                ""):
        c.cookies.clear()
        c.cookies.set(name, bad)
        assert c.get("/patients", follow_redirects=False).status_code == 303
    # A session signed with another server's key is worthless here.
    other = make_app(reg, secret_key="y" * 40)
    foreign = next(iter(login(other, "admin").cookies.values()))
    c.cookies.clear()
    c.cookies.set(name, foreign)
    assert c.get("/patients", follow_redirects=False).status_code == 303


def test_expired_session_goes_back_to_login(web):
    import time

    _app, reg, _users = web
    short = make_app(reg, session_seconds=1)
    c = login(short, "viewer")
    assert c.get("/patients", follow_redirects=False).status_code == 200
    time.sleep(2.1)
    assert c.get("/patients", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_cookie(web):
    app, _reg, _users = web
    c = login(app, "viewer")
    token = csrf_of(c.get("/account").text)
    r = c.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and "Max-Age=0" in r.headers["set-cookie"]
    assert c.get("/patients", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("path", ["/login", "/api/v1/patients", "/no-such-page", "/static/app.css"])
def test_security_headers_everywhere(web, path):
    app, _reg, _users = web
    r = client(app).get(path, follow_redirects=False)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_load_nothing_from_elsewhere(web):
    """No CDN: every src/href in the pages is local (or an in-page anchor)."""
    import re

    app, _reg, _users = web
    c = login(app, "admin")
    for page in ("/", "/upload", "/case", "/patients", "/patients/EX-001", "/worklists", "/knowledge",
                 "/about", "/account", "/audit"):
        html = c.get(page).text
        for attr in re.findall(r'(?:src|href|action)="([^"]*)"', html):
            assert attr.startswith(("/", "#")), (page, attr)
        assert "<script" not in html


def test_login_throttle(tmp_path):
    reg, _users = make_registry(tmp_path / "r.db", import_example=False)
    app = make_app(reg)
    c = client(app)
    token = csrf_of(c.get("/login").text)
    codes = [c.post("/login", data={"username": "viewer", "password": "wrong-password", "csrf_token": token}).status_code
             for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    r = c.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429   # even the right password waits
    reg.close()


def test_reports_belong_to_their_maker(web):
    app, _reg, _users = web
    a, b = login(app, "clinician"), login(app, "viewer")
    with open(YVMA_VCF, "rb") as fh:
        r = a.post("/upload", data={**UPLOAD_FORM, "csrf_token": csrf_of(a.get("/upload").text)},
                   files={"file": ("a.vcf", fh, "text/plain")}, follow_redirects=False)
    view = r.headers["location"]
    assert a.get(view).status_code == 200
    assert b.get(view).status_code == 404
    assert b.get(view.replace("/view", "/report.json")).status_code == 404


# ---- upload size and type ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    reg, _users = make_registry(tmp_path_factory.mktemp("small") / "r.db", import_example=False)
    yield make_app(reg, max_upload_bytes=64 * 1024), reg
    reg.close()


def test_upload_over_the_limit_is_413(small):
    app, reg = small
    big = b"##fileformat=VCFv4.2\n" + b"#" * (200 * 1024)
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("big.vcf", big, "text/plain")})
    assert r.status_code == 413
    c = login(app, "viewer")
    r = c.post("/upload", data={**UPLOAD_FORM, "csrf_token": csrf_of(c.get("/upload").text)},
               files={"file": ("big.vcf", big, "text/plain")})
    assert r.status_code == 413


def test_chunked_upload_over_the_limit_is_413(small):
    """No Content-Length (chunked): counted as it streams."""
    app, reg = small

    def body():
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.vcf\"\r\n\r\n"
        for _ in range(100):
            yield b"A" * 4096
        yield b"\r\n--b--\r\n"

    r = client(app).post("/api/v1/annotate", content=body(),
                         headers={**bearer(reg, "viewer"), "content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413


@pytest.mark.parametrize("name,content", [
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
    ("x.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
    ("page.vcf", b"<html><body>not a vcf</body></html>"),
    ("bin.vcf", b"\x00\x01\x02\x03" * 100),
    ("latin1.txt", "p.S310F caf\xe9\n".encode("latin-1") * 3 + b"\xff\xfe" + b"x" * 100),
    ("empty.vcf", b""),
])
def test_upload_type_is_checked_by_content(web, name, content):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": (name, content, "text/plain")})
    assert r.status_code == 415, r.text


def test_a_vcf_named_txt_is_still_a_vcf(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("misnamed.txt", YVMA_VCF.read_bytes(), "application/pdf")})
    assert r.status_code == 200
    assert r.json()["summaries"][0]["format"] == "VCF"


def test_file_names_cannot_escape_the_upload_folder(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("../../../../tmp/evil.vcf", YVMA_VCF.read_bytes(), "text/plain")})
    assert r.status_code == 200
    assert r.json()["items"][0]["input"] == "evil.vcf"


# ---- logs and network --------------------------------------------------------------------------

def test_no_patient_data_in_logs(web, caplog):
    app, reg, _users = web
    caplog.set_level(logging.DEBUG)
    c = login(app, "clinician")
    h = bearer(reg, "clinician")
    c.get("/patients/EX-002")
    c.get("/patients/EX-002?x=EX-002")
    api = client(app)
    api.get("/api/v1/patients/EX-002", headers=h)
    api.post("/api/v1/annotate/hgvs", headers=h, json={"expressions": ["NM_004448.4:c.2313_2324dup"]})
    with open(YVMA_VCF, "rb") as fh:
        api.post("/api/v1/annotate", headers=h, files={"file": ("SECRET-PATIENT-NAME.vcf", fh, "text/plain")})
    api.post("/api/v1/patients/EX-002/decisions", headers=h, json={"kind": "other", "detail": "DETAIL-TEXT"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /patients/{patient_id} 200" in text           # the access log is there ...
    assert "/api/v1/patients/{patient_id} 200" in text
    for secret in ("EX-002", "c.2313", "SECRET-PATIENT-NAME", "DETAIL-TEXT", "h2s_", "Y772", "x=EX"):
        assert secret not in text, secret                    # ... but never the patient's data


def test_log_filter_redacts_what_a_library_might_log():
    from her2scope.web.logs import PatientDataFilter

    rec = logging.LogRecord("her2scope.x", logging.INFO, __file__, 1,
                            "read %s for /patients/%s: %s", ("chr17:39724731", "DEMO-7", "NM_004448.4:c.2313_2324dup"),
                            None)
    PatientDataFilter().filter(rec)
    msg = rec.getMessage()
    assert "39724731" not in msg and "DEMO-7" not in msg and "2313" not in msg
    try:
        raise ValueError("patient DEMO-7 has p.S310F")
    except ValueError:
        import sys

        rec = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    PatientDataFilter().filter(rec)
    assert "DEMO-7" not in rec.getMessage() and "ValueError (message withheld)" in rec.getMessage()


def test_unhandled_errors_are_500_without_detail(web, caplog, monkeypatch):
    app, reg, _users = web
    from her2scope.web import services

    def boom(*a, **k):
        raise RuntimeError("EX-001 p.S310F secret")

    monkeypatch.setattr(services, "annotate_paths", boom)
    caplog.set_level(logging.INFO)
    r = client(app).post("/api/v1/annotate/hgvs", headers=bearer(reg, "viewer"), json={"expressions": ["p.S310F"]})
    assert r.status_code == 500 and "secret" not in r.text
    logged = "\n".join(x.getMessage() for x in caplog.records)
    assert "RuntimeError" in logged and "secret" not in logged and "EX-001" not in logged


def test_no_outbound_network_calls(web, monkeypatch):
    """Upload, report, knowledge and the about figures (burden + cohort) never open a socket
    to anything but the loopback interface."""
    app, _reg, _users = web
    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost") and not str(host).startswith("/"):
            attempts.append(host)
            raise OSError("outbound network call blocked by the test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a[0]) or [])
    c = login(app, "clinician")
    with open(YVMA_VCF, "rb") as fh:
        r = c.post("/upload", data={**UPLOAD_FORM, "csrf_token": csrf_of(c.get("/upload").text)},
                   files={"file": ("a.vcf", fh, "text/plain")})
    assert r.status_code == 200
    assert c.get("/knowledge").status_code == 200
    figs = app.state.h2s.figures.get(wait=120)
    assert figs is not None and not figs.errors, figs.errors if figs else None
    assert c.get("/about").status_code == 200
    assert attempts == []
