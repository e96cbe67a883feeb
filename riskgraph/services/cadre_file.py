"""The cadre file (一人一档): everything known about one cadre on one page, with a
timeline. Callers check the scope first (`riskgraph.access.Scope.has_cadre`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from riskgraph.access import Scope
from riskgraph.family import load_family
from riskgraph.graph import GraphClient
from riskgraph.kinship import CATEGORY_ORDER
from riskgraph.services.dashboard import cadre_levels
from riskgraph.services.findings import FindingFilter, list_findings
from riskgraph.values import native

RECORD_ZH = {"Petition": "信访举报", "Evaluation": "考核测评", "OversightFinding": "审计巡察发现",
             "Trip": "因私出国（境）", "RealEstate": "不动产"}
# The enumerations (config/schema/enums.yaml) behind the columns of each record kind.
RECORD_ENUMS = {
    "Petition": {"category": "petition_category", "outcome": "petition_outcome"},
    "Evaluation": {"category": "evaluation_kind", "grade": "evaluation_grade"},
    "OversightFinding": {"category": "oversight_source", "severity": "severity"},
}
ROLE_ZH = {"OWNS": "持股", "DIRECTOR_OF": "任职", "EMPLOYED_BY": "受雇"}


def _rows(graph: GraphClient, name: str, params: dict, tx=None) -> list[dict]:
    rows = graph.run(tx, name, params) if tx is not None else graph.read(name, params)
    return [{k: native(v) for k, v in r.items()} for r in rows]


@dataclass
class CadreFile:
    profile: dict
    posts: list[dict]
    relatives: list[dict]
    companies: list[dict]
    acts: list[dict]
    payments: list[dict]
    declarations: list[dict]
    records: list[dict]
    findings: list = field(default_factory=list)
    levels: list = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)


def cadre_file(graph: GraphClient, session: Session, scope: Scope, person_id: str,
               today: date, tz: tzinfo = UTC) -> CadreFile | None:
    """The file of ``person_id`` as of ``today``, or None when no such cadre exists;
    findings are dated by their day in the local time zone ``tz``. The graph is read in
    one transaction (`GraphClient.read_tx`: the family's queries
    join it)."""
    found = graph.read_tx(lambda tx: _read_graph(graph, tx, scope, person_id, today))
    if found is None:
        return None
    profile, relatives, (companies, posts, acts, payments, declarations, records) = found
    names = {r["id"]: f'{r["name"]}（{r["relation"]}）' for r in relatives}
    names[person_id] = f'{profile["name"]}（本人）'
    for c in companies:
        c["holder"] = names.get(c["person_id"], c["person_id"])
        c["type_zh"] = ROLE_ZH.get(c["type"], c["type"])
    enums = graph.schema.enums

    def zh(enum: str, value: Any) -> Any:
        return enums.get(enum, {}).get(str(value), value) if value is not None else None

    for c in companies:
        if c["type"] == "DIRECTOR_OF":
            c["role"] = zh("director_role", c["role"])
    for a in acts:
        a["role"] = zh("act_role", a["role"])
    for d in declarations:
        d["category"] = zh("declaration_category", d["category"])
    for r in records:
        r["kind_zh"] = RECORD_ZH.get(r["kind"], r["kind"])
        enum_of = RECORD_ENUMS.get(r["kind"], {})
        for col in ("category", "outcome", "grade", "severity"):
            if col in enum_of:
                r[col] = zh(enum_of[col], r[col])
    records.sort(key=lambda r: (str(r["date"] or r["year"] or "")), reverse=True)
    check_declarations(person_id, relatives, companies, declarations, records)
    findings, _ = list_findings(session, scope, FindingFilter(person_id=person_id, data_status=""),
                                per_page=200)
    f = CadreFile(profile, posts, relatives, companies, acts, payments, declarations, records,
                  findings, cadre_levels(session, person_id))
    f.timeline = timeline(f, tz)
    return f


def _read_graph(graph: GraphClient, tx, scope: Scope, person_id: str, today: date):
    found = _rows(graph, "ui/cadre_profile", {"id": person_id}, tx)
    if not found:
        return None
    profile = found[0]
    fam = load_family(graph, [person_id])
    relatives = []
    for pid, rel in fam.relatives(person_id, today).items():
        relatives.append({"id": pid, "name": fam.names.get(pid, pid), "relation": rel.name,
                          "category": rel.category, "category_zh": rel.category_zh,
                          "close": rel.close_family, "birth": fam.birth.get(pid),
                          "in_scope": scope.has_cadre(pid)})
    relatives.sort(key=lambda r: (CATEGORY_ORDER[r["category"]], r["relation"], r["id"]))
    one = {"id": person_id}
    sections = [
        _rows(graph, "ui/cadre_companies", {"ids": [person_id, *(r["id"] for r in relatives)]}, tx),
        _rows(graph, "ui/cadre_posts", one, tx), _rows(graph, "ui/cadre_acts", one, tx),
        _rows(graph, "ui/cadre_payments", one, tx), _rows(graph, "ui/cadre_declarations", one, tx),
        _rows(graph, "ui/cadre_records", one, tx)]
    return profile, relatives, sections


def check_declarations(person_id: str, relatives: list[dict], companies: list[dict],
                       declarations: list[dict], records: list[dict]) -> None:
    """Mark facts a declaration should have named (``declared`` True/False): businesses
    of the cadre and close family (spouse, children, children's spouses), and real
    estate in the cadre's name; None where no report covers it.

    >>> comps = [{"person_id": "A", "company_id": "C1", "type": "OWNS"},
    ...          {"person_id": "A", "company_id": "C2", "type": "OWNS"}]
    >>> decl = [{"company_id": "C1", "address": None}]
    >>> check_declarations("A", [], comps, decl, [])
    >>> [c["declared"] for c in comps]
    [True, False]
    """
    close = {r["id"] for r in relatives if r["close"]} | {person_id}
    companies_named = {d["company_id"] for d in declarations if d.get("company_id")}
    addresses = {d["address"] for d in declarations if d.get("address")}
    reported = bool(declarations)
    for c in companies:
        relevant = c["person_id"] in close and c["type"] in ("OWNS", "DIRECTOR_OF")
        c["declared"] = (c["company_id"] in companies_named) if relevant and reported else None
    for r in records:
        if r["kind"] == "RealEstate":
            r["declared"] = (r["summary"] in addresses) if reported else None


def timeline(f: CadreFile, tz: tzinfo = UTC) -> list[dict]:
    """Dated events of the file, newest first (findings on their day in ``tz``)."""
    events = []
    for p in f.posts:
        events.append({"date": p["start_date"], "kind": "任职", "text": f'任{p["org_name"] or ""}{p["post_name"]}'})
        if p["end_date"]:
            events.append({"date": p["end_date"], "kind": "免职", "text": f'免去{p["post_name"]}'})
    for c in f.companies:
        events.append({"date": c["start_date"], "kind": "企业",
                       "text": f'{c["holder"]}{c["type_zh"]}{c["company_name"]}'})
    for a in f.acts:
        events.append({"date": a["date"], "kind": "履职", "text": f'{a["role"]}：{a["target_name"]}'})
    for r in f.records:
        if r["date"]:
            events.append({"date": r["date"], "kind": r["kind_zh"], "text": r["summary"] or r["category"] or ""})
    for fi in f.findings:
        events.append({"date": fi.created_at.astimezone(tz).date(), "kind": "预警线索", "text": fi.title,
                       "finding_id": fi.id})
    events = [e for e in events if e["date"]]
    events.sort(key=lambda e: str(e["date"]), reverse=True)
    return events
