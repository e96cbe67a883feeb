"""资金闭环 on a fixture graph: approved payments flowing back to the approver's spouse or
the approver (positive), to an unrelated person, an ex-spouse, too late or through too
many hops (negative), and exactly max_days after the first payment (boundary)."""

from __future__ import annotations

from datetime import date

import pytest
from detectorkit import entity_sets, hits
from graphkit import Kit
from twofacedkit import cadre, company, county, person

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


def pay(kit: Kit, pid: str, day: str, payer: str, payee: str, approved_by: str | None = None):
    kit.add("Payment", id=pid, date=day, amount=10.0, payer=payer, payee=payee,
            approved_by=approved_by, purpose="工程款" if approved_by else "服务费")


@pytest.fixture
def loop_graph(graph):
    kit = Kit(graph)
    county(kit)
    for pid in "ABCDEF":
        cadre(kit, pid)
    for pid in ("W", "Z", "Y", "G"):
        person(kit, pid)
    kit.add("Spouse", person="A", spouse="W", start_date="2000-01-01")
    kit.add("Spouse", person="D", spouse="Y", start_date="2000-01-01")
    kit.add("Spouse", person="F", spouse="G", start_date="2000-01-01", end_date="2020-01-01")
    for k in ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "M1", "M2", "M3", "M4"):
        company(kit, k)
    # A → K1 → K2 → spouse W: a loop.
    pay(kit, "P1", "2025-01-10", "O1", "K1", "A")
    pay(kit, "P2", "2025-02-01", "K1", "K2")
    pay(kit, "P3", "2025-03-01", "K2", "W")
    pay(kit, "P0", "2025-01-05", "K2", "W")          # before the money arrived: not part of it
    # B → K3 → B: to the approver.
    pay(kit, "P4", "2025-01-05", "O1", "K3", "B")
    pay(kit, "P5", "2025-02-01", "K3", "B")
    # C → K4 → an unrelated person.
    pay(kit, "P6", "2025-01-05", "O1", "K4", "C")
    pay(kit, "P7", "2025-02-01", "K4", "Z")
    # D → K5 → spouse Y, 181 days later: too late.
    pay(kit, "P8", "2025-01-01", "O1", "K5", "D")
    pay(kit, "P9", "2025-07-01", "K5", "Y")
    # E → K6 → E exactly 180 days later: still a loop.
    pay(kit, "P10", "2024-06-01", "O1", "K6", "E")
    pay(kit, "P11", "2024-11-28", "K6", "E")
    # F → K7 → ex-spouse G (divorced in 2020); and F → K7 → M1..M4 → F: five payments.
    pay(kit, "P12", "2025-01-05", "O1", "K7", "F")
    pay(kit, "P13", "2025-02-01", "K7", "G")
    for i, (a, b) in enumerate([("K7", "M1"), ("M1", "M2"), ("M2", "M3"), ("M3", "F")]):
        pay(kit, f"P2{i}", f"2025-02-0{i + 2}", a, b)
    kit.write()
    return graph


def test_loops_back_to_the_approver_or_a_relative(loop_graph, settings):
    found = hits(loop_graph, settings, "money_loop", AS_OF)
    assert entity_sets(found) == {
        frozenset({"A", "W", "K1", "K2", "P1", "P2", "P3"}),
        frozenset({"B", "K3", "P4", "P5"}),
        frozenset({"E", "K6", "P10", "P11"}),
    }
    a = next(h for h in found if h.subjects == ["A"])
    assert a.date == date(2025, 1, 10) and a.facts["chain"] == ["P1", "P2", "P3"]
    assert "配偶" in a.explanation and "资金闭环" in a.explanation
    edges = a.evidence.as_dict()["edges"]
    assert {e["type"] for e in edges} >= {"PAID_BY", "PAID_TO", "APPROVED_BY", "SPOUSE_OF"}
    assert all(e["source"].startswith("payments.csv:") for e in edges if e["type"] == "PAID_TO")


def test_scope_limits_the_approvers(loop_graph, settings):
    found = hits(loop_graph, settings, "money_loop", AS_OF, scope=frozenset({"B"}))
    assert entity_sets(found) == {frozenset({"B", "K3", "P4", "P5"})}
