"""Accounts: who may sign in, with which role, and which part of the data they see."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from riskgraph.store.base import ID, Base, enum_type, utcnow
from riskgraph.store.vocab import Role


class User(Base):
    """A person who signs in.

    Scope: ``scope_org_ids`` lists organisation ids whose whole subtree the user may
    see (an empty list means nothing; the subtree is resolved in the graph), and
    ``scope_ranks`` the cadre ranks within it (empty: any rank). Roles say what a user
    may do, scopes what they may see.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(128))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    scope_org_ids: Mapped[list[Any]] = mapped_column(default=list)
    scope_ranks: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    # A one-time password was handed over: the user must choose their own at sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    failed_logins: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Findings newer than this are "new to you" in the user's list.
    last_seen_findings_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role}>"
