"""Shared by ``relative_business`` and ``post_avoidance``: leaders whose spouse, child or
child's spouse holds shares in, or an office of, a company registered in the leader's
organisation's jurisdiction and (unless any industry counts) in an industry the
organisation regulates (管辖的地区和业务范围).

Not a detector itself (no ``DETECTOR``): the two detectors differ in who counts as the
leader (any leadership-team member, or the head only) and in which ties count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from riskgraph.detectors.base import Context, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence
from riskgraph.kin_skeleton import run_family
from riskgraph.kinship import Family, Relation
from riskgraph.ties import ROLE_ZH
from riskgraph.values import native

CLOSE_FAMILY_HOPS = 2      # spouse, child, child's spouse: at most two base edges


@dataclass
class Match:
    """A leader's close relative tied to a company in the leader's jurisdiction."""

    leader: dict                   # the org_leaders row (one post of the leader)
    relation: Relation
    family: Family
    company: dict                  # company_* columns of the first tie row
    ties: list[dict] = field(default_factory=list)
    percent: float = 0.0           # summed current shareholding
    roles: list[str] = field(default_factory=list)
    since: date | None = None      # the first day leader, relation and tie all held

    @property
    def ids(self) -> tuple[str, str, str]:
        return self.leader["person_id"], self.relation.target, self.company["company_id"]

    @property
    def relative_name(self) -> str:
        return self.family.names.get(self.relation.target, self.relation.target)


def relation_start(rel: Relation) -> date | None:
    """The day the relation began, as far as the graph says (the latest marriage on it)."""
    starts = [link.start for link in rel.path if link.start]
    return max(starts) if starts else None


def qualifying_since(ties: list[dict], min_percent: float | None, roles: list[str]) -> date | None:
    """The first day the ties reached the share threshold or an office in ``roles``.

    >>> t = [{"tie": "OWNS", "percent": 10.0, "start_date": date(2020, 1, 1), "role": None},
    ...      {"tie": "OWNS", "percent": 20.0, "start_date": date(2021, 1, 1), "role": None}]
    >>> qualifying_since(t, 25, []), qualifying_since(t, 5, []), qualifying_since(t, 50, [])
    (datetime.date(2021, 1, 1), datetime.date(2020, 1, 1), None)
    """
    days = []
    total = 0.0
    for t in sorted((t for t in ties if t["tie"] == "OWNS"), key=lambda t: native(t["start_date"])):
        total += float(t["percent"] or 0)
        if min_percent is not None and total >= min_percent:
            days.append(native(t["start_date"]))
            break
    days += [native(t["start_date"]) for t in ties if t["tie"] == "DIRECTOR_OF" and t["role"] in roles]
    return min(days) if days else None


def leader_businesses(ctx: Context, heads_only: bool, min_percent: float | None,
                      roles: list[str], any_industry: Callable[[dict], bool]) -> list[Match]:
    """Every (leader, close relative, company) where the relative's current shares reach
    ``min_percent`` or the relative holds an office in ``roles``; ``any_industry(row)``
    says whether a leader's whole region counts regardless of industry.

    A whole run reads the leaders' close families from the graph. A scoped one (a
    re-check after an import) finds the matches over the process's kinship skeleton,
    caught up with the imports since (who is related only), and then reads the
    families of the leaders matched, for the relations' names and the evidence."""
    params = {"as_of": ctx.as_of, "heads_only": heads_only}
    leaders = ctx.read_scope_first("detectors/org_leaders", params)
    for r in leaders:
        r["any_industry"] = bool(any_industry(r))
    leaders = [r for r in leaders if r["regulates"] or r["any_industry"]]
    if not leaders:
        return []
    fam = run_family(ctx, {r["person_id"] for r in leaders}, CLOSE_FAMILY_HOPS)
    matches = list(_matches(ctx, leaders, fam, min_percent, roles))
    if ctx.scope is not None and matches:
        fam = load_family(ctx.graph, {m.leader["person_id"] for m in matches},
                          hops=CLOSE_FAMILY_HOPS)
        for m in matches:
            m.family = fam
            m.relation = fam.relatives(m.leader["person_id"], ctx.as_of)[m.relation.target]
    return matches


