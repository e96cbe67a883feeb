"""隐性关联群 on a fixture graph: three cadres' relatives cross-tied with three contractors
(positive), three separate cadre–relative–company stars (the `sparse` near-miss), and the
same dense shape among companies that won no project in the window (negative)."""

from __future__ import annotations

from datetime import date

import pytest
from detectorkit import entity_sets, hits
from graphkit import Kit
from twofacedkit import cadre, company, county, person

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


def dense(kit: Kit, tag: str, award: str | None) -> set[str]:
    c, r, k = [f"{tag}C{i}" for i in (1, 2, 3)], [f"{tag}R{i}" for i in (1, 2, 3)], \
        [f"{tag}K{i}" for i in (1, 2, 3)]
    for i in range(3):
        cadre(kit, c[i], org="O1" if i != 1 else "O2")
        person(kit, r[i])
    kit.add("Spouse", person=c[0], spouse=r[0], start_date="2000-01-01")
    kit.add("Sibling", person=c[1], sibling=r[1])
    kit.add("Spouse", person=c[2], spouse=r[2], start_date="2000-01-01")
    company(kit, k[0], phone="13800000001", address="甲路8号")
    company(kit, k[1], address="甲路8号")
    company(kit, k[2], phone="13800000001")
    for owner, firm, pct in [(r[0], k[0], 40), (r[1], k[0], 30), (r[2], k[0], 30), (r[1], k[1], 50),
                             (k[0], k[1], 50), (r[2], k[2], 60), (k[1], k[2], 40)]:
        kit.add("Ownership", owner=owner, company=firm, percent=pct, amount=pct, start_date="2018-01-01")
    kit.add("Directorship", person=r[0], company=k[0], role="legal_rep", start_date="2018-01-01")
    kit.add("Directorship", person=r[0], company=k[2], role="director", start_date="2018-01-01")
    kit.add("Employment", person=r[0], employer=k[1], start_date="2019-01-01", position="顾问")
    kit.add("Payment", id=f"{tag}PAY", date="2025-03-01", amount=30.0, payer=k[0], payee=k[1])
    projects = set()
    if award:
        for i in range(3):
            kit.add("Project", id=f"{tag}J{i}", name=f"项目{i}", owner="O2", method="open",
                    award_date=award, winner=k[i])
            projects.add(f"{tag}J{i}")
    return set(c + r + k) | projects


def sparse(kit: Kit, tag: str) -> None:
    for i in range(3):
        cadre(kit, f"{tag}C{i}")
        person(kit, f"{tag}R{i}")
        company(kit, f"{tag}K{i}")
        kit.add("Spouse", person=f"{tag}C{i}", spouse=f"{tag}R{i}", start_date="2000-01-01")
        kit.add("Ownership", owner=f"{tag}R{i}", company=f"{tag}K{i}", percent=100, amount=50,
                start_date="2018-01-01")
        kit.add("Directorship", person=f"{tag}R{i}", company=f"{tag}K{i}", role="legal_rep",
                start_date="2018-01-01")
        kit.add("Project", id=f"{tag}J{i}", name=f"项目{i}", owner="O2", method="open",
                award_date="2024-05-01", winner=f"{tag}K{i}")


@pytest.fixture
def cluster_graph(graph):
    kit = Kit(graph)
    county(kit)
    members = dense(kit, "A", "2024-05-01")
    dense(kit, "N", None)           # the same shape, but no contractor among them
    sparse(kit, "S")
    kit.write()
    graph.members = members
    return graph


def test_dense_cluster_of_cadres_relatives_and_contractors(cluster_graph, settings):
    found = hits(cluster_graph, settings, "hidden_cluster", AS_OF)
    assert entity_sets(found) == {frozenset(cluster_graph.members)}
    hit = found[0]
    assert sorted(hit.subjects) == ["AC1", "AC2", "AC3"] and hit.orgs == ["O1", "O2"]
    assert hit.facts["counts"] == {"cadre": 3, "relative": 3, "company": 3}
    assert "紧密关联群" in hit.explanation and "共用电话" in hit.explanation
    types = {e["type"] for e in hit.evidence.as_dict()["edges"]}
    assert {"OWNS", "DIRECTOR_OF", "EMPLOYED_BY", "SHARES_CONTACT", "AWARDED_TO", "SPOUSE_OF",
            "SIBLING_OF", "PAID_TO"} <= types


def test_the_same_seed_gives_the_same_clusters(cluster_graph, settings):
    first = entity_sets(hits(cluster_graph, settings, "hidden_cluster", AS_OF))
    assert entity_sets(hits(cluster_graph, settings, "hidden_cluster", AS_OF)) == first


def test_scope_keeps_clusters_touching_a_cadre(cluster_graph, settings):
    assert hits(cluster_graph, settings, "hidden_cluster", AS_OF, scope=frozenset({"SC1"})) == []
    assert len(hits(cluster_graph, settings, "hidden_cluster", AS_OF, scope=frozenset({"AC2"}))) == 1
