"""Accounts: create, change role, scope and password, disable, unlock, and sign in
with lockout. The web account pages and `riskgraph user ...` both call these.

Passwords are hashed with werkzeug.security (scrypt); a user who fails to sign in
``max_failures`` times in a row is locked for ``lockout`` (``User.locked_until``).

Every change is written to the audit log in the caller's transaction. ``actor`` is the
signed-in user making it (who must be an administrator), or None for the command line
and system set-up. No change may leave the system without an active administrator.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from riskgraph.authz import ServiceError, audit, require_role
from riskgraph.schema import default_schema
from riskgraph.store import User, utcnow
from riskgraph.store.vocab import Role

MIN_PASSWORD = 8
ALL_ORGS = "*"
# One-time passwords avoid characters that are easily misread (0/O, 1/l/I).
_OTP_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


class UserError(ServiceError):
    """A request about accounts that cannot be done (message in Chinese)."""


def check_password_strength(password: str) -> None:
    """Refuse passwords shorter than ``MIN_PASSWORD``.

    >>> check_password_strength("short")
    Traceback (most recent call last):
    ...
    riskgraph.services.users.UserError: 密码至少需要8位
    """
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少需要{MIN_PASSWORD}位")


def one_time_password() -> str:
    """A random password to hand over once (three groups of four characters).

    >>> p = one_time_password(); len(p), p.count("-")
    (14, 2)
    """
    return "-".join("".join(secrets.choice(_OTP_ALPHABET) for _ in range(4)) for _ in range(3))


def by_name(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username))


def check_scope(org_ids: list[str] | None, ranks: list[str] | None,
                known_orgs: set[str] | None = None) -> tuple[list[str], list[str]]:
    """The scope cleaned (trimmed, de-duplicated, sorted); unknown ranks, and
    organisations outside ``known_orgs`` when given, are refused.

    >>> check_scope([" O2", "O1", "O2"], ["section"])
    (['O1', 'O2'], ['section'])
    >>> check_scope(["*", "O1"], [])
    (['*'], [])
    >>> check_scope([], ["general"])
    Traceback (most recent call last):
    ...
    riskgraph.services.users.UserError: 未知的职级：general
    """
    orgs = sorted({o.strip() for o in org_ids or () if o and o.strip()})
    if ALL_ORGS in orgs:
        orgs = [ALL_ORGS]
    elif known_orgs is not None and (unknown := [o for o in orgs if o not in known_orgs]):
        raise UserError(f"未知的单位：{'、'.join(unknown)}")
    rank_zh = default_schema().enums["rank"]
    wanted = {r.strip() for r in ranks or () if r and r.strip()}
    if unknown := sorted(wanted - set(rank_zh)):
        raise UserError(f"未知的职级：{'、'.join(unknown)}")
    return orgs, [r for r in rank_zh if r in wanted]


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(f"未知的角色：{role}") from None


def _record(session: Session, actor: Any, user: User, op: str, **detail: Any) -> None:
    """Audit an account change; ``actor`` None: the command line or set-up."""
    if actor is None:
        detail["by"] = "system"
    audit(session, actor, "change", "user", user.username, {"op": op, **detail})


def _guard(actor: Any) -> None:
    if actor is not None:
        require_role(actor, Role.ADMIN)


def add_user(session: Session, username: str, password: str, role: str,
             display_name: str | None = None, scope_org_ids: list[str] | None = None,
             scope_ranks: list[str] | None = None, *, actor: Any = None,
             known_orgs: set[str] | None = None, one_time: bool = False) -> User:
    """A new account; ``one_time``: the password is a one-time password, which the user
    must replace at their first sign-in."""
    _guard(actor)
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise UserError("用户名不能为空、不能含空格，且不超过64个字符")
    if by_name(session, username):
        raise UserError(f"用户名 {username} 已存在")
    check_password_strength(password)
    orgs, ranks = check_scope(scope_org_ids, scope_ranks, known_orgs)
    user = User(username=username, display_name=(display_name or "").strip()[:128] or username,
                password_hash=generate_password_hash(password), role=_role(role),
                scope_org_ids=orgs, scope_ranks=ranks, password_changed_at=utcnow(),
                must_change_password=one_time)
    session.add(user)
    session.flush()
    _record(session, actor, user, "add", role=str(user.role), scope_org_ids=orgs,
            scope_ranks=ranks, one_time=one_time)
    return user


def set_password(session: Session, username: str, password: str, *, actor: Any = None,
                 one_time: bool = False) -> User:
    """A new password (also lifts a lockout; the user's open sessions end). A
    ``one_time`` password must be replaced by the user at their next sign-in."""
    _guard(actor)
    user = _existing(session, username)
    check_password_strength(password)
    _store_password(user, password, one_time)
    user.failed_logins = 0
    user.locked_until = None
    _record(session, actor, user, "password", one_time=one_time)
    return user


def change_own_password(session: Session, user: User, current: str, new: str) -> User:
    """The signed-in ``user`` replaces their password (the one-time one, or any)."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("当前密码不正确")
    if new == current:
        raise UserError("新密码不能与当前密码相同")
    check_password_strength(new)
    _store_password(user, new, False)
    _record(session, user, user, "own_password")
    return user


def _store_password(user: User, password: str, one_time: bool) -> None:
    user.password_hash = generate_password_hash(password)
    user.password_changed_at = utcnow()
    user.must_change_password = one_time


def set_access(session: Session, username: str, role: str, scope_org_ids: list[str] | None,
               scope_ranks: list[str] | None, *, display_name: str | None = None,
               actor: Any = None, known_orgs: set[str] | None = None) -> User:
    """Change a user's role and data scope (and display name, when given)."""
    _guard(actor)
    user = _existing(session, username)
    new_role = _role(role)
    orgs, ranks = check_scope(scope_org_ids, scope_ranks, known_orgs)
    _keep_an_admin(session, user, new_role, user.active)
    before = {"role": str(user.role), "scope_org_ids": list(user.scope_org_ids or []),
              "scope_ranks": list(user.scope_ranks or [])}
    user.role, user.scope_org_ids, user.scope_ranks = new_role, orgs, ranks
    if display_name is not None and display_name.strip():
        user.display_name = display_name.strip()[:128]
    _record(session, actor, user, "access", before=before,
            after={"role": str(new_role), "scope_org_ids": orgs, "scope_ranks": ranks})
    return user


def set_active(session: Session, username: str, active: bool, *, actor: Any = None) -> User:
    """Enable or disable an account (a disabled one cannot sign in; sessions end)."""
    _guard(actor)
    user = _existing(session, username)
    _keep_an_admin(session, user, user.role, active)
    user.active = active
    _record(session, actor, user, "enable" if active else "disable")
    return user


def unlock(session: Session, username: str, *, actor: Any = None) -> User:
    """Lift a lockout after failed sign-ins (the failure count starts again)."""
    _guard(actor)
    user = _existing(session, username)
    user.failed_logins = 0
    user.locked_until = None
    _record(session, actor, user, "unlock")
    return user


def _keep_an_admin(session: Session, user: User, role: Role, active: bool) -> None:
    """Refuse a change that would leave no active administrator."""
    if user.role != Role.ADMIN or not user.active or (role == Role.ADMIN and active):
        return
    others = session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id))
    if not others:
        raise UserError("至少需要保留一名启用的系统管理员账户")