def _matches(ctx: Context, leaders: list[dict], fam: Family, min_percent: float | None,
             roles: list[str]) -> Iterator[Match]:
    close: dict[str, list[Relation]] = {}
    params = {}
    for r in leaders:
        pid = r["person_id"]
        if pid not in close:
            close[pid] = [rel for rel in fam.relatives(pid, ctx.as_of).values() if rel.close_family]
        for rel in close[pid]:
            key = (rel.target, r["region_id"], tuple(r["regulates"]), r["any_industry"])
            params[key] = {"relative": rel.target, "region": r["region_id"],
                           "industries": list(r["regulates"]), "any_industry": r["any_industry"]}
    if not params:
        return
    ties: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for t in ctx.graph.read("detectors/relative_company_ties",
                            {"rows": list(params.values()), "roles": roles, "as_of": ctx.as_of}):
        ties[(t["relative"], t["region"])].append(t)
    seen = set()
    for r in leaders:
        for rel in close[r["person_id"]]:
            by_company: dict[str, list[dict]] = defaultdict(list)
            for t in ties.get((rel.target, r["region_id"]), ()):
                if r["any_industry"] or t["company_industry"] in r["regulates"]:
                    by_company[t["company_id"]].append(t)
            for company_id, company_ties in sorted(by_company.items()):
                since = qualifying_since(company_ties, min_percent, roles)
                key = (r["person_id"], rel.target, company_id)
                if since is None or key in seen:
                    continue
                seen.add(key)
                days = [since, native(r["start_date"]), relation_start(rel)]
                yield Match(
                    leader=r, relation=rel, family=fam, company=company_ties[0], ties=company_ties,
                    percent=sum(float(t["percent"] or 0) for t in company_ties if t["tie"] == "OWNS"),
                    roles=sorted({t["role"] for t in company_ties if t["tie"] == "DIRECTOR_OF"}),
                    since=max(d for d in days if d))


def tie_words(m: Match) -> str:
    """持股47.4%并担任法定代表人"""
    words = []
    if m.percent:
        words.append(f"持股{m.percent:g}%")
    if m.roles:
        words.append("担任" + "、".join(ROLE_ZH.get(x, x) for x in m.roles))
    return "并".join(words)


def match_evidence(m: Match) -> Evidence:
    """Leader's post and organisation, the kin path, the company and the relative's ties."""
    r, c = m.leader, m.company
    ev = Evidence()
    relation_evidence(ev, m.family, m.relation)
    ev.node("Post", r["post_id"], r["post_name"], r["post_source"])
    ev.node("Organization", r["org_id"], r["org_name"], kind=r["org_kind"],
            regulates=list(r["regulates"]))
    ev.node("Region", r["region_id"], r["region_name"])
    ev.node("Company", c["company_id"], c["company_name"], c["company_source"],
            industry=c["company_industry"])
    ev.node("Region", c["company_region"], c["company_region_name"])
    ev.edge("HOLDS", r["person_id"], r["post_id"], r["start_date"], source=r["holds_source"])
    ev.edge("IN_ORG", r["post_id"], r["org_id"])
    ev.edge("JURISDICTION", r["org_id"], r["region_id"])
    for t in m.ties:
        extra = {"percent": t["percent"]} if t["tie"] == "OWNS" else {"role": t["role"]}
        ev.edge(t["tie"], m.relation.target, c["company_id"], t["start_date"], t["end_date"],
                t["source"], **extra)
    ev.edge("REGISTERED_IN", c["company_id"], c["company_region"])
    if c["company_region"] != r["region_id"]:
        ev.edge("PART_OF", c["company_region"], r["region_id"])
    return ev


def match_hit(m: Match, title: str, explanation: str, facts: dict) -> Hit:
    """A match as a hit: leader, relative and company its entities, the leader its subject,
    ``explanation`` also the evidence's note."""
    r, c = m.leader, m.company
    ev = match_evidence(m)
    ev.note(explanation)
    return Hit(
        entities=[Entity("Person", r["person_id"], r["person_name"]),
                  Entity("Person", m.relation.target, m.relative_name),
                  Entity("Company", c["company_id"], c["company_name"])],
        subjects=[r["person_id"]], orgs=[r["org_id"]], title=title,
        explanation=explanation, evidence=ev, date=m.since, facts=facts,
    )
