"""The one graph-database client of a process: a `neo4j` driver over Bolt.

`open_graph(settings)` connects to an external Neo4j 5 when ``RISKGRAPH_NEO4J_URI`` is
set, and otherwise to the embedded ArcadeDB server, starting it when none runs. Queries
are named files under cypher/ (see `riskgraph.cypher`); reads and writes run in managed
transactions, which retry transient errors (ArcadeDB reports write conflicts as
transient ``DeadlockDetected``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Self, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, unit_of_work
from neo4j.exceptions import Neo4jError
from neo4j.time import Date, DateTime, Duration, Time

from riskgraph import cypher
from riskgraph.embedded import EmbeddedServer
from riskgraph.schema import Schema, default_schema
from riskgraph.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
CHUNK = 2000                       # values per request of read_chunked

_AS_IS = frozenset({str, int, float, bool, type(None), Date, DateTime, Time, Duration})


class _NotPlain(Exception):
    """A record value the driver must turn into something else (a node, a path ...)."""


def _plain(value: Any) -> Any:
    """A record value made of plain values, lists and maps, as it is; raises
    ``_NotPlain`` for anything else. The driver's ``Record.data()`` checks every value
    against abstract types, which costs seconds on a query that returns a few hundred
    thousand ids; only values it must turn into something else go to it (``_row``).

    >>> _plain(["a", 1, None, [2.5, True]]), _plain({"k": ["v"]})
    (['a', 1, None, [2.5, True]], {'k': ['v']})
    """
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is list:
        return [v if type(v) in _AS_IS else _plain(v) for v in value]
    if kind is dict:
        return {k: v if type(v) in _AS_IS else _plain(v) for k, v in value.items()}
    raise _NotPlain


def _row(record: Record) -> dict[str, Any]:
    """A record as ``Record.data()`` gives it (nodes as property maps, ...)."""
    out = {}
    for key, value in record.items():
        try:
            out[key] = _plain(value)
        except _NotPlain:
            out[key] = record.data(key)[key]
    return out


class GraphError(RuntimeError):
    """A query failed; for the embedded server the message includes its log, because
    ArcadeDB in production mode sends only the error code to the client."""


@dataclass
class GraphClient:
    driver: Driver
    database: str
    schema: Schema
    server: EmbeddedServer | None = None
    timeout: float = 600.0
    # Seconds spent inside database transactions (queries and fetching their results),
    # so benchmarks can tell database time from Python time.
    db_seconds: float = 0.0

    def __post_init__(self) -> None:
        # The read transaction this thread is inside (`read_tx`), so that `read` calls
        # made by code it runs join it: a page is one transaction, not one per query.
        self._local = threading.local()

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def statement(self, name: str, **placeholders: str) -> str:
        """The text of the named query, rendered with schema identifiers."""
        q = cypher.load(name)
        return q.render(self.schema.identifiers, **placeholders) if q.placeholders else q.text

    def run(self, tx: ManagedTransaction, name: str, params: dict | None = None,
            **placeholders: str) -> list[dict[str, Any]]:
        """Run a named query inside a transaction function and return its records."""
        result = tx.run(self.statement(name, **placeholders), params or {})
        return [_row(record) for record in result]

    def read(self, name: str, params: dict | None = None, **placeholders: str) -> list[dict]:
        """Run a named read query (inside the thread's open `read_tx`, if there is one)."""
        return self.read_tx(lambda tx: self.run(tx, name, params, **placeholders))

    def read_chunked(self, name: str, key: str, values: Iterable, params: dict | None = None,
                     size: int = CHUNK, **placeholders: str) -> list[dict]:
        """`read` of ``name`` once per ``size`` of ``values`` (the parameter ``key``), the
        rows joined: a long list of ids in requests of bounded size."""
        values = list(values)
        return [row for i in range(0, len(values), size) for row in self.read(
            name, {**(params or {}), key: values[i:i + size]}, **placeholders)]

    def write(self, name: str, params: dict | None = None, **placeholders: str) -> list[dict]:
        return self.write_tx(lambda tx: self.run(tx, name, params, **placeholders))

    def read_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` in one managed read transaction; `read` calls made meanwhile by
        this thread (e.g. by services ``work`` calls) run in the same transaction. A
        transient error retries ``work`` as a whole."""
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            return work(tx)

        def joined(tx: ManagedTransaction) -> T:
            self._local.tx = tx
            try:
                return work(tx)
            finally:
                self._local.tx = None

        with self.driver.session(database=self.database) as session:
            return self._guard(session.execute_read, joined)

    def write_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` in one managed write transaction: all of it commits, or none."""
        with self.driver.session(database=self.database) as session:
            return self._guard(session.execute_write, work)

    def _guard(self, execute: Callable, work: Callable) -> Any:
        started = time.perf_counter()
        try:
            return execute(unit_of_work(timeout=self.timeout)(work))
        except Neo4jError as exc:
            detail = ""
            if self.server is not None:
                detail = f"\nlast lines of the embedded server log:\n{self.server.log_tail(15)}"
            raise GraphError(f"{exc.code}: {exc.message}{detail}") from exc
        finally:
            self.db_seconds += time.perf_counter() - started

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connection_target(settings: Settings, start: bool = True) -> tuple[str, tuple[str, str], EmbeddedServer | None]:
    """(uri, auth, server) for the configured database; starts the embedded server
    when ``start`` and none runs."""
    if not settings.embedded:
        uri = settings.get("graph", "neo4j_uri")
        return uri, (settings.get("graph", "neo4j_user"), settings.neo4j_password), None
    server = EmbeddedServer(settings)
    info = server.status()
    if info is None:
        if not start:
            raise GraphError("the embedded database is not running (riskgraph db start)")
        log.info("starting the embedded database under %s", server.root)
        info = server.start()
    return info.uri, ("root", server.password()), server


def open_graph(settings: Settings, start: bool = True, schema: Schema | None = None) -> GraphClient:
    uri, auth, server = connection_target(settings, start)
    driver = GraphDatabase.driver(uri, auth=auth, max_connection_pool_size=20)
    return GraphClient(driver, settings.graph_database, schema or default_schema(), server,
                       timeout=float(settings.get("graph", "query_timeout")))
