"""Leaders whose close relatives (spouse, children, children's spouses) run businesses in
the leader's organisation's jurisdiction and regulated industries, in plain networkx:
shared by the relative_business and post_avoidance (heads regulating a relative's
company) references."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import networkx as nx

from nxref.common import (
    close_family,
    company_ties_on,
    current_holdings,
    one_target,
    within,
)

TEMPLATES = {"regions", "organizations", "posts", "cadres", "persons", "occupancies", "spouses",
             "parents", "companies", "ownerships", "directorships"}


def leader_relative_companies(g: nx.MultiDiGraph, day: date, heads_only: bool,
                              min_percent: float | None, roles: set[str],
                              any_industry: Callable[[str, str], bool]) -> set[frozenset[str]]:
    """{leader, relative, company} where the leader holds a leadership-team post (the head
    post if ``heads_only``) on ``day`` and the relative's current shares in the company
    add up to ``min_percent`` or the relative holds one of ``roles`` there; the company
    is registered in the organisation's region (or up to two divisions below) and in an
    industry the organisation regulates (any industry when ``any_industry(person, org)``)."""
    found = set()
    relatives: dict[str, set[str]] = {}
    for person, post, org, _ in current_holdings(g, day):
        p = g.nodes[post]
        if not p["in_leadership"] or (heads_only and not p["is_head"]):
            continue
        regulates = set(g.nodes[org].get("regulates") or ())
        anything = any_industry(person, org)
        if not regulates and not anything:
            continue
        region = one_target(g, org, "JURISDICTION")
        if person not in relatives:
            relatives[person] = close_family(g, person, day)
        for relative in relatives[person]:
            for company, ties in company_ties_on(g, relative, day).items():
                c = g.nodes[company]
                if not (anything or c["industry"] in regulates):
                    continue
                if not within(g, one_target(g, company, "REGISTERED_IN"), region):
                    continue
                share = sum(t["percent"] for t in ties if t["type"] == "OWNS")
                runs = any(t["type"] == "DIRECTOR_OF" and t["role"] in roles for t in ties)
                if runs or (min_percent is not None and any(t["type"] == "OWNS" for t in ties)
                            and share >= min_percent):
                    found.add(frozenset({person, relative, company}))
    return found
