"""Evidence and Chinese wording of 公务回避 (recusal) findings: the act with its date, the
kin path, and every step of the relative's tie to the beneficiary with dates and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from riskgraph.detectors.base import Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.family import relation_evidence
from riskgraph.graph import GraphClient
from riskgraph.kinship import Family
from riskgraph.ties import DIRECTOR_OF, EMPLOYED_BY, NOMINEE, OWNS, SHARES_CONTACT, Step

if TYPE_CHECKING:
    from riskgraph.detectors.recusal import Act, Case

LINK = {"Project": "AWARDED_TO", "Payment": "PAID_TO"}
OWNER = {"Project": "OWNED_BY", "Payment": "PAID_BY"}
KIND_ZH = {"direct": "直接关联", "chain": "股权链控制", "shared_contact": "关联企业共用住所或电话",
           "nominee": "他人代持股份", None: "本人即受益人"}
FIELD_ZH = {"address": "住所", "phone": "联系电话"}


def read_details(graph: GraphClient, cases: list[Case]) -> dict[tuple[str, str], dict]:
    """Names, sources and organisations of the targets, posts and companies of ``cases``."""
    acts = [a for c in cases for a in c.acts]
    companies = {a.beneficiary for a in acts if a.company}
    for c in cases:
        if c.tie:
            companies |= {s.src for s in c.tie.steps} | {s.dst for s in c.tie.steps}
    rows = graph.read("detectors/recusal/act_details", {
        "targets": sorted({a.target for a in acts if a.target}),
        "posts": sorted({a.post for a in acts if a.post}), "companies": sorted(companies)})
    return {(r["kind"], r["id"]): r for r in rows}


def _pct(value) -> str:
    value = float(value or 0)
    return f"{value:g}"


class _Namer:
    def __init__(self, fam: Family, g: nx.MultiDiGraph, details: dict, enums: dict):
        self.fam, self.g, self.details, self.enums = fam, g, details, enums

    def name(self, node: str) -> str:
        row = self.details.get(("company", node))
        if row:
            return row["name"]
        if node in self.fam.names and self.fam.names[node] != node:
            return self.fam.names[node]
        return self.g.nodes[node].get("name", node) if node in self.g else node

    def label(self, node: str) -> str:
        if ("company", node) in self.details:
            return "Company"
        return self.g.nodes[node].get("label", "Person") if node in self.g else "Person"

    def source(self, node: str) -> str | None:
        row = self.details.get(("company", node))
        if row:
            return row["source"]
        return self.g.nodes[node].get("source") if node in self.g else \
            self.fam.person_sources.get(node)

    def node(self, ev: Evidence, node: str) -> None:
        row = self.details.get(("company", node)) or {}
        props = {k: row[k] for k in ("address", "phone") if row.get(k)}
        ev.node(self.label(node), node, self.name(node), self.source(node), **props)

    def step(self, s: Step) -> str:
        since = f"自{s.start.isoformat()}起" if s.start else ""
        src, dst = self.name(s.src), self.name(s.dst)
        if s.type == OWNS:
            return f"{src}{since}持有{dst}{_pct(s.percent)}%股份"
        if s.type == DIRECTOR_OF:
            return f"{src}{since}任{dst}{self.enums['director_role'].get(s.role, s.role)}"
        if s.type == EMPLOYED_BY:
            return f"{src}{since}受雇于{dst}"
        if s.type == SHARES_CONTACT:
            return f"{src}与{dst}共用{FIELD_ZH.get(s.field, s.field)}“{s.value}”"
        if s.type == NOMINEE:
            return f"{src}{since}代{self.name(s.beneficiary)}持有{dst}股份（代持）"
        return f"{src}—{dst}"

    def role(self, act: Act) -> str:
        if act.kind == "DECIDED_ON":
            return "参与" + self.enums["personnel_matter"].get(act.role, act.role)
        return self.enums["act_role"].get(act.role, act.role)


def _step_evidence(ev: Evidence, namer: _Namer, s: Step) -> None:
    namer.node(ev, s.src)
    namer.node(ev, s.dst)
    if s.type == SHARES_CONTACT:
        ev.edge(SHARES_CONTACT, s.src, s.dst, field=s.field, value=s.value)
    elif s.type == NOMINEE:
        ev.edge(NOMINEE, s.src, s.beneficiary, s.start, s.end, s.source, company=s.dst)
    else:
        props = {k: v for k, v in (("role", s.role), ("percent", s.percent)) if v is not None}
        ev.edge(s.type, s.src, s.dst, s.start, s.end, s.source, **props)


def _act_phrase(act: Act, namer: _Namer, details: dict, relative: str) -> str:
    post = details.get(("post", act.post))
    who = f"以{post['name']}身份" if post else ""
    start = f"{act.day.isoformat()}{who}{namer.role(act)}"
    if act.kind == "DECIDED_ON":
        return f"{start}{namer.name(relative)}的人事事项"
    target = details.get(("target", act.target)) or {}
    if act.target_label == "Project":
        return f"{start}项目“{target.get('name') or act.target}”（{act.target}），中标企业为" \
               f"{namer.name(act.beneficiary)}"
    return f"{start}{target.get('org_name') or ''}的资金拨付（{act.target}，" \
           f"{target.get('name') or '款项'}），收款方为{namer.name(act.beneficiary)}"


def hit(case: Case, fam: Family, g: nx.MultiDiGraph, details: dict, enums: dict) -> Hit:
    namer = _Namer(fam, g, details, enums)
    act, rel, tie = case.acts[0], case.relation, case.tie
    x, r = act.person, rel.target
    ev = Evidence()
    ev.node("Person", x, namer.name(x), fam.person_sources.get(x))
    orgs = set()
    for a in case.acts:
        post = details.get(("post", a.post)) or {}
        target = details.get(("target", a.target)) or {}
        orgs |= {o for o in (target.get("org_id"), post.get("org_id")) if o}
        props = {"role": a.role, "post": a.post, "post_name": post.get("name")}
        if a.kind == "DECIDED_ON":
            ev.edge("DECIDED_ON", x, r, a.day, source=a.source, **props)
            continue
        ev.node(a.target_label, a.target, target.get("name") or a.target, target.get("source"))
        if target.get("org_id"):
            ev.node("Organization", target["org_id"], target["org_name"])
            ev.edge(OWNER[a.target_label], a.target, target["org_id"])
        if a.kind == "APPROVED_BY":
            ev.edge("APPROVED_BY", a.target, x, a.day, source=a.source)
        else:
            ev.edge("ACTED_ON", x, a.target, a.day, source=a.source, **props)
        namer.node(ev, a.beneficiary)
        ev.edge(LINK[a.target_label], a.target, a.beneficiary, source=a.link_source)
    relation_evidence(ev, fam, rel)
    steps = tie.steps if tie else ()
    for s in steps:
        _step_evidence(ev, namer, s)
    how = "；".join(namer.step(s) for s in steps)
    more = f"（另有{len(case.acts) - 1}项相关履职行为）" if len(case.acts) > 1 else ""
    rel_zh = f"{rel.name}{namer.name(r)}"
    explanation = (f"{namer.name(x)}于{_act_phrase(act, namer, details, r)}{more}。"
                   + (f"该企业与其{rel_zh}存在利害关系（{KIND_ZH[tie.kind]}）：{how}。" if tie
                      else f"该事项涉及其{rel_zh}本人。")
                   + f"{namer.name(r)}是{namer.name(x)}的{rel.name}（{rel.category_zh}），"
                   f"属于法定回避亲属，{namer.name(x)}应当回避而未回避。")
    ev.note(explanation)
    target_name = (details.get(("target", act.target)) or {}).get("name") or act.target
    entities = [Entity("Person", e, namer.name(e)) if e in (x, r)
                else Entity(act.target_label, e, target_name) if e == act.target
                else Entity(namer.label(e), e, namer.name(e)) for e in case.entities]
    return Hit(
        entities=entities, subjects=[x], orgs=sorted(orgs),
        title=f"公务回避：{namer.name(x)}{namer.role(act)}事项的受益方与其{rel_zh}存在利害关系",
        explanation=explanation, evidence=ev, date=act.day,
        facts={"variant": tie.kind if tie else "person", "relation": rel.walk,
               "relation_name": rel.name, "category": rel.category,
               "extras": list(tie.extras) if tie else [],
               "acts": [{"kind": a.kind, "role": a.role, "date": a.day.isoformat(),
                         "target": a.target, "beneficiary": a.beneficiary} for a in case.acts]},
    )
