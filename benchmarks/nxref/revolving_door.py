"""离职从业 in plain networkx: a person holding no post on the day, employed by or (in one
of the configured roles) an officer of a company, the tie starting on or before the day
and within the configured years after a post of theirs ended in an organisation that
regulates the company's industry, the company registered in that organisation's region
(or up to two divisions below). Entities {person, company}."""

from __future__ import annotations

from datetime import date

import networkx as nx
from nxgraph import out_edges

from nxref.common import edges_of_type, holds_on, labels, one_target, within

TEMPLATES = {"regions", "organizations", "posts", "cadres", "persons", "occupancies",
             "companies", "employments", "directorships"}


def years_after(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February (as Cypher dates do)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def rule(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    th = config["thresholds"]
    years, roles = int(th["years"]), set(th["roles"])
    in_office = {p for p, _, data in edges_of_type(g, "HOLDS") if holds_on(data, day)}
    found = set()
    for person, company, tie in edges_of_type(g, "EMPLOYED_BY", "DIRECTOR_OF"):
        if person in in_office or tie["start_date"] > day or "Company" not in labels(g, company):
            continue
        if tie["type"] == "DIRECTOR_OF" and tie["role"] not in roles:
            continue
        industry = g.nodes[company]["industry"]
        registered = one_target(g, company, "REGISTERED_IN")
        for post, holds in out_edges(g, person, "HOLDS"):
            left = holds.get("end_date")
            if left is None or not left <= tie["start_date"] <= years_after(left, years):
                continue
            org = one_target(g, post, "IN_ORG")
            if industry in (g.nodes[org].get("regulates") or ()) \
                    and within(g, registered, one_target(g, org, "JURISDICTION")):
                found.add(frozenset({person, company}))
                break
    return found
