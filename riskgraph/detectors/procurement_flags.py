"""采购风险信号 (procurement red flags): single bidder, non-open procedure, no published
call, short bidding window, extreme decision period, upward amendment, contract
splitting under the approval threshold, close or fixed-ratio bids, bidders sharing an
address or phone. The subject is the cadre who approved the project.

One finding per project for its single-project flags (all of them listed), one per
group of bidders sharing contacts (the companies are entities), and one per group of
split awards (the projects and the winner are entities). The tests themselves are the
pure functions of ``riskgraph.procurement``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.graph import GraphClient
from riskgraph.procurement import (
    FLAG_ZH,
    Flag,
    contact_flags,
    in_band,
    project_flags,
    splitting_groups,
    worst,
)
from riskgraph.store.vocab import Severity
from riskgraph.values import native

DATES = ("call_date", "bid_deadline", "award_date")
PROJECT = "Project"


def read_projects(graph: GraphClient, as_of, approve_roles: list[str],
                  ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Projects awarded by ``as_of`` (all, or those of ``ids``) with bids and
    approvers, dates as ``datetime.date``."""
    if ids is None:
        rows = graph.read("detectors/procurement_projects",
                          {"as_of": as_of, "approve_roles": approve_roles})
    else:
        rows = graph.read_chunked("detectors/procurement_projects_of", "ids", ids,
                                  {"as_of": as_of, "approve_roles": approve_roles})
    for row in rows:
        for key in DATES:
            row[key] = native(row[key])
        for a in row["approvers"]:
            a["date"] = native(a["date"])
    return rows


def shared_projects(shared: dict, graph: GraphClient, as_of,
                    approve_roles: list[str]) -> list[dict[str, Any]]:
    """``read_projects`` once per sweep: the post risk score reads the same projects
    (kept in the sweep's ``shared`` dict; nobody changes them)."""
    key = shared_key(as_of, approve_roles)
    if key not in shared:
        shared[key] = read_projects(graph, as_of, approve_roles)
    return shared[key]


def shared_key(as_of, approve_roles: list[str]) -> tuple:
    return ("procurement_projects", as_of, tuple(approve_roles))


@dataclass
class Case:
    """One red-flag finding: its kind, projects, flags and companies."""

    kind: str                        # project | contacts | splitting
    projects: list[dict]
    flags: list[Flag]
    companies: list[str]

    @property
    def approvers(self) -> list[dict]:
        seen: dict[str, dict] = {}
        for p in self.projects:
            for a in p["approvers"]:
                seen.setdefault(a["id"], a)
        return [seen[k] for k in sorted(seen)]


# Project id -> (its row, its single-project flags, its contact flags) for one set of
# rules: what ``cases`` found for a row it is given again (the same object, unchanged).
Memo = dict[str, tuple[dict, list[Flag], list[Flag]]]


def cases(projects: list[dict], rules: dict[str, dict], memo: Memo | None = None) -> list[Case]:
    """Every red-flag case among ``projects`` (pure: the detector and the post score).
    ``memo``: the flags of rows seen before with these ``rules`` (read and extended)."""
    out = []
    for p in projects:
        found, contacts = _flags(p, rules, memo)
        if found:
            out.append(Case("project", [p], found, []))
        for flag in contacts:
            out.append(Case("contacts", [p], [flag], flag.companies))
    rule = rules.get("splitting")
    if rule and rule.get("enabled", True) is not False:
        pools: dict[tuple, list[dict]] = defaultdict(list)
        for p in projects:
            if p["winner_id"] and p["award_date"] and in_band(p, rule["band"]):
                pools[(p["owner_id"], p["winner_id"])].append(p)
        by_id = {p["project_id"]: p for p in projects}
        for (_owner, winner), pool in sorted(pools.items()):
            awards = [(p["award_date"], p["project_id"]) for p in pool]
            for ids in splitting_groups(awards, rule["window_days"], rule["min_awards"]):
                group = [by_id[i] for i in ids]
                first, last = group[0]["award_date"], group[-1]["award_date"]
                detail = (f"{len(group)}个项目于{first}至{last}间（{(last - first).days}天内）均授予同一企业，"
                          f"中标金额均略低于审批限额{group[0]['approval_threshold']:g}万元")
                out.append(Case("splitting", group, [Flag("splitting", rule["severity"], detail)],
                                [winner]))
    return out


def _flags(p: dict, rules: dict[str, dict], memo: Memo | None) -> tuple[list[Flag], list[Flag]]:
    if memo is None:
        return project_flags(p, rules), contact_flags(p, rules)
    seen = memo.get(p["project_id"])
    if seen is None or seen[0] is not p:
        seen = memo[p["project_id"]] = (p, project_flags(p, rules), contact_flags(p, rules))
    return list(seen[1]), list(seen[2])


