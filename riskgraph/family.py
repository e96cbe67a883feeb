"""Read the families of some persons out of the graph, and draw a relation as evidence.

The extraction walks the base kinship edges outward from the seed persons, one query per
step and batch, for as many steps as the longest statutory walk needs
(``kinship.MAX_EDGE_HOPS``), so the statutory relatives of every seed are complete and
nothing beyond them is read.
"""

from __future__ import annotations

from collections.abc import Iterable

from riskgraph.evidence import Evidence
from riskgraph.graph import GraphClient
from riskgraph.kinship import MAX_EDGE_HOPS, PARENT, SIBLING, Family, Relation
from riskgraph.values import native

BATCH = 2000


def add_base_edge(fam: Family, type_: str, src: str, dst: str, start=None, end=None,
                  source: str | None = None) -> None:
    """Add one base kinship edge as read from the graph (``type_`` SPOUSE_OF, PARENT_OF
    or SIBLING_OF, in the edge's own direction; dates as the driver gives them)."""
    if type_ == "SPOUSE_OF":
        fam.add_spouse(src, dst, native(start), native(end), source)
    elif type_ == "PARENT_OF":
        fam.add_parent(src, dst, source)
    else:
        fam.add_sibling(src, dst, source)


def load_family(graph: GraphClient, seeds: Iterable[str], hops: int = MAX_EDGE_HOPS) -> Family:
    """The base kinship edges within ``hops`` edges of the seed persons."""
    fam = Family()
    seeds = sorted(set(seeds))
    for i in range(0, len(seeds), BATCH):
        for r in graph.read("kinship/persons", {"ids": seeds[i:i + BATCH]}):
            fam.add_person(r["id"], r["gender"], native(r["birth_date"]), r["name"], r["source"])
    seen = set(seeds)
    frontier = seeds
    for _ in range(hops):
        found: set[str] = set()
        for i in range(0, len(frontier), BATCH):
            for r in graph.read("kinship/family_edges", {"ids": frontier[i:i + BATCH]}):
                other = r["other"]
                if other not in fam.gender:
                    fam.add_person(other, r["other_gender"], native(r["other_birth"]),
                                   r["other_name"])
                add_base_edge(fam, r["type"], r["src"], r["dst"], r["start_date"], r["end_date"],
                              r["source"])
                if other not in seen:
                    found.add(other)
        seen |= found
        frontier = sorted(found)
        if not frontier:
            break
    return fam


def relation_evidence(ev: Evidence, fam: Family, rel: Relation) -> None:
    """Add the persons and base edges of ``rel`` to ``ev``, and a note naming it."""
    def person(pid: str) -> None:
        ev.node("Person", pid, fam.names.get(pid, pid), fam.person_sources.get(pid),
                gender=fam.gender.get(pid), birth_date=fam.birth.get(pid))

    prev = rel.source
    person(prev)
    for link in rel.path:
        person(link.to)
        if link.step == "S":
            a, b = sorted((prev, link.to))
            ev.edge("SPOUSE_OF", a, b, link.start, link.end, link.source)
        elif link.step == "P":
            ev.edge("PARENT_OF", link.to, prev, source=link.source)
        elif link.step == "C":
            ev.edge("PARENT_OF", prev, link.to, source=link.source)
        elif link.via:    # a sibling through a common parent on file
            person(link.via)
            ev.edge("PARENT_OF", link.via, prev, source=fam.source_of(PARENT, prev, link.via))
            ev.edge("PARENT_OF", link.via, link.to, source=fam.source_of(PARENT, link.to, link.via))
        else:
            ev.edge("SIBLING_OF", prev, link.to, source=fam.source_of(SIBLING, prev, link.to))
        prev = link.to
    ev.note(f"{fam.names.get(rel.target, rel.target)}是{fam.names.get(rel.source, rel.source)}"
            f"的{rel.name}（{rel.category_zh}）")
