"""Accounts: create, change password, disable, and sign in with lockout.

Passwords are hashed with werkzeug.security (scrypt); a user who fails to sign in
``max_failures`` times in a row is locked for ``lockout`` (``User.locked_until``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from riskgraph.store import User, utcnow
from riskgraph.store.vocab import Role

MIN_PASSWORD = 8


class UserError(ValueError):
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


def by_name(session: Session, username: str) -> User | None:
    return session.scalar(sa.select(User).where(User.username == username))


def add_user(session: Session, username: str, password: str, role: str,
             display_name: str | None = None, scope_org_ids: list[str] | None = None,
             scope_ranks: list[str] | None = None) -> User:
    if by_name(session, username):
        raise UserError(f"用户名 {username} 已存在")
    check_password_strength(password)
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), role=Role(role),
                scope_org_ids=list(scope_org_ids or []), scope_ranks=list(scope_ranks or []),
                password_changed_at=utcnow())
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, username: str, password: str) -> User:
    user = _existing(session, username)
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    user = _existing(session, username)
    user.active = active
    return user


def _existing(session: Session, username: str) -> User:
    user = by_name(session, username)
    if user is None:
        raise UserError(f"用户 {username} 不存在")
    return user


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
