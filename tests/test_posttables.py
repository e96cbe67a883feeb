"""The post risk tables a long-running process holds (``riskgraph.posttables``): caught up
with each recorded import batch they equal a whole read, row for row; whatever the
import ledger cannot account for makes the process read them afresh.

Town O1 (post PA held by A) owns X0 (won by W, approved by A) and X1 (W, approved by A,
awarded in 2026: after as_of, outside the table); payment Y1 approved by A; petition Q1
about A.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime

import pytest
from graphkit import Kit
from schedkit import imported

from riskgraph import incremental, posttables
from riskgraph.detectors.procurement_flags import cases
from riskgraph.postscores import Tables, configs
from riskgraph.posttables import Key
from riskgraph.store import ImportBatch, session_scope
from riskgraph.store.vocab import ImportStatus

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)
RISK = configs("")[0]


def project(kit, pid: str, award: date, approver: str = "A", post: str = "PA",
            winner: str = "W") -> None:
    call = award - dt.timedelta(days=55)
    kit.add("Project", id=pid, name=f"{pid}项目", owner="O1", method="open",
            call_published=True, call_date=call, bid_deadline=call + dt.timedelta(days=25),
            award_date=award, winner=winner, award_amount=96.0, final_amount=96.0,
            amended=False, approval_threshold=100.0)
    kit.add("Bid", company=winner, project=pid, amount=96.0, date=call + dt.timedelta(days=20))
    kit.add("OfficialAct", person=approver, target=pid, role="approve",
            date=call - dt.timedelta(days=5), post=post)


def company(kit, cid: str, address: str = "甲路1号") -> None:
    kit.add("Company", id=cid, name=f"{cid}公司", industry="E", region="K1", address=address)


@pytest.fixture
def town(graph, store):
    posttables.forget()
    kit = Kit(graph, batch="b1")
    kit.add("Region", id="K1", name="乙县", level="county")
    kit.add("Organization", id="O1", name="甲镇", kind="township", level="township", region="K1")
    kit.add("Post", id="PA", name="甲镇镇长", org="O1", rank="section", category="leadership",
            power_domains=["funds"], is_head=True, in_leadership=True)
    kit.add("Cadre", id="A", name="A", gender="M", birth_date="1970-01-01", managed_by="O1",
            rank="section", grew_up_in="K1", rank_since="2015-01-01")
    kit.add("Occupancy", person="A", post="PA", start_date="2015-01-01")
    kit.add("Person", id="B", name="B", gender="F", birth_date="1980-01-01")
    company(kit, "W")
    company(kit, "V")
    project(kit, "X0", date(2024, 5, 1))
    project(kit, "X1", date(2026, 3, 1))
    kit.add("Payment", id="Y1", date=date(2024, 9, 1), amount=30.0, payer="O1", payee="W",
            approved_by="A")
    kit.add("Petition", id="Q1", about="A", received=date(2025, 2, 1), outcome="substantiated",
            category="corruption", summary="反映问题")
    kit.write()
    imported(store, "b1", "projects")
    yield graph
    posttables.forget()


def held(graph, store, changes=None, as_of: date = AS_OF) -> posttables.PostTables:
    with session_scope(store) as session:
        return posttables.held(graph, session, RISK, as_of, changes)


def whole(graph) -> Tables:
    return posttables.read(graph, Key.of(RISK, AS_OF)).tables()


def import_b2(graph, store) -> None:
    """X1 is now awarded in 2025 (it joins the table), X0's approval names a new post PB,
    W moves, the organisation and A are renamed, B approves a new X2 and a payment Y2, a
    second petition."""
    kit = Kit(graph, batch="b2")
    kit.add("Cadre", id="A", name="甲", gender="M", birth_date="1970-01-01", managed_by="O1",
            rank="section", grew_up_in="K1", rank_since="2015-01-01")
    kit.add("Post", id="PB", name="甲镇副镇长", org="O1", rank="section", category="leadership",
            power_domains=["projects"], is_head=False, in_leadership=True)
    kit.add("Organization", id="O1", name="甲镇人民政府", kind="township", level="township",
            region="K1")
    company(kit, "W", address="乙路2号")
    project(kit, "X1", date(2025, 3, 1))
    kit.add("OfficialAct", person="A", target="X0", role="approve",
            date=date(2024, 5, 1) - dt.timedelta(days=60), post="PB")
    project(kit, "X2", date(2025, 6, 1), approver="B", post="PB", winner="V")
    kit.add("Payment", id="Y2", date=date(2025, 9, 1), amount=50.0, payer="O1", payee="V",
            approved_by="B")
    kit.add("OfficialAct", person="B", target="Y2", role="pay", date=date(2025, 9, 1), post="PB")
    kit.add("Petition", id="Q2", about="B", received=date(2025, 4, 1), outcome="pending",
            category="corruption", summary="反映问题")
    kit.write()
    imported(store, "b2", "projects")


@pytest.mark.parametrize("hint", [True, False])
def test_a_new_batch_is_applied_and_the_tables_equal_a_whole_read(town, store, hint):
    """With the re-check's changes, or read through the _batch indexes."""
    kept = held(town, store)
    assert set(kept.projects) == {"X0"}
    import_b2(town, store)
    changes = incremental.changes(town, ["b2"], {None}) if hint else None
    assert held(town, store, changes) is kept
    assert kept.tables() == whole(town)
    assert set(kept.projects) == {"X0", "X1", "X2"} and set(kept.payments) == {"Y1", "Y2"}
    assert kept.projects["X0"]["owner_name"] == "甲镇人民政府"
    assert [a["post"] for a in kept.projects["X0"]["approvers"]] == ["PB"]
    assert kept.projects["X0"]["bids"][0]["address"] == "乙路2号"
    assert kept.projects["X0"]["approvers"][0]["name"] == "甲"
    assert set(kept.posts) == {"PA", "PB"} and kept.posts["PA"]["org_name"] == "甲镇人民政府"


