"""The family extraction reaches every statutory relative (the longest walk, a first
cousin's spouse through the common grandparents, is five base edges away) and draws the
relation as evidence with the base edges' dates and sources."""

from __future__ import annotations

from datetime import date

import pytest

from graphkit import Kit
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence

pytestmark = pytest.mark.integration


@pytest.fixture
def family_graph(graph):
    kit = Kit(graph)
    people = {"A": "M", "F": "M", "G": "M", "U": "M", "C": "F", "CS": "M", "X": "F"}
    for pid, gender in people.items():
        kit.add("Person", id=pid, name=f"人{pid}", gender=gender, birth_date="1970-01-01")
    # A's father F; F's father G; G's other son U (A's uncle); U's daughter C (cousin),
    # married to CS in 2010; X, the child of CS, is outside the statutory set.
    kit.add("Parenthood", parent="G", child="F")
    kit.add("Parenthood", parent="G", child="U")
    kit.add("Parenthood", parent="F", child="A")
    kit.add("Parenthood", parent="U", child="C")
    kit.add("Spouse", person="C", spouse="CS", start_date="2010-05-01")
    kit.add("Parenthood", parent="CS", child="X")
    kit.write()
    return graph


def test_a_cousins_spouse_five_edges_away_is_found(family_graph):
    fam = load_family(family_graph, ["A"])
    rel = fam.relation("A", "CS", date(2020, 1, 1))
    assert rel is not None and rel.walk == "PBCS" and rel.category == "in_law"
    assert fam.relation("A", "CS", date(2009, 1, 1)) is None    # before the marriage
    assert fam.relation("A", "X", date(2020, 1, 1)) is None     # cousin's spouse's child
    ev = Evidence()
    relation_evidence(ev, fam, rel)
    d = ev.as_dict()
    assert {n["id"] for n in d["nodes"]} == {"A", "F", "G", "U", "C", "CS"}
    spouse = next(e for e in d["edges"] if e["type"] == "SPOUSE_OF")
    assert spouse["start"] == "2010-05-01" and spouse["source"].startswith("spouses.csv:")
    assert all(e["source"] for e in d["edges"])
    assert d["notes"] == [f"人CS是人A的{rel.name}（近姻亲）"]
