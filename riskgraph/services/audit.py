"""The audit log: record who viewed, changed, exported or searched what; search it."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.services.lists import on_days, paged
from riskgraph.store import AuditEntry

# The client address of the request being served: entries written deeper down (by the
# services a web request calls) carry it without passing it through every call.
_client_ip: ContextVar[str | None] = ContextVar("riskgraph_client_ip", default=None)


def set_client_ip(ip: str | None):
    """Start attributing entries to ``ip``; returns the token for ``reset_client_ip``."""
    return _client_ip.set(ip)


def reset_client_ip(token) -> None:
    _client_ip.reset(token)


def record(session: Session, action: str, user_id: int | None = None,
           username: str | None = None, object_type: str | None = None,
           object_id: Any = None, detail: dict | None = None) -> None:
    session.add(AuditEntry(user_id=user_id, username=username, action=action,
                           object_type=object_type,
                           object_id=None if object_id is None else str(object_id)[:128],
                           detail=detail, ip=_client_ip.get()))


@dataclass
class AuditQuery:
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None      # whole days in ``tz``, the local time zone
    until: date | None = None
    tz: tzinfo | None = None


def search(session: Session, q: AuditQuery, page: int = 1, per_page: int = 50):
    """(entries newest first, total) matching ``q``."""
    stmt = sa.select(AuditEntry)
    if q.username:
        stmt = stmt.where(AuditEntry.username == q.username)
    if q.action:
        stmt = stmt.where(AuditEntry.action == q.action)
    if q.object_type:
        stmt = stmt.where(AuditEntry.object_type == q.object_type)
    if q.object_id:
        stmt = stmt.where(AuditEntry.object_id == q.object_id)
    stmt = stmt.where(*on_days(AuditEntry.at, q.since, q.until, q.tz))
    return paged(session, stmt, (AuditEntry.id.desc(),), page, per_page)
