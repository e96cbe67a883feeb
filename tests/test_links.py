"""Link investigation services on a small graph: who may see what, captions of nodes
without a name, and the entity index following imports.

O1 is the narrow user's organisation: cadre A (managed by O1). X is a cadre of O2,
outside that scope.

- A's wife S owns C1 (甲建设); X, A's brother, also owns C1   → two routes A–C1, one via X
- X's wife T owns C2 (乙建设)                                 → linked to A only through X
- F (nobody's relative) owns C3 (丙建设)                      → linked to no cadre
- payment PAY1 (2023-05-01, 12万元) from O1 to C1, approved by A (a third route A–C1)
"""

from __future__ import annotations

import pytest
from graphkit import Kit

from riskgraph.access import resolve_scope
from riskgraph.services import links as svc
from riskgraph.services.link_scope import LinkScope, full_reach

pytestmark = pytest.mark.integration


@pytest.fixture
def linked(graph):
    kit = Kit(graph)
    kit.add("Region", id="K1", name="乙县", level="county")
    for org in ("O1", "O2"):
        kit.add("Organization", id=org, name=f"{org}局", kind="housing", level="county", region="K1")
    kit.add("Cadre", id="A", name="张甲", gender="M", managed_by="O1")
    kit.add("Cadre", id="X", name="张乙", gender="M", managed_by="O2")
    for pid, name in (("S", "李丙"), ("T", "王丁"), ("F", "赵戊")):
        kit.add("Person", id=pid, name=name, gender="F")
    kit.add("Spouse", person="A", spouse="S", start_date="1995-01-01")
    kit.add("Spouse", person="X", spouse="T", start_date="1996-01-01")
    kit.add("Sibling", person="A", sibling="X")
    for cid, name, owner in (("C1", "甲建设有限公司", "S"), ("C2", "乙建设有限公司", "T"),
                             ("C3", "丙建设有限公司", "F")):
        kit.add("Company", id=cid, name=name, industry="E", region="K1")
        kit.add("Ownership", owner=owner, company=cid, percent=60, start_date="2015-01-01")
    kit.add("Ownership", owner="X", company="C1", percent=10, start_date="2016-01-01")
    kit.add("Payment", id="PAY1", date="2023-05-01", amount=12, payer="O1", payee="C1",
            approved_by="A")
    kit.write()
    narrow, everyone = resolve_scope(graph, ["O1"]), resolve_scope(graph, ["*"])
    assert narrow.cadre_ids == {"A"} and {"A", "X"} <= everyone.cadre_ids
    return svc.Links(graph), narrow, everyone


def ids(nodes) -> set[str]:
    return {n["id"] for n in nodes}


def test_search_shows_a_restricted_user_only_what_is_linked_to_their_cadres(linked):
    links, narrow, everyone = linked
    assert ids(svc.search(links, everyone, "建设")) == {"C1", "C2", "C3"}
    assert ids(svc.search(links, narrow, "建设")) == {"C1"}
    assert svc.search(links, narrow, "X") == [] and svc.search(links, narrow, "王丁") == []
    assert ids(svc.search(links, narrow, "李丙")) == {"S"}
    assert ids(svc.search(links, everyone, "X")) == {"X"}


def test_paths_through_out_of_scope_cadres_are_cut_and_not_counted(linked):
    links, narrow, everyone = linked
    wide = svc.shortest_paths(links, everyone, "Person:A", "Company:C1", hops=4)
    assert sorted(p["nodes"] for p in wide["paths"]) == [["A", "PAY1", "C1"], ["A", "S", "C1"],
                                                         ["A", "X", "C1"]]
    cut = svc.shortest_paths(links, narrow, "Person:A", "Company:C1", hops=4)
    assert sorted(p["nodes"] for p in cut["paths"]) == [["A", "PAY1", "C1"], ["A", "S", "C1"]]
    assert "X" not in ids(cut["nodes"]) and "hidden" not in cut
    assert all("X" not in (e["from"], e["to"]) for e in cut["edges"])
    # C2 is linked to A only through X: the narrow user can neither pick it nor reach it
    assert svc.entity_visible(links, narrow, "Company:C2") is None
    assert svc.entity_visible(links, narrow, "Person:X") is None
    assert svc.entity_visible(links, everyone, "Company:C2")["name"] == "乙建设有限公司"
    assert [p["nodes"] for p in svc.shortest_paths(links, everyone, "Person:A", "Company:C2",
                                                   hops=4)["paths"]] == [["A", "X", "T", "C2"]]


def test_path_edges_carry_direction_dates_and_source(linked):
    links, _, everyone = linked
    out = svc.shortest_paths(links, everyone, "Company:C1", "Person:A", hops=2)
    edges = {e["id"]: e for e in out["edges"]}
    owns = edges["S|OWNS|C1|2015-01-01"]
    assert (owns["from"], owns["to"], owns["start"], owns["type_zh"]) == ("S", "C1", "2015-01-01", "持股")
    assert owns["source"].startswith("ownerships.csv:")
    for p in out["paths"]:
        assert all(e in edges for e in p["edges"]) and len(p["edges"]) == len(p["nodes"]) - 1


