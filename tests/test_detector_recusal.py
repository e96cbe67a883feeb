"""公务回避 on a small fixture graph: cadres approving projects, paying out or deciding
personnel matters that benefit a statutory relative's interest on the day of the act
(direct, chain, shared contact, nominee, personnel, payment), and the near-misses that
must not fire (divorced on the day, shares sold on the day, a 50% chain step, a second
cousin), with one-day boundaries either side of the act."""

from __future__ import annotations

from datetime import date

import pytest

from detectorkit import assert_scoped_runs_agree, entity_sets, hits, run_detector
from graphkit import Kit

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)
DAY = "2024-06-01"      # the day of every act below


class Case:
    """Builds one cadre's case: the cadre, a project they approve on DAY, its winner."""

    def __init__(self, kit: Kit, n: int):
        self.kit, self.n = kit, n
        self.x, self.w, self.project = f"X{n}", f"W{n}", f"PJ{n}"
        kit.add("Cadre", id=self.x, name=f"干部{n}", gender="M", birth_date="1970-01-01",
                managed_by="O1", rank="section")
        self.company(self.w)

    def person(self, pid: str, gender: str = "M", birth: str = "1972-01-01") -> str:
        self.kit.add("Person", id=pid, name=f"亲属{pid}", gender=gender, birth_date=birth)
        return pid

    def company(self, cid: str, **values) -> str:
        self.kit.add("Company", id=cid, name=f"企业{cid}", industry="E", region="R1", **values)
        return cid

    def approve(self, role: str = "approve") -> None:
        self.kit.add("Project", id=self.project, name=f"项目{self.n}", owner="O1", method="open",
                     winner=self.w)
        self.kit.add("OfficialAct", person=self.x, target=self.project, role=role, date=DAY,
                     post="P1")


