"""riskgraph.ties without a database: which persons are tied to a company on a date."""

from __future__ import annotations

from datetime import date

from riskgraph.ties import (Step, TieRules, add_node, add_step, company_graph, control_chains,
                            direct_ties, ties_on)

DAY = date(2024, 6, 1)
RULES = TieRules(chain_max_hops=3, chain_above_percent=50, contact_max_companies=2)


def graph(persons=(), companies=(), steps=()):
    g = company_graph()
    for p in persons:
        add_node(g, p, "Person")
    for c in companies:
        add_node(g, c, "Company")
    for s in steps:
        add_step(g, s)
    return g


def kinds(ties):
    return sorted((t.kind, t.person, t.extras) for t in ties)


def test_direct_roles_shares_and_employment():
    g = graph(["A", "B", "C", "D"], ["W"], [
        Step("OWNS", "A", "W", date(2020, 1, 1), None, percent=3),
        Step("DIRECTOR_OF", "B", "W", date(2020, 1, 1), None, role="supervisor"),
        Step("DIRECTOR_OF", "C", "W", date(2020, 1, 1), None, role="legal_rep"),
        Step("EMPLOYED_BY", "D", "W", date(2020, 1, 1), None)])
    assert sorted(direct_ties(g, "W", DAY, RULES)) == ["A", "C", "D"]
    strict = TieRules(direct_min_percent=5, employment=False)
    assert sorted(direct_ties(g, "W", DAY, strict)) == ["C"]


def test_dates_start_inclusive_end_exclusive():
    g = graph(["A"], ["W"], [Step("OWNS", "A", "W", DAY, date(2025, 1, 1), percent=10)])
    assert direct_ties(g, "W", DAY, RULES)
    assert not direct_ties(g, "W", date(2024, 5, 31), RULES)
    assert not direct_ties(g, "W", date(2025, 1, 1), RULES)


def test_chains_need_control_at_every_step_and_stay_within_the_hops():
    g = graph(["R"], ["K1", "K2", "K3", "W"], [
        Step("OWNS", "R", "K1", percent=100), Step("OWNS", "K1", "K2", percent=50.5),
        Step("OWNS", "K2", "W", percent=70), Step("OWNS", "K1", "K3", percent=50),
        Step("OWNS", "K3", "W", percent=100)])
    chains = control_chains(g, "W", DAY, 3, 50)
    assert [[s.src for s in c] for c in chains] == [["R", "K1", "K2"]]   # K3 step is 50%
    assert control_chains(g, "W", DAY, 2, 50) == []


def test_a_direct_owner_is_not_a_chain_and_cycles_end():
    g = graph(["R"], ["K1", "K2", "W"], [
        Step("OWNS", "R", "W", percent=80), Step("OWNS", "K1", "K2", percent=60),
        Step("OWNS", "K2", "K1", percent=60), Step("OWNS", "K2", "W", percent=60)])
    assert control_chains(g, "W", DAY, 5, 50) == []
    assert kinds(ties_on(g, "W", DAY, RULES)) == [("direct", "R", ())]


def test_shared_contact_counts_owners_and_officers_not_staff_and_skips_hubs():
    g = graph(["R", "E"], ["K", "W", "H1", "H2", "H3", "V"], [
        Step("OWNS", "R", "K", percent=100), Step("EMPLOYED_BY", "E", "K"),
        Step("SHARES_CONTACT", "K", "W", field="phone", value="139"),
        Step("OWNS", "R", "H1", percent=100),
        *[Step("SHARES_CONTACT", "H1", o, field="address", value="1号") for o in ("H2", "H3", "V")]])
    assert kinds(ties_on(g, "W", DAY, RULES)) == [("shared_contact", "R", ("K",))]
    assert ties_on(g, "V", DAY, RULES) == []     # H1's address is shared by three: a hub


def test_nominee_holds_for_the_beneficiary_while_it_lasts():
    g = graph(["N", "R"], ["W"], [
        Step("OWNS", "N", "W", date(2020, 1, 1), None, percent=100),
        Step("NOMINEE_FOR", "N", "W", date(2020, 1, 1), date(2024, 6, 2), beneficiary="R")])
    tie = next(t for t in ties_on(g, "W", DAY, RULES) if t.kind == "nominee")
    assert (tie.person, tie.extras, [s.type for s in tie.steps]) == ("R", ("N",),
                                                                     ["NOMINEE_FOR", "OWNS"])
    assert [t.kind for t in ties_on(g, "W", date(2024, 6, 2), RULES)] == ["direct"]   # N only


def test_rules_choose_the_kinds():
    g = graph(["R"], ["K1", "W"], [Step("OWNS", "R", "K1", percent=100),
                                    Step("OWNS", "K1", "W", percent=100)])
    assert kinds(ties_on(g, "W", DAY, TieRules(kinds=("direct",)))) == []
    assert kinds(ties_on(g, "W", DAY, RULES)) == [("chain", "R", ("K1",))]
