"""Named leases in the store: a lock across processes that survives a crash.

A holder acquires a lease for ``ttl`` seconds and renews it while it works; another
process may take it over only once it has expired (the holder died without releasing).
Acquiring is one atomic statement either way: an INSERT (the unique name makes the
losing one of two racing inserts fail), or an UPDATE conditional on expiry, so two
processes can never both believe they hold it.

>>> from riskgraph.store import make_engine, session_factory, Base
>>> engine = make_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> sessions = session_factory(engine)
>>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
>>> acquire(sessions, "job", "a", 60, t0), acquire(sessions, "job", "b", 60, t0)
(True, False)
>>> acquire(sessions, "job", "b", 60, t0 + timedelta(seconds=61))   # a's lease expired
True
>>> renew(sessions, "job", "a", 60, t0 + timedelta(seconds=62))     # a lost it
False
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta  # noqa: F401  (UTC: the doctest)

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.store import Lease, session_scope


def new_holder() -> str:
    """A holder name unique to this process and call: host:pid:random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(sessions: sessionmaker[Session], name: str, holder: str, ttl: float,
            now: datetime) -> bool:
    """Take lease ``name`` for ``ttl`` seconds if it is free, expired or already ours."""
    expires = now + timedelta(seconds=ttl)
    try:
        with session_scope(sessions) as session:
            session.execute(sa.insert(Lease).values(
                name=name, holder=holder, acquired_at=now, expires_at=expires))
        return True
    except IntegrityError:
        pass
    with session_scope(sessions) as session:
        result = session.execute(
            sa.update(Lease)
            .where(Lease.name == name, sa.or_(Lease.holder == holder, Lease.expires_at < now))
            .values(holder=holder, acquired_at=now, expires_at=expires))
        return result.rowcount == 1


def renew(sessions: sessionmaker[Session], name: str, holder: str, ttl: float,
          now: datetime) -> bool:
    """Extend our lease; False when it is no longer ours (it expired and was taken)."""
    with session_scope(sessions) as session:
        result = session.execute(
            sa.update(Lease)
            .where(Lease.name == name, Lease.holder == holder)
            .values(expires_at=now + timedelta(seconds=ttl)))
        return result.rowcount == 1


def release(sessions: sessionmaker[Session], name: str, holder: str) -> None:
    with session_scope(sessions) as session:
        session.execute(sa.delete(Lease).where(Lease.name == name, Lease.holder == holder))


def current(sessions: sessionmaker[Session], name: str) -> Lease | None:
    with session_scope(sessions) as session:
        return session.get(Lease, name)
