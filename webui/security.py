"""Sign-in state, authorisation, CSRF and security headers.

- `load_user` puts the signed-in `User` and its resolved `Scope` on ``g`` per request.
- `require(permission)` is the one authorisation check a view makes (anonymous:
  redirect to sign-in, or 401 for the API; missing role: 403).
- `obj_or_404(obj)`: out-of-scope or missing objects are "not found", never "forbidden"
  (a 403 would confirm that the object exists).
- CSRF: a per-session token; every POST must carry it (form field ``csrf_token`` or
  header ``X-CSRF-Token``), else 400.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, current_app, g, redirect, request, session, url_for

from riskgraph.access import allowed
from riskgraph.services.audit import reset_client_ip, set_client_ip
from riskgraph.store import User

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def rg(name: str):
    return current_app.extensions["riskgraph"][name]


def db():
    """The request's store session (closed at the end of the request)."""
    if "db" not in g:
        g.db = rg("sessions")()
    return g.db


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="缺少或无效的CSRF令牌")


def load_user() -> None:
    g.user = None
    g.scope = None
    uid = session.get("uid")
    if uid is None:
        return
    user = db().get(User, uid)
    if user is None or not user.active or session.get("pwd") != _pwd_stamp(user):
        session.clear()
        return
    g.user = user
    g.scope = rg("scopes").get(user.id, user.scope_org_ids, user.scope_ranks)


def _pwd_stamp(user: User) -> str:
    """Changes when the password changes, so old sessions end."""
    return user.password_hash[-16:]


def sign_in(user: User) -> None:
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["pwd"] = _pwd_stamp(user)
    csrf_token()


def require(permission: str) -> None:
    """Abort unless the signed-in user's role has ``permission``."""
    if g.user is None:
        if request.blueprint == "api":
            abort(401)
        abort(redirect(url_for("auth.login", next=request.full_path)))
    if g.user.must_change_password:     # signed in with a one-time password
        if request.blueprint == "api":
            abort(403, description="请先修改一次性密码")
        abort(redirect(url_for("auth.password")))
    if not allowed(g.user.role, permission):
        abort(403)


# Where a signed-in user lands: the first of these pages their role may open.
HOMES = (("dashboard", "dashboard.index"), ("audit.view", "audit.index"))


def home_url() -> str:
    """The landing page of the signed-in user (the sign-in page when there is none)."""
    user = g.get("user")
    for permission, endpoint in HOMES:
        if user is not None and allowed(user.role, permission):
            return url_for(endpoint)
    return url_for("auth.login")


def obj_or_404(obj):
    if obj is None:
        abort(404)
    return obj


def client_ip() -> str:
    return request.remote_addr or ""


def _headers(response):
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint and not request.endpoint.startswith(("vendor.", "static")):
        h.setdefault("Cache-Control", "no-store")
    return response


def _close_db(_exc=None) -> None:
    s = g.pop("db", None)
    if s is not None:
        s.close()


def _attribute_audit() -> None:
    """Audit entries the services write while serving this request carry its address."""
    g.audit_ip_token = set_client_ip(client_ip())


def _end_attribution(_exc=None) -> None:
    token = g.pop("audit_ip_token", None)
    if token is not None:
        reset_client_ip(token)


def init_app(app) -> None:
    app.before_request(_attribute_audit)
    app.before_request(_check_csrf)
    app.before_request(load_user)
    app.after_request(_headers)
    app.teardown_request(_close_db)
    app.teardown_request(_end_attribution)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["home_url"] = home_url
    app.jinja_env.globals["can"] = lambda p: g.get("user") is not None and allowed(g.user.role, p)
