"""Account management for administrators: list, add, change role and scope, reset
passwords, disable/enable, unlock. The changes are `riskgraph.services.users` calls
(the same ones `riskgraph user ...` makes), each audited there."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from riskgraph.access import org_tree
from riskgraph.authz import ROLE_ZH
from riskgraph.services import users as user_service
from riskgraph.store import User
from webui.security import db, home_url, obj_or_404, require, rg, sign_in
from webui.views_util import RANK_ZH, audit

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _tree() -> list[dict]:
    return org_tree(rg("graph"))


def _scope_form(form) -> tuple[list[str], list[str]]:
    orgs = [user_service.ALL_ORGS] if form.get("all_orgs") else form.getlist("org")
    return orgs, form.getlist("rank")


def _changed(user: User, message: str):
    db().commit()
    flash(message, "ok")
    return redirect(url_for(".edit", user_id=user.id)), 303


def _refused(exc: Exception, user_id: int):
    db().rollback()
    flash(str(exc), "error")
    return redirect(url_for(".edit", user_id=user_id)), 303


@bp.route("/")
def index():
    require("accounts.manage")
    users = user_service.active_users(db(), include_inactive=True)
    names = {o["id"]: o["name"] for o in _tree()}
    audit("view", "users", None, {"total": len(users)})
    return render_template("accounts/list.html", users=users, org_names=names,
                           locked_until=user_service.locked_until)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("accounts.manage")
    tree = _tree()
    if request.method == "GET":
        return render_template("accounts/form.html", user=None, tree=tree, roles=ROLE_ZH,
                               ranks=RANK_ZH)
    form = request.form
    password = form.get("password", "")
    generated = not password
    password = password or user_service.one_time_password()
    orgs, ranks = _scope_form(form)
    try:
        user = user_service.add_user(
            db(), form.get("username", ""), password, form.get("role", ""),
            form.get("display_name", ""), orgs, ranks, actor=g.user,
            known_orgs={o["id"] for o in tree}, one_time=generated)
    except user_service.UserError as exc:
        db().rollback()
        flash(str(exc), "error")
        return render_template("accounts/form.html", user=None, tree=tree, roles=ROLE_ZH,
                               ranks=RANK_ZH, entered=form), 400
    db().commit()
    # Shown on this one response only (never flashed: the flash lives in the cookie).
    return render_template("accounts/password.html", user=user,
                           password=password if generated else None, created=True)


@bp.route("/<int:user_id>")
def edit(user_id: int):
    require("accounts.manage")
    user = obj_or_404(db().get(User, user_id))
    audit("view", "user", user.username)
    return render_template("accounts/form.html", user=user, tree=_tree(), roles=ROLE_ZH,
                           ranks=RANK_ZH, locked_until=user_service.locked_until(user))


@bp.route("/<int:user_id>/access", methods=["POST"])
def access(user_id: int):
    require("accounts.manage")
    user = obj_or_404(db().get(User, user_id))
    orgs, ranks = _scope_form(request.form)
    try:
        user_service.set_access(db(), user.username, request.form.get("role", ""), orgs, ranks,
                                display_name=request.form.get("display_name"), actor=g.user,
                                known_orgs={o["id"] for o in _tree()})
    except user_service.UserError as exc:
        return _refused(exc, user_id)
    if user.id == g.user.id and user.role != "admin":   # demoted oneself: leave the page
        db().commit()
        flash("已保存角色与数据范围；您已不是系统管理员", "ok")
        return redirect(home_url()), 303
    return _changed(user, "已保存角色与数据范围")


@bp.route("/<int:user_id>/password", methods=["POST"])
def password(user_id: int):
    require("accounts.manage")
    user = obj_or_404(db().get(User, user_id))
    chosen = request.form.get("password", "")
    if chosen and chosen != request.form.get("password2", ""):
        flash("两次输入的密码不一致", "error")
        return redirect(url_for(".edit", user_id=user_id)), 303
    new_password = chosen or user_service.one_time_password()
    try:
        user_service.set_password(db(), user.username, new_password, actor=g.user,
                                  one_time=not chosen)
    except user_service.UserError as exc:
        return _refused(exc, user_id)
    db().commit()
    if user.id == g.user.id:
        sign_in(user)     # a new password ends sessions; keep this one
    return render_template("accounts/password.html", user=user,
                           password=None if chosen else new_password, created=False)


@bp.route("/<int:user_id>/active", methods=["POST"])
def active(user_id: int):
    require("accounts.manage")
    user = obj_or_404(db().get(User, user_id))
    enable = request.form.get("active") == "1"
    try:
        user_service.set_active(db(), user.username, enable, actor=g.user)
    except user_service.UserError as exc:
        return _refused(exc, user_id)
    return _changed(user, "账户已启用" if enable else "账户已停用")


@bp.route("/<int:user_id>/unlock", methods=["POST"])
def unlock(user_id: int):
    require("accounts.manage")
    user = obj_or_404(db().get(User, user_id))
    try:
        user_service.unlock(db(), user.username, actor=g.user)
    except user_service.UserError as exc:
        return _refused(exc, user_id)
    return _changed(user, "已解除锁定")
