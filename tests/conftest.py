"""Shared fixtures. Integration tests run against one real embedded ArcadeDB server
started for the test session under a temporary var/ folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from riskgraph.settings import Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"


def make_settings(var_dir: Path, **extra: str) -> Settings:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_")}
    env.update({"RISKGRAPH_VAR_DIR": str(var_dir), "RISKGRAPH_EMBEDDED_HEAP": "1g", **extra})
    return load_settings(env)


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    """Settings of the session's embedded server (its var/ folder is temporary)."""
    from riskgraph.embedded import EmbeddedServer

    s = make_settings(tmp_path_factory.mktemp("var"))
    server = EmbeddedServer(s)
    server.start()
    yield s
    server.stop()


@pytest.fixture(scope="session")
def session_graph(settings):
    from riskgraph.graph import open_graph
    from riskgraph.graph_schema import apply_graph_schema

    with open_graph(settings, start=False) as client:
        apply_graph_schema(client)
        yield client


@pytest.fixture
def graph(session_graph):
    """The session's graph client, on an empty graph."""
    from riskgraph.graph_schema import wipe_graph

    wipe_graph(session_graph)
    return session_graph


def fresh_store(path: Path):
    """A session factory on a fresh, migrated SQLite store at ``path`` (a generator for
    fixtures: the engine is disposed of afterwards)."""
    from riskgraph.store import make_engine, session_factory
    from riskgraph.store.migrate import upgrade

    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def stored_ranking(sessions, sweep_id: str) -> list:
    """The post ranking the sweep ``sweep_id`` stored (its last storing), as it was
    then, in rank order: rows of ``PostScore``'s columns and ``rank``."""
    import sqlalchemy as sa

    from riskgraph.poststore import ranked
    from riskgraph.store import PostRanking, session_scope

    with session_scope(sessions) as s:
        at = s.scalar(sa.select(sa.func.max(PostRanking.id)).where(PostRanking.sweep_id == sweep_id))
        assert at is not None, f"sweep {sweep_id} stored no ranking"
        r = ranked(at)
        return s.execute(sa.select(r).order_by(r.c.rank)).all()


@pytest.fixture
def store(tmp_path):
    """A session factory on a fresh, migrated SQLite store."""
    yield from fresh_store(tmp_path / "store.sqlite3")


def graph_counts(client) -> dict[str, int]:
    """Nodes per label and edges per type, for comparing graph states."""
    out = {}
    for label in sorted(client.schema.labels):
        out[label] = client.read("graph/count_label", Label=label)[0]["count"]
    for rel in sorted(client.schema.rel_types):
        out[rel] = client.read("graph/count_type", TYPE=rel)[0]["count"]
    return out
