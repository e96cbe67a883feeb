"""The avoidance rules done in plain networkx, for the side-by-side benchmark.

Each function takes the graph of ``nxgraph.load`` and the detector's configuration and
returns the entity-id sets the database detector should find, so the benchmark both
times the two and checks that they agree. The statutory kinship itself is the same pure
code (riskgraph.kinship) on both sides; only the data access differs.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from nxgraph import in_edges, out_edges


def _current(data: dict, day: date) -> bool:
    return data["start_date"] <= day and (data.get("end_date") is None or data["end_date"] > day)


def _parent_region(g: nx.MultiDiGraph, region: str) -> str | None:
    return next((t for t, _ in out_edges(g, region, "PART_OF")), None)


def region_avoidance(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    from riskgraph.detectors.region_avoidance import matches

    found = set()
    for level, rule in config["scope"]["levels"].items():
        kinds = set(rule["kinds"])
        for org, attrs in g.nodes(data=True):
            if "Organization" not in attrs["labels"] or attrs["kind"] not in kinds \
                    or attrs["level"] != level:
                continue
            region = next(t for t, _ in out_edges(g, org, "JURISDICTION"))
            for post, _ in in_edges(g, org, "IN_ORG"):
                if not g.nodes[post]["is_head"]:
                    continue
                for person, holds in in_edges(g, post, "HOLDS"):
                    if not _current(holds, day):
                        continue
                    home = next((t for t, _ in out_edges(g, person, "GREW_UP_IN")), None)
                    if home is None:
                        continue
                    row = {"home_id": home, "home_parent": _parent_region(g, home),
                           "region_id": region, "region_parent": _parent_region(g, region)}
                    if matches(rule["match"], row):
                        found.add(frozenset({person, post}))
    return found


# Detector name -> (templates it needs, function). Only the files a rule reads are loaded.
RULES = {
    "region_avoidance": ({"regions", "organizations", "posts", "cadres", "persons",
                          "occupancies"}, region_avoidance),
}