def test_neighbours_leave_out_what_the_user_may_not_see_and_caption_nameless_nodes(linked):
    links, narrow, everyone = linked
    around = svc.neighbours(links, narrow, "Person:A")
    names = {n["id"]: n["name"] for n in around["nodes"]}
    assert names["PAY1"] == "付款 2023-05-01 12万元"
    assert names["S"] == "李丙" and "X" not in names
    assert "X" in ids(svc.neighbours(links, everyone, "Person:A")["nodes"])
    paid = svc.neighbours(links, everyone, "Company:C1")
    assert {n["id"]: n["name"] for n in paid["nodes"]}["PAY1"] == "付款 2023-05-01 12万元"


def test_entity_index_reloads_when_an_import_ran(graph, linked):
    _, _, everyone = linked
    stamp = ["before"]
    links = svc.Links(graph, lambda: stamp[0], check_s=0)
    assert ids(svc.search(links, everyone, "建设")) == {"C1", "C2", "C3"}
    kit = Kit(graph)
    kit.add("Company", id="C4", name="丁建设有限公司", industry="E", region="K1")
    kit.write()
    assert ids(svc.search(links, everyone, "建设")) == {"C1", "C2", "C3"}   # still cached
    stamp[0] = "after"
    assert ids(svc.search(links, everyone, "建设")) == {"C1", "C2", "C3", "C4"}


@pytest.fixture
def chains(graph):
    """O1's cadres A and A2, O2's cadre X (A's brother); hubs have more than 3 links.

    A–S (wife)–C1–P1–C4: C4 is 4 steps away; X–C2: only through X; A2–H–Q1–C5: H is a
    hub (A2, Q1, Q2, Q3 own it), so Q1 and C5 are not reached; Q2 also owns C1 (3 steps
    from A); F–C3 linked to nobody."""
    kit = Kit(graph)
    kit.add("Region", id="K1", name="乙县", level="county")
    for org in ("O1", "O2"):
        kit.add("Organization", id=org, name=f"{org}局", kind="housing", level="county", region="K1")
    for cid, org in (("A", "O1"), ("A2", "O1"), ("X", "O2")):
        kit.add("Cadre", id=cid, name=f"干部{cid}", gender="M", managed_by=org)
    for pid in ("S", "P1", "Q1", "Q2", "Q3", "F"):
        kit.add("Person", id=pid, name=f"人员{pid}", gender="F")
    kit.add("Spouse", person="A", spouse="S", start_date="1995-01-01")
    kit.add("Sibling", person="A", sibling="X")
    owned = {"C1": ["S", "P1", "Q2"], "C4": ["P1"], "C2": ["X"], "H": ["A2", "Q1", "Q2", "Q3"],
             "C5": ["Q1"], "C3": ["F"]}
    for cid, owners in owned.items():
        kit.add("Company", id=cid, name=f"公司{cid}", industry="E", region="K1")
        for owner in owners:
            kit.add("Ownership", owner=owner, company=cid, percent=10, start_date="2015-01-01")
    kit.write()
    labels = {n: ("Person", "Cadre") for n in ("A", "A2", "X")}
    labels |= {n: ("Person",) for n in ("S", "P1", "Q1", "Q2", "Q3", "F")}
    labels |= {n: ("Company",) for n in owned} | {"O1": ("Organization",), "O2": ("Organization",),
                                                   "K1": ("Region",)}
    return graph, labels


@pytest.mark.parametrize("ring_max", [0, 500])
def test_lazy_visibility_equals_the_full_reach_for_every_entity(chains, ring_max):
    graph, labels = chains
    narrow = resolve_scope(graph, ["O1"])
    assert narrow.cadre_ids == {"A", "A2"}
    types = svc.default_types(graph)
    full = full_reach(graph, narrow, types, 3, 3)
    assert full == {"A", "A2", "S", "C1", "P1", "Q2", "H"}
    one_by_one = {n for n, ls in labels.items()
                  if LinkScope(graph, narrow, types, 3, 3, ring_max=ring_max).visible(n, ls)}
    together = LinkScope(graph, narrow, types, 3, 3, ring_max=ring_max).visible_among(labels)
    shared = LinkScope(graph, narrow, types, 3, 3, ring_max=ring_max)   # later ones use earlier
    in_turn = {n for n in sorted(labels, reverse=True) if shared.visible(n, labels[n])}
    assert one_by_one == together == in_turn == set(full)


def test_out_of_scope_cadres_never_appear_with_lazy_visibility(chains):
    graph, _ = chains
    links, narrow = svc.Links(graph, max_degree=3), resolve_scope(graph, ["O1"])
    assert svc.search(links, narrow, "干部") and "X" not in ids(svc.search(links, narrow, "干部"))
    assert svc.search(links, narrow, "公司C2") == []
    assert "X" not in ids(svc.neighbours(links, narrow, "Person:A")["nodes"])
    assert svc.shortest_paths(links, narrow, "Person:A", "Company:C2", hops=6)["paths"] == []
    route = svc.shortest_paths(links, narrow, "Person:A", "Person:P1", hops=6)
    assert route["paths"] == [{"nodes": ["A", "S", "C1", "P1"], "edges": route["paths"][0]["edges"]}]
    assert svc.entity_visible(links, narrow, "Company:C4") is None
    assert svc.entity_visible(links, narrow, "Person:X") is None
