"""领导干部亲属经商办企业 in plain networkx: a leadership-team member's spouse, child or
child's spouse holding at least the configured share, or one of the configured offices,
in a company of the leader's jurisdiction and regulated industries (any industry for the
ranks and organisation kinds of ``scope.any_industry``)."""

from __future__ import annotations

from datetime import date

import networkx as nx

from nxref.kin_business import TEMPLATES, leader_relative_companies

__all__ = ["TEMPLATES", "rule"]


def rule(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    stricter = config["scope"].get("any_industry") or {}
    ranks, kinds = set(stricter.get("ranks") or ()), set(stricter.get("org_kinds") or ())

    def any_industry(person: str, org: str) -> bool:
        return g.nodes[person].get("rank") in ranks or g.nodes[org]["kind"] in kinds

    th = config["thresholds"]
    return leader_relative_companies(g, day, heads_only=False, min_percent=th["min_share_percent"],
                                     roles=set(th["roles"]), any_industry=any_industry)
