"""People and tokens: the Account page (change your own password; your API tokens: issue named,
expiring ones, revoke them) and the administrators' Users page (list users with their open
sessions and tokens, create, deactivate / reactivate, reset a password, revoke anyone's token).

The registry checks the roles and writes the audit log; a revocation or deactivation also
empties this process's API-token cache, so the API answers 401 at once. Every form answers
with a redirect (POST-redirect-GET); a new token is shown once on the page after it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..errors import Her2scopeError
from ..registry import Role
from .auth import csrf_protect, page_user, session_of, state
from .templating import render

router = APIRouter(include_in_schema=False)

MESSAGES = {"password": "password changed; your other sessions have ended", "revoked": "token revoked",
            "created": "user created", "deactivated": "user deactivated: their sessions have ended and their "
            "API tokens no longer work", "activated": "user reactivated", "reset": "password reset: the user's "
            "sessions have ended"}
EXPIRY_DAYS = (7, 30, 90, 180, 365)


def _see(path: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?done={done}", status_code=303)


def _sid(request: Request) -> str:
    session = session_of(request)
    return session.sid if session is not None and session.sid else ""


def _account_page(request: Request, user, *, error: str | None = None, status: int = 200):
    st = state(request)
    token = st.once.pop(f"token:{_sid(request)}") if _sid(request) else None
    return render(request, "account.html", status=status, token=token, error=error,
                  message=MESSAGES.get(request.query_params.get("done", "")),
                  tokens=st.registry.list_api_tokens(user), expiry_days=EXPIRY_DAYS)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user=Depends(page_user)):
    return _account_page(request, user)


@router.post("/account/token", dependencies=[Depends(csrf_protect)])
def account_token(request: Request, user=Depends(page_user), name: str = Form("", max_length=100),
                  expires_days: int = Form(90)):
    st = state(request)
    try:
        token = st.registry.issue_api_token(user.username, actor=user, name=name, expires_days=expires_days)
    except Her2scopeError as exc:
        if exc.code == "permission_denied":
            raise
        return _account_page(request, user, error=exc.message, status=422)
    st.once.put(f"token:{_sid(request)}", token)      # shown once, on the page after the redirect
    return RedirectResponse("/account#new-token", status_code=303)


@router.post("/account/password", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def account_password(request: Request, user=Depends(page_user), current: str = Form(..., max_length=1024),
                     new: str = Form(..., max_length=1024), confirm: str = Form(..., max_length=1024)):
    if new != confirm:
        return _account_page(request, user, error="the new password and its confirmation differ", status=422)
    try:
        state(request).registry.change_password(user, current, new, keep_session=_sid(request))
    except Her2scopeError as exc:
        if exc.code == "permission_denied" and "current password" not in exc.message:
            raise
        return _account_page(request, user, error=exc.message, status=422)
    return _see("/account", "password")


@router.post("/account/tokens/{token_id}/revoke", dependencies=[Depends(csrf_protect)])
def account_revoke(request: Request, token_id: int, user=Depends(page_user)):
    st = state(request)
    st.registry.revoke_api_token(token_id, user)
    st.tokens.clear()
    return _see("/account", "revoked")


# ---- administrators ------------------------------------------------------------------------------

def _users_page(request: Request, user, *, error: str | None = None, status: int = 200):
    reg = state(request).registry
    return render(request, "admin_users.html", status=status, users=reg.list_users(user),
                  tokens=reg.list_api_tokens(user, everyone=True), roles=[r.value for r in Role], error=error,
                  message=MESSAGES.get(request.query_params.get("done", "")))


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, user=Depends(page_user)):
    return _users_page(request, user)


def _admin_call(request: Request, user, call, done: str):
    st = state(request)
    try:
        call(st.registry)
    except Her2scopeError as exc:
        if exc.code == "permission_denied":
            raise
        return _users_page(request, user, error=exc.message, status=404 if exc.code == "not_found" else 422)
    st.tokens.clear()
    return _see("/admin/users", done)


@router.post("/admin/users", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def user_create(request: Request, user=Depends(page_user), username: str = Form(..., max_length=64),
                role: str = Form(...), password: str = Form(..., max_length=1024)):
    if role not in [r.value for r in Role]:
        return _users_page(request, user, error="role: choose viewer, clinician, data_manager or admin", status=422)
    return _admin_call(request, user, lambda reg: reg.create_user(username, password, Role(role), actor=user),
                       "created")


@router.post("/admin/users/{username}/active", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def user_active(request: Request, username: str, user=Depends(page_user), active: str = Form(...)):
    on = active == "1"
    return _admin_call(request, user, lambda reg: reg.set_user_active(username, on, actor=user),
                       "activated" if on else "deactivated")


@router.post("/admin/users/{username}/password", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def user_password(request: Request, username: str, user=Depends(page_user), password: str = Form(..., max_length=1024)):
    return _admin_call(request, user, lambda reg: reg.reset_password(username, password, actor=user), "reset")


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse, dependencies=[Depends(csrf_protect)])
def token_revoke(request: Request, token_id: int, user=Depends(page_user)):
    return _admin_call(request, user, lambda reg: reg.revoke_api_token(token_id, user), "revoked")
