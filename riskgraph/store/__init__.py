"""The application-state store: users, imports, runs, findings and their review,
warning levels, alerts, meetings, integrity replies, investigations and the audit log.

The graph database holds the source data; this relational store (SQLite under var/ by
default, PostgreSQL by URL) holds what the application itself decides and records.

- ``vocab``: the closed vocabularies (roles, statuses, ...).
- ``models``: the SQLAlchemy models; ``base``: shared base and column types.
- ``db``: ``make_engine``, ``session_factory``, ``session_scope``.
- ``migrate``: ``upgrade``, ``current_revision``, ``model_differences`` (Alembic; the
  migrations ship inside this package under ``migrations/``).
- ``appendonly``: the guards on append-only tables.
"""

from riskgraph.store.appendonly import AppendOnlyError
from riskgraph.store.base import Base, utcnow
from riskgraph.store.db import make_engine, session_factory, session_scope
from riskgraph.store.models import *  # noqa: F403
from riskgraph.store.models import __all__ as _models

__all__ = [
    "AppendOnlyError", "Base", "make_engine", "session_factory", "session_scope",
    "utcnow", *_models,
]
