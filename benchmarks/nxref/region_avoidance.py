"""地域回避 in plain networkx: current heads of the listed organisation kinds of each level
whose place of growing up matches the level's rule (config/detectors/region_avoidance)."""

from __future__ import annotations

from datetime import date

import networkx as nx
from nxgraph import in_edges

from nxref.common import holds_on, nodes_labelled, one_target

TEMPLATES = {"regions", "organizations", "posts", "cadres", "persons", "occupancies"}


def home_matches(match: str, home: str, region: str, home_parent: str | None,
                 region_parent: str | None) -> bool:
    """same_region: grew up in the governed region; within_region: there or in a division
    of it; around_region: there or in the region the governed one belongs to."""
    if match == "same_region":
        return home == region
    if match == "within_region":
        return region in (home, home_parent)
    if match == "around_region":
        return home in (region, region_parent)
    raise ValueError(f"unknown match rule {match!r}")


def rule(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    found = set()
    levels = config["scope"]["levels"]
    for org, attrs in nodes_labelled(g, "Organization"):
        level = levels.get(attrs["level"])
        if level is None or attrs["kind"] not in level["kinds"]:
            continue
        region = one_target(g, org, "JURISDICTION")
        for post, _ in in_edges(g, org, "IN_ORG"):
            if not g.nodes[post]["is_head"]:
                continue
            for person, holds in in_edges(g, post, "HOLDS"):
                home = one_target(g, person, "GREW_UP_IN")
                if home is None or not holds_on(holds, day):
                    continue
                if home_matches(level["match"], home, region, one_target(g, home, "PART_OF"),
                                one_target(g, region, "PART_OF")):
                    found.add(frozenset({person, post}))
    return found