@pytest.fixture
def recusal_graph(graph):
    kit = Kit(graph)
    kit.add("Region", id="R1", name="甲县", level="county")
    kit.add("Organization", id="O1", name="甲县住建局", kind="housing", level="county", region="R1")
    kit.add("Post", id="P1", name="副局长", org="O1", rank="vice_division", category="leadership",
            is_head=False, in_leadership=True)
    kit.add("Organization", id="O2", name="甲县委组织部", kind="organisation_dept", level="county",
            region="R1")
    kit.add("Post", id="P2", name="部长", org="O2", rank="division", category="leadership",
            is_head=True, in_leadership=True)

    # 1 direct: the spouse holds 30% of the winner.
    c = Case(kit, 1)
    c.person("S1", "F")
    kit.add("Spouse", person="X1", spouse="S1", start_date="2000-01-01")
    kit.add("Ownership", owner="S1", company="W1", percent=30, start_date="2020-01-01")
    c.approve()
    # 2 and 3: divorce the day after the act (still married: fires) and on the day (not).
    for n, end in ((2, "2024-06-02"), (3, DAY)):
        c = Case(kit, n)
        c.person(f"S{n}", "F")
        kit.add("Spouse", person=f"X{n}", spouse=f"S{n}", start_date="2000-01-01", end_date=end)
        kit.add("Directorship", person=f"S{n}", company=f"W{n}", role="legal_rep",
                start_date="2015-01-01")
        c.approve()
    # 4 and 5: a brother's shares sold the day after the act (fires) and on the day (not).
    for n, end in ((4, "2024-06-02"), (5, DAY)):
        c = Case(kit, n)
        c.person(f"B{n}", "M", "1968-01-01")
        kit.add("Sibling", person=f"X{n}", sibling=f"B{n}")
        kit.add("Ownership", owner=f"B{n}", company=f"W{n}", percent=60, start_date="2015-01-01",
                end_date=end)
        c.approve()
    # 6 chain: father → K6A (100%) → K6B (60%) → winner (51%), reviewed by the cadre.
    c = Case(kit, 6)
    c.person("F6", "M", "1945-01-01")
    kit.add("Parenthood", parent="F6", child="X6")
    c.company("K6A")
    c.company("K6B")
    kit.add("Ownership", owner="F6", company="K6A", percent=100, start_date="2018-01-01")
    kit.add("Ownership", owner="K6A", company="K6B", percent=60, start_date="2018-01-01")
    kit.add("Ownership", owner="K6B", company="W6", percent=51, start_date="2018-01-01")
    c.approve("review")
    # 7 not a chain: one step is exactly 50% (no control).
    c = Case(kit, 7)
    c.person("C7", "F", "1998-01-01")
    kit.add("Parenthood", parent="X7", child="C7")
    c.company("K7")
    kit.add("Ownership", owner="C7", company="K7", percent=100, start_date="2018-01-01")
    kit.add("Ownership", owner="K7", company="W7", percent=50, start_date="2018-01-01")
    c.approve()
    # 8 shared contact: the spouse's younger sister represents K8, which has the winner's phone.
    c = Case(kit, 8)
    c.person("S8", "F", "1972-01-01")
    c.person("T8", "F", "1975-01-01")
    c.person("U8")
    kit.add("Spouse", person="X8", spouse="S8", start_date="1998-01-01")
    kit.add("Sibling", person="S8", sibling="T8")
    kit.rows["Company"][-1]["phone"] = "13900000008"          # the winner W8
    c.company("K8", phone="13900000008")
    kit.add("Directorship", person="T8", company="K8", role="legal_rep", start_date="2019-01-01")
    kit.add("Ownership", owner="U8", company="W8", percent=100, start_date="2019-01-01")
    c.approve()
    # 9 nominee: N9 holds all of the winner's shares for the cadre's son.
    c = Case(kit, 9)
    c.person("C9", "M", "1995-01-01")
    c.person("N9")
    kit.add("Parenthood", parent="X9", child="C9")
    kit.add("Ownership", owner="N9", company="W9", percent=100, start_date="2021-01-01")
    kit.add("Nominee", holder="N9", beneficiary="C9", company="W9", start_date="2021-01-01")
    c.approve()
    # 10 second cousin (common great-grandparent G10): outside the statute.
    c = Case(kit, 10)
    for pid in ("G10", "A10", "AA10", "B10", "BB10", "Y10"):
        c.person(pid)
    for parent, child in (("G10", "A10"), ("A10", "AA10"), ("AA10", "X10"),
                          ("G10", "B10"), ("B10", "BB10"), ("BB10", "Y10")):
        kit.add("Parenthood", parent=parent, child=child)
    kit.add("Directorship", person="Y10", company="W10", role="director", start_date="2015-01-01")
    c.approve()
    # 11 personnel matter: the organisation head decides on his nephew's promotion.
    kit.add("Cadre", id="X11", name="干部11", gender="M", birth_date="1965-01-01",
            managed_by="O2", rank="division")
    kit.add("Person", id="B11", name="亲属B11", gender="F", birth_date="1960-01-01")
    kit.add("Cadre", id="N11", name="亲属N11", gender="M", birth_date="1988-01-01",
            managed_by="O1", rank="section")
    kit.add("Sibling", person="X11", sibling="B11")
    kit.add("Parenthood", parent="B11", child="N11")
    kit.add("PersonnelAct", person="X11", subject="N11", matter="promotion", date=DAY, post="P2")
    # 12 payment: paid out and approved by the cadre; the son's wife works for the payee.
    c = Case(kit, 12)
    c.person("C12", "M", "1994-01-01")
    c.person("D12", "F", "1995-01-01")
    kit.add("Parenthood", parent="X12", child="C12")
    kit.add("Spouse", person="C12", spouse="D12", start_date="2020-01-01")
    kit.add("Employment", person="D12", employer="W12", position="会计", start_date="2021-01-01")
    kit.add("Payment", id="PAY12", date=DAY, amount=50, payer="O1", payee="W12",
            approved_by="X12", purpose="工程款")
    kit.add("OfficialAct", person="X12", target="PAY12", role="pay", date=DAY, post="P1")
    kit.write()
    return graph


