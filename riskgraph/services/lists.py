"""What the searchable lists (findings, audit log) share: day filters and paging."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session


def on_days(column, since: date | None, until: date | None, tz: tzinfo | None) -> list:
    """SQL conditions: the timestamp ``column`` lies on ``since`` or later and on
    ``until`` or earlier, as whole days of the local time zone ``tz`` (either end may
    be open). A day starts at local midnight: in Beijing, 2026-01-01 begins at
    2025-12-31 16:00 UTC, so a finding of 07:00 Beijing time counts for its own day.

    >>> from zoneinfo import ZoneInfo
    >>> from riskgraph.store import AuditEntry
    >>> c = on_days(AuditEntry.at, date(2026, 1, 1), None, ZoneInfo("Asia/Shanghai"))
    >>> str(c[0]), c[0].right.value.isoformat()
    ('audit_log.at >= :at_1', '2026-01-01T00:00:00+08:00')
    """
    if (since or until) and tz is None:
        raise ValueError("a day filter needs the local time zone")
    out = []
    if since:
        out.append(column >= datetime.combine(since, time(), tz))
    if until:
        out.append(column < datetime.combine(until + timedelta(days=1), time(), tz))
    return out


def paged(session: Session, stmt, order, page: int, per_page: int) -> tuple[list, int]:
    """(page ``page`` of ``stmt``'s rows in ``order``, the total count)."""
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(*order).offset((max(page, 1) - 1) * per_page)
                           .limit(per_page)).all()
    return list(rows), total or 0
