"""任职回避 in plain networkx.

(1) Two statutory relatives (either a relative of the other) holding posts in one
organisation on the day where one post reports directly to the other; or (with
``scope.level_below``) one is in the leadership team and the other, outside it, reports
directly to a leadership-team post of that organisation (上下相邻两级正副职); or both sit
in the leadership team; or both report to the same post; or one is in the leadership team
and the other, outside it, holds a post of a sensitive category. Entities {A, B, org}.
(2) The head of an organisation regulating industries whose spouse, child or child's
spouse holds at least ``large_share_percent`` of, or a ``regulated_roles`` office in, a
company of that organisation's jurisdiction and regulated industries. Entities
{head, relative, company}.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import networkx as nx

from nxref.common import Kin, current_holdings, one_target
from nxref.kin_business import TEMPLATES as BUSINESS_TEMPLATES
from nxref.kin_business import leader_relative_companies

TEMPLATES = BUSINESS_TEMPLATES | {"siblings"}


def must_avoid(g: nx.MultiDiGraph, a: str, b: str, sensitive: set[str], level_below: bool) -> bool:
    """Whether holders of posts ``a`` and ``b`` of one organisation must not be relatives."""
    pa, pb = g.nodes[a], g.nodes[b]
    sup = {a: one_target(g, a, "REPORTS_TO"), b: one_target(g, b, "REPORTS_TO")}
    if sup[a] == b or sup[b] == a:
        return True
    if pa["in_leadership"] and pb["in_leadership"]:
        return True
    if sup[a] is not None and sup[a] == sup[b]:
        return True
    org = one_target(g, a, "IN_ORG")
    for x, y in ((pa, b), (pb, a)):
        if not x["in_leadership"] or g.nodes[y]["in_leadership"]:
            continue
        if g.nodes[y]["category"] in sensitive:
            return True
        boss = sup[y]
        if level_below and boss is not None and g.nodes[boss]["in_leadership"] \
                and one_target(g, boss, "IN_ORG") == org:
            return True
    return False


def kin_in_one_org(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    scope = config["scope"]
    sensitive = set(scope.get("sensitive_categories") or ())
    level_below = bool(scope.get("level_below", True))
    posts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for person, post, org, _ in current_holdings(g, day):
        posts[org][person].append(post)
    family = Kin(g)
    kin: dict[str, set[str]] = {}
    found = set()
    for org, members in posts.items():
        # Relatives share a connected family: skip those alone in theirs here.
        families = Counter(family.family_of.get(p) for p in members)
        for a in members:
            if a not in family.family_of or families[family.family_of[a]] < 2:
                continue
            if a not in kin:
                kin[a] = set(family.relatives(a, day))
            for b in kin[a] & members.keys():
                if any(must_avoid(g, x, y, sensitive, level_below)
                       for x in members[a] for y in members[b]):
                    found.add(frozenset({a, b, org}))
    return found


def rule(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    th = config["thresholds"]
    return kin_in_one_org(g, config, day) | leader_relative_companies(
        g, day, heads_only=True, min_percent=th["large_share_percent"],
        roles=set(th["regulated_roles"]), any_industry=lambda person, org: False)
