"""Engines and sessions for the application-state store.

>>> engine = make_engine("sqlite://")
>>> Session = session_factory(engine)
>>> with session_scope(Session) as session:
...     session.execute(sa.text("select 1")).scalar()
1
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

# Seconds a SQLite connection waits for another process's write lock (the web app, the
# scheduler and an import may write at the same time) before "database is locked".
SQLITE_BUSY_TIMEOUT = 30


def make_engine(url: str | sa.URL, **engine_kw: Any) -> sa.Engine:
    """Create the engine for ``url`` (``Settings.store_url``).

    SQLite: creates the parent folder of the database file, and turns on foreign-key
    enforcement (off by default in SQLite) and write-ahead logging (readers do not block
    the writer) on every connection. Other databases: connections are pinged before use.
    """
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite":
        memory = url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
        if not memory:
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine_kw.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT)
        engine = sa.create_engine(url, **engine_kw)
        sa.event.listen(engine, "connect", _sqlite_pragmas(wal=not memory))
        return engine
    engine_kw.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **engine_kw)


def _sqlite_pragmas(wal: bool):
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")   # safe with WAL
        finally:
            cursor.close()

    return on_connect


def session_factory(engine: sa.Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``.

    ``expire_on_commit=False``: objects stay readable after the commit (a view renders
    what a service returned). Re-query when fresh data matters; optimistic locking
    (``version``) catches writes based on stale reads.
    """
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits when the block ends, rolls back if it raises, and closes."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
