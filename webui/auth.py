"""Sign in and sign out."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from riskgraph.services import users as user_service
from webui.ratelimit import Limiter
from webui.security import db, home_url, sign_in
from webui.views_util import audit

bp = Blueprint("auth", __name__)


def _limiter() -> Limiter:
    ext = current_app.extensions["riskgraph"]
    if "login_limiter" not in ext:
        web = current_app.config["RISKGRAPH"]
        ext["login_limiter"] = Limiter(int(web["ip_max_attempts"]), 60 * float(web["ip_window_minutes"]))
    return ext["login_limiter"]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return home_url()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        if g.user is not None:
            return redirect(home_url())
        return render_template("auth/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    web = current_app.config["RISKGRAPH"]
    limiter = _limiter()
    if not (limiter.hit(f"ip:{request.remote_addr}") and limiter.hit(f"user:{username}")):
        audit("login_throttled", "user", username, commit=True)
        abort(429, description="登录尝试过于频繁，请稍后再试")
    result = user_service.authenticate(db(), username, password, int(web["login_max_failures"]),
                                       timedelta(minutes=int(web["lockout_minutes"])))
    if not result.ok:
        g.user = None
        db().commit()   # failure counters and lockout
        from riskgraph.services.audit import record

        record(db(), "login_failed", result.user.id if result.user else None, username,
               "user", username, {"reason": result.error})
        db().commit()
        return render_template("auth/login.html", error=result.error, username=username,
                               next=request.form.get("next", ""))
    user = result.user
    sign_in(user)
    g.user = user
    audit("login", "user", user.username)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/password", methods=["GET", "POST"])
def password():
    """Change one's own password (required after signing in with a one-time one)."""
    if g.user is None:
        return redirect(url_for("auth.login", next=request.path))
    if request.method == "GET":
        return render_template("auth/password.html")
    new = request.form.get("password", "")
    if new != request.form.get("password2", ""):
        return render_template("auth/password.html", error="两次输入的新密码不一致"), 400
    try:
        user_service.change_own_password(db(), g.user, request.form.get("current", ""), new)
    except user_service.UserError as exc:
        db().rollback()
        return render_template("auth/password.html", error=str(exc)), 400
    db().commit()
    sign_in(g.user)          # the new password ends other sessions; keep this one
    flash("密码已修改", "ok")
    return redirect(home_url()), 303


@bp.route("/logout", methods=["POST"])
def logout():
    if g.user is not None:
        audit("logout", "user", g.user.username)
    session.clear()
    return redirect(url_for("auth.login"))