def scope_after(nav, changes, config: dict) -> frozenset[str]:
    """The projects whose red flags the ``changes`` can have changed: each written
    project, the project end of a written owner, award, bid or act, the projects a
    written company bid on or won (its address and phone feed the contact flags), and
    with each, every project of the same owner and winner (a pool the splitting flag
    groups). A re-check scoped so (``Detector.scope_by`` "entities") yields and
    resolves exactly the findings that hold one of them."""
    touched = set(changes.nodes.get(PROJECT, ()))
    for rel_type in ("OWNED_BY", "AWARDED_TO"):
        touched.update(src for src, labels, _, _ in changes.edges.get(rel_type, ())
                       if PROJECT in labels)
    for rel_type in ("BID_ON", "ACTED_ON"):
        touched.update(dst for _, _, dst, labels in changes.edges.get(rel_type, ())
                       if PROJECT in labels)
    for r in nav.graph.read_chunked("incremental/company_projects", "ids",
                                    sorted(changes.nodes.get("Company", ()))):
        touched.update(r["ids"])
    # A project re-pointed to another owner or winner left its old pool: the projects
    # of the findings it was part of are re-checked with theirs.
    for _, entities in nav.findings_holding("procurement_flags", touched):
        touched.update(e["id"] for e in entities if e["label"] == PROJECT)
    scope = set(touched)
    for r in nav.graph.read_chunked("incremental/pool_mates", "ids", sorted(touched)):
        scope.update(r["ids"])
    return frozenset(scope)


def run(ctx: Context) -> Iterator[Hit]:
    rules = ctx.threshold("flags")
    roles = ctx.threshold("approve_roles")
    if ctx.scope is None:
        projects = shared_projects(ctx.shared, ctx.graph, ctx.as_of, roles)
    elif (every := ctx.shared.get(shared_key(ctx.as_of, roles))) is not None:
        # a scope of projects (see scope_after), complete pools; read already this sweep
        projects = [p for p in every if p["project_id"] in ctx.scope]
    else:
        projects = read_projects(ctx.graph, ctx.as_of, roles, sorted(ctx.scope))
    for case in cases(projects, rules):
        yield _hit(case)


def _hit(case: Case) -> Hit:
    ev = Evidence()
    companies = {}
    for p in case.projects:
        ev.node("Project", p["project_id"], p["project_name"], p["project_source"],
                method=p["method"], call_date=p["call_date"], bid_deadline=p["bid_deadline"],
                award_date=p["award_date"], award_amount=p["award_amount"],
                final_amount=p["final_amount"], approval_threshold=p["approval_threshold"])
        ev.node("Organization", p["owner_id"], p["owner_name"])
        ev.edge("OWNED_BY", p["project_id"], p["owner_id"])
        if p["winner_id"]:
            ev.node("Company", p["winner_id"], p["winner_name"])
            ev.edge("AWARDED_TO", p["project_id"], p["winner_id"], p["award_date"])
        for b in p["bids"]:
            companies[b["id"]] = b["name"]
            ev.node("Company", b["id"], b["name"], address=b["address"], phone=b["phone"])
            ev.edge("BID_ON", b["id"], p["project_id"], source=b["source"], amount=b["amount"])
        for a in p["approvers"]:
            ev.node("Person", a["id"], a["name"])
            ev.edge("ACTED_ON", a["id"], p["project_id"], a["date"], source=a["source"],
                    role="approve", post=a["post"])
    if case.kind == "contacts":
        for a, b in zip(case.companies, case.companies[1:]):
            ev.edge("SHARES_CONTACT", a, b)
    names = "、".join(FLAG_ZH[f.name] for f in case.flags)
    who = "、".join(a["name"] for a in case.approvers) or "（无审批记录）"
    first = case.projects[0]
    if case.kind == "splitting":
        subject_text = f"{companies.get(case.companies[0]) or first['winner_name']}连续中标"
    else:
        subject_text = first["project_name"]
    details = "；".join(f.detail for f in case.flags)
    explanation = f"{subject_text}（审批人：{who}）：{details}。"
    for f in case.flags:
        ev.note(f"{FLAG_ZH[f.name]}：{f.detail}")
    entities = [Entity("Person", a["id"], a["name"]) for a in case.approvers]
    entities += [Entity("Project", p["project_id"], p["project_name"]) for p in case.projects]
    entities += [Entity("Company", c, companies.get(c) or first["winner_name"] or c)
                 for c in case.companies]
    return Hit(
        entities=entities, subjects=[a["id"] for a in case.approvers],
        orgs=sorted({p["owner_id"] for p in case.projects}),
        title=f"采购风险：{first['project_name']}（{names}）"[:255],
        explanation=explanation, evidence=ev,
        severity=Severity(worst([f.severity for f in case.flags])),
        date=min((p["award_date"] for p in case.projects if p["award_date"]), default=None),
        facts={"flags": [f.name for f in case.flags], "kind": case.kind,
               "projects": [p["project_id"] for p in case.projects]},
    )


DETECTOR = Detector(
    name="procurement_flags",
    title="采购风险信号",
    family="high_risk",
    rule=("项目采购出现以下风险信号之一：仅一家投标；采用非公开招标方式；未公开发布公告；投标期限过短；"
          "评标定标期间过短或过长；中标后变更合同并增加金额；同一单位短期内将多个略低于审批限额的项目授予"
          "同一企业（拆分规避审批）；投标报价高度接近或呈固定比例；投标企业共用住所或联系电话。"),
    citation=("《招标投标法》第二十四条、《招标投标法实施条例》第四十一条；《政府采购法》第二十六条、"
              "第四十一条；OECD《公共采购中的围标串标识别指南》；世界银行采购欺诈与腐败风险指标"),
    version="1",
    run=run,
    scoped=True,                  # by project: see scope_after
    description="Red flags on projects, subject = the approving cadre.",
    rescope=scope_after,
    scope_by="entities",
)
