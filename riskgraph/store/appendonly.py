"""Guards that keep append-only tables append-only.

Models that inherit ``base.AppendOnly`` (``FindingEvent``, ``AuditEntry``,
``MeetingEntry``) may be inserted, never updated or deleted. The guard is at the ORM
level, in two places:

- mapper events: flushing a changed or deleted instance raises ``AppendOnlyError``;
- a session event: ``session.execute(update(...))`` / ``delete(...)`` aimed at such a
  model or its table raises ``AppendOnlyError`` before anything is sent.

It does not stop raw SQL text or Core statements on a bare ``Connection``; retention
purges, if the law ever requires them, are a deliberate maintenance script, not code
in the application.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from riskgraph.store.base import AppendOnly, Base


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete a row of an append-only table."""


def append_only_tables() -> frozenset[str]:
    """Names of the tables whose models inherit ``AppendOnly``."""
    return frozenset(
        m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, AppendOnly)
    )


@event.listens_for(AppendOnly, "before_update", propagate=True)
def _refuse_update(_mapper: Mapper, _conn: Any, target: Any) -> None:
    raise AppendOnlyError(f"{type(target).__name__} rows are append-only: update refused")


@event.listens_for(AppendOnly, "before_delete", propagate=True)
def _refuse_delete(_mapper: Mapper, _conn: Any, target: Any) -> None:
    raise AppendOnlyError(f"{type(target).__name__} rows are append-only: delete refused")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in append_only_tables():
        verb = "update" if state.is_update else "delete"
        raise AppendOnlyError(f"table {name} is append-only: bulk {verb} refused")

