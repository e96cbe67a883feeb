"""公务回避 (recusal): a cadre approved, decided, reviewed, inspected or paid out on a
project, payment or personnel matter whose beneficiary was tied to a statutory relative
of the cadre on the day of the act (公务员法 Art. 76).

How it runs: the acts in the look-back window are read in Cypher (one query per kind of
act), with their beneficiary (a project's winner, a payment's payee, the person a
personnel matter was about). The companies among the beneficiaries are expanded into a
networkx graph of dated ties (owners, officers, employees, controlling shareholders up a
chain, companies sharing an address or phone, nominee holdings), and the families of the
acting persons are read with ``riskgraph.family.load_family``. For each act, the pure
functions of ``riskgraph.ties`` and ``riskgraph.kinship`` then say which persons were
tied to the beneficiary on that day and which of them were the actor's statutory
relatives on that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import networkx as nx

from riskgraph.detectors import _recusal_text as text
from riskgraph.detectors.base import Context, Detector, Hit
from riskgraph.family import load_family
from riskgraph.graph import GraphClient
from riskgraph.kin_skeleton import run_family
from riskgraph.kinship import Family, Relation
from riskgraph.ties import (NOMINEE, OWNS, SHARES_CONTACT, Step, Tie, TieRules, add_node,
                            add_step, company_graph, ties_on)
from riskgraph.values import native

BATCH = 2000


@dataclass(frozen=True)
class Act:
    """One act of a person, and who it benefited."""

    person: str
    kind: str                  # ACTED_ON | APPROVED_BY | DECIDED_ON
    role: str                  # act role or personnel matter
    day: date
    post: str | None
    source: str | None
    target: str | None         # project or payment id (None for personnel matters)
    target_label: str | None   # Project | Payment
    beneficiary: str
    company: bool              # whether the beneficiary is a company
    link_source: str | None    # the AWARDED_TO / PAID_TO edge's source


@dataclass
class Case:
    """One finding in the making: the acts of one actor that benefited one relative the
    same way (same beneficiary, target and intermediaries)."""

    acts: list[Act]
    relation: Relation
    tie: Tie | None            # None: the beneficiary person is the relative
    entities: tuple[str, ...] = field(default=())


def tie_rules(ctx: Context) -> TieRules:
    scope = ctx.config["scope"]
    return TieRules(kinds=tuple(scope["tie_kinds"]),
                    direct_min_percent=float(ctx.threshold("direct_min_percent")),
                    director_roles=tuple(scope["director_roles"]),
                    employment=bool(scope["employment"]),
                    chain_max_hops=int(ctx.threshold("chain_max_hops")),
                    chain_above_percent=float(ctx.threshold("chain_above_percent")),
                    contact_max_companies=int(ctx.threshold("contact_max_companies")))


def _params(ctx: Context) -> dict:
    scope = ctx.config["scope"]
    years = int(ctx.threshold("lookback_years"))
    return {"since": ctx.as_of - timedelta(days=round(years * 365.25)), "as_of": ctx.as_of,
            "scope": sorted(ctx.scope) if ctx.scope is not None else None,
            "roles": list(scope["act_roles"]), "matters": list(scope["personnel_matters"]),
            "approvals": bool(scope["payment_approvals"])}


def _batches(ids: Iterable[str]) -> Iterator[list[str]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def _add_holdings(graph: GraphClient, g: nx.MultiDiGraph, query: str, holders: Iterable[str]) -> set[str]:
    """Read what ``holders`` own, direct or work for into ``g``; the companies reached."""
    reached = set()
    for ids in _batches(holders):
        for r in graph.read(f"detectors/recusal/{query}", {"ids": ids}):
            add_node(g, r["holder_id"], "Company" if r["holder_is_company"] else "Person")
            add_node(g, r["company_id"], "Company", r["company_name"], r["company_source"])
            add_step(g, Step(r["type"], r["holder_id"], r["company_id"], native(r["start_date"]),
                             native(r["end_date"]), r["source"], r["role"], r["percent"]))
            reached.add(r["company_id"])
    return reached


def load_interests(graph: GraphClient, persons: set[str], rules: TieRules) -> nx.MultiDiGraph:
    """The ties graph downstream of ``persons`` (the families of the actors): the
    companies they own, direct or work for, the companies those control down a chain,
    companies sharing an address or phone with theirs, and nominee holdings for them."""
    g = company_graph()
    for p in persons:
        add_node(g, p, "Person")
    own = _add_holdings(graph, g, "person_holdings", persons)
    if "chain" in rules.kinds:
        seen, frontier = set(own), set(own)
        for _ in range(rules.chain_max_hops - 1):
            frontier = _add_holdings(graph, g, "company_holdings", frontier) - seen
            seen |= frontier
            if not frontier:
                break
    if "shared_contact" in rules.kinds:
        for ids in _batches(own):
            for r in graph.read("detectors/recusal/shared_contacts", {"ids": ids}):
                add_node(g, r["other_id"], "Company", r["other_name"], r["other_source"])
                add_step(g, Step(SHARES_CONTACT, r["company_id"], r["other_id"],
                                 field=r["field"], value=r["value"]))
    if "nominee" in rules.kinds:
        for ids in _batches(persons):
            for r in graph.read("detectors/recusal/nominees", {"ids": ids}):
                holder, company = r["holder_id"], r["company_id"]
                add_node(g, holder, "Company" if r["holder_is_company"] else "Person",
                         r["holder_name"], r["holder_source"])
                add_node(g, company, "Company")
                add_step(g, Step(NOMINEE, holder, company, native(r["start_date"]),
                                 native(r["end_date"]), r["source"], beneficiary=r["beneficiary_id"]))
                if r["owns_source"] or r["owns_percent"] is not None:
                    add_step(g, Step(OWNS, holder, company, native(r["owns_start"]),
                                     native(r["owns_end"]), r["owns_source"], percent=r["owns_percent"]))
    return g


def read_acts(ctx: Context, companies: set[str], persons: set[str]) -> list[Act]:
    """The acts in the look-back window whose beneficiary is one of ``companies`` or
    ``persons``."""
    params = _params(ctx)
    acts = []

    def add(rows, kind, label):
        for r in rows:
            acts.append(Act(r["person_id"], kind, r["role"], native(r["day"]), r["post_id"],
                            r["act_source"], r.get("target_id"), label, r["beneficiary_id"],
                            r.get("beneficiary_is_company", label == "Project") is True,
                            r.get("link_source")))

    for ids in _batches(companies):
        add(ctx.graph.read("detectors/recusal/project_acts", {**params, "ids": ids}),
            "ACTED_ON", "Project")
        pay = {**params, "companies": ids, "persons": []}
        add(ctx.graph.read("detectors/recusal/payment_acts", pay), "ACTED_ON", "Payment")
        if params["approvals"]:
            add(ctx.graph.read("detectors/recusal/payment_approvals", pay), "APPROVED_BY", "Payment")
    for ids in _batches(persons):
        pay = {**params, "companies": [], "persons": ids}
        add(ctx.graph.read("detectors/recusal/payment_acts", pay), "ACTED_ON", "Payment")
        if params["approvals"]:
            add(ctx.graph.read("detectors/recusal/payment_approvals", pay), "APPROVED_BY", "Payment")
        if params["matters"]:
            add(ctx.graph.read("detectors/recusal/personnel_acts", {**params, "ids": ids}),
                "DECIDED_ON", None)
    return [a for a in acts if ctx.in_scope(a.person)]


def find_cases(acts: list[Act], g: nx.MultiDiGraph, fam: Family, rules: TieRules) -> list[Case]:
    """The acts whose beneficiary was tied to the actor's statutory relative that day."""
    cases: dict[tuple, Case] = {}
    kin_cache: dict[tuple[str, date], dict[str, Relation]] = {}
    tie_cache: dict[tuple[str, date], list[Tie]] = {}

    def relatives(person: str, day: date) -> dict[str, Relation]:
        if (person, day) not in kin_cache:
            kin_cache[person, day] = fam.relatives(person, day)
        return kin_cache[person, day]

    def add(act: Act, rel: Relation, tie: Tie | None) -> None:
        extras = tie.extras if tie else ()
        key = (act.person, rel.target, act.beneficiary if tie else None, act.target, extras)
        case = cases.get(key)
        if case is None:
            ids = (act.person, rel.target, *([act.beneficiary] if tie else []),
                   *([act.target] if act.target else []), *extras)
            cases[key] = Case([act], rel, tie, tuple(dict.fromkeys(ids)))
        elif act not in case.acts:    # acts come in date order: the first tells the story
            case.acts.append(act)

    for act in sorted(acts, key=lambda a: (a.day, a.person, a.kind, a.role)):
        if not act.company:
            rel = relatives(act.person, act.day).get(act.beneficiary) \
                if act.beneficiary in fam.gender else None
            if rel:
                add(act, rel, None)
            continue
        key = (act.beneficiary, act.day)
        if key not in tie_cache:
            tie_cache[key] = ties_on(g, act.beneficiary, act.day, rules)
        for tie in tie_cache[key]:
            if tie.person == act.person or tie.person not in fam.gender:
                continue
            rel = relatives(act.person, act.day).get(tie.person)
            if rel:
                add(act, rel, tie)
    return list(cases.values())


