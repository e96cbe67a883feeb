"""Schema migrations (Alembic), run from code.

The migration scripts ship inside this package (``migrations/``); the Alembic
configuration is built here, so no ``alembic.ini`` and no hard-coded URL are needed.
Command line (from a checkout or an installed wheel)::

    python -m riskgraph.store.migrate upgrade [URL]     # URL defaults to the settings
    python -m riskgraph.store.migrate current [URL]
    python -m riskgraph.store.migrate check [URL]       # models vs. database
    python -m riskgraph.store.migrate revision "add x"  # autogenerate (developers)

SQLite: migrations run in one transaction (SQLite's DDL is transactional once we issue
BEGIN ourselves) with foreign keys off, as batch mode's table rebuilds require, and
``PRAGMA foreign_key_check`` must pass before the commit.

Processes that start together (web app, scheduler) may all call ``upgrade``: the
migration transaction takes a database-wide lock first (SQLite ``BEGIN IMMEDIATE``,
a PostgreSQL advisory lock), so one migrates and the others then find nothing to do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from riskgraph.store.base import FOREIGN_TABLES, Base, UTCDateTime
from riskgraph.store.db import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Key of the PostgreSQL advisory lock held while migrating ("rgst").
_PG_LOCK_KEY = 0x72677374


class MigrationError(RuntimeError):
    pass


def alembic_config(connection: sa.Connection | None = None, url: str | None = None) -> Config:
    """An Alembic ``Config`` for our migrations, using ``connection`` or ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.set_main_option("truncate_slug_length", "40")
    if connection is not None:
        cfg.attributes["connection"] = connection
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """Leave other tools' tables (APScheduler's job store) out of autogenerate."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


def render_item(type_: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy ones: scripts must not import us."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def context_options() -> dict[str, Any]:
    """Options for ``context.configure`` shared by env.py and ``model_differences``."""
    return {
        "target_metadata": Base.metadata,
        "render_as_batch": True,   # SQLite needs batch mode; PostgreSQL runs it as ALTERs
        "compare_type": True,
        "include_name": include_name,
        "render_item": render_item,
    }


def migration_engine(url: str | sa.URL) -> sa.Engine:
    """An engine for running migrations (see the module docstring for SQLite)."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _manual_transactions(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys = OFF")
            dbapi_connection.isolation_level = None   # pysqlite: no implicit BEGIN/COMMIT

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")   # the write lock, up front

    return engine


def lock_for_migration(connection: sa.Connection) -> None:
    """Serialise migrations across processes (SQLite: ``BEGIN IMMEDIATE`` did it)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")


def check_foreign_keys(connection: sa.Connection) -> None:
    """Raise if a SQLite migration left rows pointing at nothing."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise MigrationError(f"foreign keys broken after migration: {broken[:10]}")


def upgrade(url: str | sa.URL, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (``alembic upgrade head``).

    Safe across processes; not across threads of one process (Alembic's context is
    process-global): call it once at start-up, before starting threads.
    """
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def downgrade(url: str | sa.URL, revision: str) -> None:
    """Take the database at ``url`` back to ``revision`` (``"base"``: empty)."""
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def current_revision(url: str | sa.URL) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest revision shipped with this version of riskgraph."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(url: str | sa.URL) -> bool:
    return current_revision(url) == head_revision()


def model_differences(url: str | sa.URL) -> list[Any]:
    """What autogenerate would change to make the database at ``url`` match the models.

    Empty when models and migrations agree (after ``upgrade(url)``).
    """
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts=context_options())
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def autogenerate_revision(message: str, url: str | None = None) -> None:
    """Write a new revision script from the model changes (a developer's tool).

    Without ``url`` it compares against a scratch SQLite database upgraded to head.
    Read and edit the script before committing it.
    """
    with tempfile.TemporaryDirectory() as scratch:
        url = url or f"sqlite:///{Path(scratch) / 'autogenerate.sqlite3'}"
        upgrade(url)
        engine = migration_engine(url)
        try:
            with engine.begin() as connection:
                command.revision(alembic_config(connection), message, autogenerate=True)
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m riskgraph.store.migrate")
    parser.add_argument("command", choices=["upgrade", "current", "check", "revision"])
    parser.add_argument("arg", nargs="?", help="database URL, or the message of a revision")
    args = parser.parse_args(argv)
    if args.command == "revision":
        if not args.arg:
            parser.error("revision needs a message")
        autogenerate_revision(args.arg)
        return 0
    if args.arg:
        url = args.arg
    else:
        from riskgraph.settings import load_settings

        url = load_settings().store_url
    if args.command == "upgrade":
        upgrade(url)
    if args.command in ("upgrade", "current"):
        print(f"{current_revision(url)} (head: {head_revision()})")
        return 0
    differences = model_differences(url)
    for difference in differences:
        print(difference)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