EXPECTED = {
    frozenset({"X1", "S1", "W1", "PJ1"}),
    frozenset({"X2", "S2", "W2", "PJ2"}),
    frozenset({"X4", "B4", "W4", "PJ4"}),
    frozenset({"X6", "F6", "W6", "PJ6", "K6A", "K6B"}),
    frozenset({"X8", "T8", "W8", "PJ8", "K8"}),
    frozenset({"X9", "C9", "W9", "PJ9", "N9"}),
    frozenset({"X11", "N11"}),
    frozenset({"X12", "D12", "W12", "PAY12"}),
}


def test_each_kind_of_tie_fires_and_near_misses_do_not(recusal_graph, settings):
    found = hits(recusal_graph, settings, "recusal", AS_OF)
    assert entity_sets(found) == EXPECTED


def test_evidence_shows_the_act_the_kin_path_and_the_chain(recusal_graph, settings):
    by_subject = {h.subjects[0]: h for h in hits(recusal_graph, settings, "recusal", AS_OF)}
    chain = by_subject["X6"]
    assert chain.date == date(2024, 6, 1) and chain.facts["variant"] == "chain"
    ev = chain.evidence.as_dict()
    act = next(e for e in ev["edges"] if e["type"] == "ACTED_ON")
    assert (act["start"], act["props"]["role"]) == (DAY, "review")
    assert act["source"].startswith("official_acts.csv:")
    owns = [(e["from"], e["to"], e["props"]["percent"]) for e in ev["edges"] if e["type"] == "OWNS"]
    assert owns == [("F6", "K6A", 100), ("K6A", "K6B", 60), ("K6B", "W6", 51)]
    assert all(e["source"].startswith("ownerships.csv:") and e["start"] == "2018-01-01"
               for e in ev["edges"] if e["type"] == "OWNS")
    assert {"PARENT_OF", "AWARDED_TO"} <= {e["type"] for e in ev["edges"]}
    assert "父亲" in chain.explanation and "股权链" in chain.explanation
    assert chain.orgs == ["O1"] and chain.severity is None

    contact = by_subject["X8"]
    assert "配偶的妹妹" in contact.explanation and "13900000008" in contact.explanation
    assert any(e["type"] == "SHARES_CONTACT" for e in contact.evidence.as_dict()["edges"])
    nominee = by_subject["X9"].evidence.as_dict()
    assert any(e["type"] == "NOMINEE_FOR" and e["to"] == "C9" for e in nominee["edges"])
    assert "姐姐的儿子" in by_subject["X11"].explanation
    assert "儿子的妻子" in by_subject["X12"].explanation


def test_a_payment_paid_and_approved_by_one_cadre_is_one_finding(recusal_graph, settings):
    payment = [h for h in hits(recusal_graph, settings, "recusal", AS_OF) if h.subjects == ["X12"]]
    assert len(payment) == 1
    kinds = {a["kind"] for a in payment[0].facts["acts"]}
    assert kinds == {"ACTED_ON", "APPROVED_BY"}


def test_acts_after_as_of_are_not_checked(recusal_graph, settings):
    assert hits(recusal_graph, settings, "recusal", date(2024, 5, 31)) == []


def test_scope_limits_the_cadres(recusal_graph, settings, store):
    found = hits(recusal_graph, settings, "recusal", AS_OF, scope=frozenset({"X6", "X7"}))
    assert entity_sets(found) == {frozenset({"X6", "F6", "W6", "PJ6", "K6A", "K6B"})}
    summary = run_detector(recusal_graph, store, settings, "recusal", AS_OF)
    assert summary.new == len(EXPECTED)


def test_scoped_runs_start_from_their_actors_and_agree(recusal_graph, settings):
    """A scoped run reads the acts of its cadres only, and finds what the whole run
    finds about them (N11, a cadre who did not act, finds nothing)."""
    assert_scoped_runs_agree(recusal_graph, settings, "recusal", AS_OF,
                             ["X1", "X4", "X6", "X9", "X11", "X12", "N11"])