def test_a_row_that_leaves_the_table_is_dropped(town, store):
    kept = held(town, store)
    kit = Kit(town, batch="b3")
    project(kit, "X0", date(2026, 5, 1))                    # awarded after as_of now
    kit.write()
    imported(store, "b3", "projects")
    assert held(town, store) is kept and "X0" not in kept.projects
    assert kept.tables() == whole(town)


def test_a_restart_or_another_day_reads_them_afresh(town, store):
    kept = held(town, store)
    assert held(town, store, as_of=AS_OF + dt.timedelta(days=1)) is not kept
    kept = held(town, store)
    posttables.forget()
    assert held(town, store) is not kept


def test_a_ledger_that_no_longer_describes_them_reads_them_afresh(town, store):
    kept = held(town, store)
    with session_scope(store) as session:
        session.get(ImportBatch, "b1").finished_at = datetime(2030, 1, 1, tzinfo=UTC)
    assert held(town, store) is not kept


def test_what_a_running_import_wrote_is_read_again_each_time(town, store):
    kept = held(town, store)
    with session_scope(store) as session:
        session.add(ImportBatch(id="b9", path="/data/payments.csv", file_name="payments.csv",
                                sha256="b9", template="payments", status=ImportStatus.RUNNING))
    kit = Kit(town, batch="b9")
    kit.add("Payment", id="Y3", date=date(2025, 1, 1), amount=5.0, payer="O1", payee="W",
            approved_by="A")
    kit.write()
    assert held(town, store) is kept and set(kept.payments) == {"Y1", "Y3"}
    kit = Kit(town, batch="b9")                  # it goes on writing: Y3 re-filed
    kit.add("Payment", id="Y3", date=date(2025, 1, 1), amount=7.0, payer="O1", payee="W",
            approved_by="A")
    kit.write()
    assert held(town, store) is kept and kept.payments["Y3"][0]["amount"] == 7.0
    with session_scope(store) as session:
        batch = session.get(ImportBatch, "b9")
        batch.status, batch.finished_at = ImportStatus.DONE, datetime.now(UTC)
    assert held(town, store) is kept
    assert kept.tables() == whole(town)


def test_rows_written_outside_an_import_read_them_afresh(town, store):
    kept = held(town, store)
    kit = Kit(town, batch="unrecorded")
    kit.add("Petition", id="Q3", about="A", received=date(2025, 5, 1), outcome="pending",
            category="corruption", summary="反映问题")
    kit.write()
    fresh = held(town, store)
    assert fresh is not kept and set(fresh.petitions) == {"Q1", "Q3"}


def test_a_whole_run_leaves_its_tables_held(town, store):
    """posttables.seed: a whole run's own read is held; a batch after it is applied."""
    with session_scope(store) as session:
        tables = posttables.seed(town, session, RISK, AS_OF, lambda: whole(town))
    kept = held(town, store)
    assert kept.tables() == tables
    assert kept.projects["X0"] is tables.projects[0]          # not read again
    import_b2(town, store)
    assert held(town, store) is kept and kept.tables() == whole(town)


def test_red_flags_are_found_again_for_rows_read_again(town, store):
    """The tables keep the projects' red flags per rules; a row read again (a new
    object) has them found again, and other rules start afresh."""
    rules = configs("")[2]["thresholds"]["flags"]
    kept = held(town, store)
    memo = kept.memo(rules)
    cases(kept.project_rows(), rules, memo)
    before = memo["X0"]
    import_b2(town, store)
    assert held(town, store) is kept and kept.memo(rules) is memo
    found = cases(kept.project_rows(), rules, memo)
    assert memo["X0"][0] is kept.projects["X0"] is not before[0]

    def names(cs):
        return [(c.kind, [p["project_id"] for p in c.projects], [f.detail for f in c.flags])
                for c in cs]

    assert names(found) == names(cases(whole(town).projects, rules))
    assert kept.memo({**rules, "single_bidder": {"enabled": False}}) is not memo