def _existing(session: Session, username: str) -> User:
    user = by_name(session, username)
    if user is None:
        raise UserError(f"用户 {username} 不存在")
    return user


def locked_until(user: User, now: datetime | None = None) -> datetime | None:
    """When the user's lockout ends, or None when they are not locked out."""
    now = now or utcnow()
    return user.locked_until if user.locked_until and user.locked_until > now else None


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None     # Chinese message for the login form

    @property
    def ok(self) -> bool:
        return self.user is not None and self.error is None


def authenticate(session: Session, username: str, password: str, max_failures: int,
                 lockout: timedelta, now: datetime | None = None) -> LoginResult:
    """Check a sign-in; counts failures and locks the account after ``max_failures``."""
    now = now or utcnow()
    user = by_name(session, username)
    generic = "用户名或密码错误"
    if user is None:
        generate_password_hash(password)   # same work as a real check: no timing oracle
        return LoginResult(None, generic)
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, "账户因多次登录失败已锁定，请稍后再试")
    if not check_password_hash(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + lockout
            user.failed_logins = 0
            return LoginResult(None, "账户因多次登录失败已锁定，请稍后再试")
        return LoginResult(None, generic)
    if not user.active:
        return LoginResult(None, "账户已停用")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def active_users(session: Session, include_inactive: bool = False) -> list[User]:
    stmt = sa.select(User).order_by(User.username)
    if not include_inactive:
        stmt = stmt.where(User.active.is_(True))
    return list(session.scalars(stmt))
