"""The kinship skeleton a long-running process keeps (``riskgraph.kin_skeleton``): a
re-check after an import catches the cached skeleton up with the new batches and finds
exactly what a whole run finds; whatever the import ledger cannot account for makes it
read the skeleton afresh.

Family: P is X's parent; X is married to W since 2000. X heads section SEC of O1, W and
Y work in it under him. New batches: P becomes Y's parent (X and Y are siblings), and
the marriage is filed again with its end (divorced in 2020).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from conftest import fresh_store
from detectorkit import (
    city_counties,
    housing_bureau,
    present_findings,
    run_detector,
    section_of_three,
)
from graphkit import Kit
from schedkit import INCREMENTAL_SCHEDULE as SCHEDULE
from schedkit import Clock, imported, make_service

from riskgraph import detectors, kin_skeleton
from riskgraph.graph import GraphClient
from riskgraph.store import ImportBatch, session_scope
from riskgraph.store.vocab import ImportStatus

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)
PAIRS = detectors.get("post_avoidance")


@pytest.fixture
def cached(graph, store, settings):
    """The graph before the new batches, swept whole, and the skeleton the process held
    from a scoped run before them."""
    kin_skeleton.forget()
    kit = Kit(graph, batch="b1")
    city_counties(kit)
    housing_bureau(kit)
    section_of_three(kit, [("X", "M"), ("Y", "F"), ("W", "F")], "2010-01-01")
    kit.add("Person", id="P", name="P", gender="M", birth_date="1950-01-01")
    kit.add("Parenthood", parent="P", child="X")
    kit.add("Spouse", person="X", spouse="W", start_date="2000-01-01")
    kit.write()
    imported(store, "b1", "cadres")
    assert run_detector(graph, store, settings, PAIRS.name, AS_OF).new == 1     # X and W
    run_detector(graph, store, settings, PAIRS.name, AS_OF, scope=frozenset({"W"}))
    held = kin_skeleton.skeleton(graph, store)
    assert held.marriages[("X", "W")] == (date(2000, 1, 1), None)
    yield held
    kin_skeleton.forget()


def recheck(graph, store, settings) -> None:
    service = make_service(graph, store, settings, Clock(), [PAIRS], schedule_data=SCHEDULE)
    service.runtime.recheck_imports()


def whole_run_agrees(graph, store, settings) -> None:
    full = run_detector(graph, store, settings, PAIRS.name, AS_OF)
    assert (full.new, full.resolved) == (0, 0)


def test_a_new_batch_is_applied_and_the_recheck_equals_a_whole_run(cached, graph, store,
                                                                    settings):
    kit = Kit(graph, batch="b2")
    kit.add("Parenthood", parent="P", child="Y")
    kit.write()
    imported(store, "b2", "parents")
    recheck(graph, store, settings)
    assert kin_skeleton.skeleton(graph, store) is cached      # caught up, not read again
    assert cached.parents["Y"] == {"P"}
    # Y is X's sister and W's spouse's sister (both answer to X's post).
    assert present_findings(store) == {frozenset({"X", "W"}), frozenset({"X", "Y"}), frozenset({"W", "Y"})}
    whole_run_agrees(graph, store, settings)


def test_new_dates_of_a_known_edge_are_applied(cached, graph, store, settings):
    kit = Kit(graph, batch="b3")
    kit.add("Spouse", person="X", spouse="W", start_date="2000-01-01", end_date="2020-01-01")
    kit.write()
    imported(store, "b3", "spouses")
    recheck(graph, store, settings)
    assert kin_skeleton.skeleton(graph, store) is cached
    assert cached.marriages[("X", "W")] == (date(2000, 1, 1), date(2020, 1, 1))
    assert present_findings(store) == set()                  # divorced: the pair is resolved
    whole_run_agrees(graph, store, settings)


def test_a_restart_reads_it_afresh(cached, graph, store):
    kin_skeleton.forget()
    assert kin_skeleton.skeleton(graph, store) is not cached


def test_another_graph_client_or_store_has_its_own(cached, graph, store, tmp_path):
    other_graph = GraphClient(graph.driver, graph.database, graph.schema)
    assert kin_skeleton.skeleton(other_graph, store) is not cached
    for other_store in fresh_store(tmp_path / "other.sqlite3"):
        assert kin_skeleton.skeleton(graph, other_store) is not cached
    assert kin_skeleton.skeleton(graph, store) is cached


def test_a_ledger_that_no_longer_describes_it_reads_it_afresh(cached, graph, store):
    with session_scope(store) as session:
        session.get(ImportBatch, "b1").finished_at = datetime(2030, 1, 1, tzinfo=UTC)
    assert kin_skeleton.skeleton(graph, store) is not cached


def test_what_a_running_import_wrote_is_read_again_each_time(cached, graph, store):
    with session_scope(store) as session:
        session.add(ImportBatch(id="b9", path="/data/parents.csv", file_name="parents.csv",
                                sha256="b9", template="parents", status=ImportStatus.RUNNING))
    kit = Kit(graph, batch="b9")
    kit.add("Parenthood", parent="P", child="Y")
    kit.write()
    first = kin_skeleton.skeleton(graph, store)
    assert first is cached and first.parents["Y"] == {"P"}
    kit = Kit(graph, batch="b9")                 # it goes on writing
    kit.add("Person", id="Q", name="Q", gender="M", birth_date="1950-01-01")
    kit.add("Parenthood", parent="Q", child="Y")
    kit.write()
    assert kin_skeleton.skeleton(graph, store).parents["Y"] == {"P", "Q"}
    with session_scope(store) as session:
        batch = session.get(ImportBatch, "b9")
        batch.status, batch.finished_at = ImportStatus.DONE, datetime.now(UTC)
    assert kin_skeleton.skeleton(graph, store) is cached


def test_persons_written_outside_an_import_read_it_afresh(cached, graph, store, settings):
    kit = Kit(graph, batch="unrecorded")
    kit.add("Person", id="Q", name="Q", gender="M", birth_date="1950-01-01")
    kit.add("Parenthood", parent="Q", child="Y")
    kit.write()
    fresh = kin_skeleton.skeleton(graph, store)
    assert fresh is not cached and fresh.parents["Y"] == {"Q"}


def test_a_holding_that_ended_is_applied(cached, graph, store, settings):
    """Post holdings are kept with the skeleton (the pair screen's candidates): W's post,
    filed again with its end, takes W out of the pairs."""
    kit = Kit(graph, batch="b4")
    kit.add("Occupancy", person="W", post="SEC_B", start_date="2010-01-01",
            end_date="2025-06-30")
    kit.write()
    imported(store, "b4", "occupancies")
    recheck(graph, store, settings)
    assert kin_skeleton.skeleton(graph, store) is cached
    assert cached.holdings[("W", "SEC_B", date(2010, 1, 1))] == date(2025, 6, 30)
    assert "W" not in cached.holders(AS_OF)
    assert present_findings(store) == set()
    whole_run_agrees(graph, store, settings)
