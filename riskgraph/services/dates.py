"""Date filters shared by the searchable lists (findings, audit log)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def on_days(column, since: date | None, until: date | None) -> list:
    """SQL conditions: the timestamp ``column`` lies on ``since`` or later and on
    ``until`` or earlier (whole UTC days; either end may be open).

    >>> from riskgraph.store import AuditEntry
    >>> [str(c) for c in on_days(AuditEntry.at, date(2026, 1, 1), None)]
    ['audit_log.at >= :at_1']
    """
    out = []
    if since:
        out.append(column >= datetime.combine(since, time(), UTC))
    if until:
        out.append(column < datetime.combine(until + timedelta(days=1), time(), UTC))
    return out