def run(ctx: Context) -> Iterator[Hit]:
    rules = tie_rules(ctx)
    params = _params(ctx)
    actors = {r["id"] for r in ctx.read_scope_first("detectors/recusal/actors", params)}
    if not actors:
        return
    fam = run_family(ctx, actors)
    g = load_interests(ctx.graph, set(fam.gender), rules)
    companies = {n for n, label in g.nodes(data="label") if label == "Company"}
    acts = read_acts(ctx, companies, set(fam.gender))
    cases = find_cases(acts, g, fam, rules)
    if cases and ctx.scope is not None:
        # Found over the bare skeleton: read the families of the actors concerned with
        # their particulars, for the relations' names and the evidence (the same cases).
        named = {c.acts[0].person for c in cases}
        fam = load_family(ctx.graph, named)
        cases = find_cases([a for a in acts if a.person in named], g, fam, rules)
    if not cases:
        return
    details = text.read_details(ctx.graph, cases)
    enums = ctx.graph.schema.enums
    for case in sorted(cases, key=lambda c: c.entities):
        yield text.hit(case, fam, g, details, enums)


DETECTOR = Detector(
    name="recusal",
    title="公务回避",
    family="avoidance",
    rule=("干部不得参与审批、决定、评审、验收、拨付与本人的配偶、直系血亲、三代以内旁系血亲或近姻亲"
          "有利害关系的项目、资金或人事事项；亲属的利害关系包括直接持股、任职或受雇于受益企业，"
          "通过股权链控制、通过共用住所或电话的关联企业，以及由他人代持股份；"
          "以行为当日的亲属关系、股权和任职状况为准。"),
    citation="《中华人民共和国公务员法》第七十六条；《公务员回避规定》第五条",
    version="1",
    run=run,
    scoped=True,
    description="Acts on projects, payments and personnel matters benefiting a relative's interest.",
)
