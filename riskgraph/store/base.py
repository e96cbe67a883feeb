"""Declarative base, column types and helpers shared by every model.

Portability rules (SQLite by default, PostgreSQL in production):

- Constraint and index names come from ``NAMING_CONVENTION``, so Alembic batch mode
  (SQLite's copy-and-move table rebuild) can find and alter them by name.
- Datetimes are timezone-aware UTC in Python. ``UTCDateTime`` refuses naive values,
  stores UTC (``timestamptz`` on PostgreSQL, ISO text without offset on SQLite) and
  always returns aware UTC values.
- Surrogate keys are ``BIGINT`` on PostgreSQL and ``INTEGER`` on SQLite (only an
  ``INTEGER PRIMARY KEY`` is SQLite's auto-incrementing rowid).
- JSON is ``sa.JSON`` (``JSONB`` on PostgreSQL). Python ``None`` is stored as SQL
  NULL. Mutating a loaded list or dict in place is NOT detected: assign a new value.
- Closed vocabularies (see ``vocab``) are ``VARCHAR(32)`` with a named CHECK
  constraint, not native enum types, so both databases behave alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Tables that live in the same database but belong to other tools: never modelled here,
# never touched by our migrations, and our table names must not collide with them.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSONType = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime, stored the same way on every backend.

    >>> from datetime import timedelta, timezone
    >>> t = datetime(2026, 1, 31, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    >>> UTCDateTime().process_bind_param(t, sa.create_engine("sqlite://").dialect)
    datetime.datetime(2026, 1, 31, 0, 0)
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware value (UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)   # SQLite would drop the offset anyway
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(vocabulary: type[StrEnum], name: str) -> sa.Enum:
    """A ``VARCHAR(32)`` column type limited to the values of ``vocabulary``.

    ``name`` names the CHECK constraint (``ck_<table>_<name>``); Python rejects an
    unknown value before it reaches the database.
    """
    return sa.Enum(
        vocabulary,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class AppendOnly:
    """Marker mixin: rows of this model are never updated or deleted (see appendonly)."""
