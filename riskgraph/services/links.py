"""Link investigation: find entities, shortest paths between two, a node's neighbours.

Results are shaped for drawing ({"nodes": [...], "edges": [...]}, our own ids) and
filtered by scope: a cadre outside the user's scope is never returned, and a path that
passes through one is dropped whole.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from riskgraph.access import Scope
from riskgraph.evidence import EDGE_ZH
from riskgraph.graph import GraphClient
from riskgraph.idcodes import valid_credit_code, valid_resident_id
from riskgraph.services.paths import all_shortest_paths
from riskgraph.values import native

SEARCH_LABELS = ("Person", "Company", "Organization", "Post", "Project", "Payment")
# Geography makes everything two hops from everything, and management authority links
# every cadre to the organisation department: left out unless asked for.
GEOGRAPHY = frozenset({"JURISDICTION", "GREW_UP_IN", "REGISTERED_IN", "LOCATED_IN", "PART_OF",
                       "MANAGED_BY"})
MAX_HOPS = 6
# Nodes with more relationships than this are not expanded in a path search.
MAX_DEGREE = 300
LABEL_ZH = {"Person": "人员", "Cadre": "干部", "Company": "企业", "Organization": "单位",
            "Post": "岗位", "Project": "项目", "Payment": "资金拨付", "Declaration": "报告",
            "DeclarationItem": "报告事项", "RealEstate": "不动产", "Trip": "出行",
            "Petition": "信访", "Evaluation": "考核", "OversightFinding": "审计巡察",
            "Region": "区划"}


class LinkError(ValueError):
    pass


def _native(value: Any) -> Any:
    value = native(value)
    return value.isoformat() if isinstance(value, date) else value


def default_types(graph: GraphClient) -> list[str]:
    return sorted(t for t in graph.schema.rel_types if t not in GEOGRAPHY)


def main_label(labels: list[str]) -> str:
    """The label to show a node as.

    >>> main_label(["Person", "Cadre"])
    'Cadre'
    """
    return "Cadre" if "Cadre" in labels else (labels[0] if labels else "")


def visible(scope: Scope, labels: list[str], node_id: str) -> bool:
    return "Cadre" not in labels or scope.has_cadre(node_id)


def node(labels: list[str], node_id: str, name: str | None) -> dict:
    label = main_label(labels)
    return {"id": node_id, "label": label, "label_zh": LABEL_ZH.get(label, label),
            "name": name or node_id, "key": f"{'Person' if label == 'Cadre' else label}:{node_id}"}


def edge(type_: str, src: str, dst: str, start: Any, end: Any, source: str | None) -> dict:
    start, end = _native(start), _native(end)
    return {"id": f"{src}|{type_}|{dst}|{start or ''}", "type": type_,
            "type_zh": EDGE_ZH.get(type_, type_), "from": src, "to": dst,
            "start": start, "end": end, "source": source}


def parse_key(graph: GraphClient, key: str) -> tuple[str, str]:
    """("Label", "id") from "Label:id"; the label must be a schema label."""
    label, _, node_id = (key or "").partition(":")
    if label not in graph.schema.labels or not node_id:
        raise LinkError("实体编号格式不正确")
    return label, node_id


def id_labels(q: str) -> tuple[str, ...]:
    """The labels whose key an identifier like ``q`` can be (a resident ID number is a
    person's, a unified social credit code a company's).

    >>> id_labels("11010519491231002X"), id_labels("ORG360121001")[:2]
    (('Person',), ('Person', 'Company'))
    """
    if valid_resident_id(q):
        return ("Person",)
    if valid_credit_code(q):
        return ("Company",)
    return SEARCH_LABELS


def search(graph: GraphClient, scope: Scope, q: str, limit: int = 20) -> list[dict]:
    """Entities whose id is ``q`` or whose name contains it (ids first)."""
    q = (q or "").strip()
    if not q:
        return []
    out: dict[str, dict] = {}
    for label in id_labels(q):
        for r in graph.read("ui/search_id", {"q": q}, Label=label):
            if visible(scope, r["labels"], r["id"]):
                out.setdefault(r["id"], node(r["labels"], r["id"], r["name"]))
    if len(q) >= 2 and not out:
        for label in SEARCH_LABELS:
            if len(out) >= limit:
                break
            for r in graph.read("ui/search_name", {"q": q, "limit": limit}, Label=label):
                if visible(scope, r["labels"], r["id"]):
                    out.setdefault(r["id"], node(r["labels"], r["id"], r["name"]))
    return sorted(out.values(), key=lambda n: (n["name"] != q, len(n["name"]), n["name"]))[:limit]


def shortest_paths(graph: GraphClient, scope: Scope, a: str, b: str, hops: int = 4,
                   types: list[str] | None = None, since: date | None = None,
                   until: date | None = None, limit: int = 25,
                   max_degree: int = MAX_DEGREE) -> dict:
    """Shortest paths between entity keys ``a`` and ``b`` as a drawable graph.

    The search (`riskgraph.services.paths`) never steps onto a cadre outside ``scope``
    and does not expand hubs (more than ``max_degree`` relationships)."""
    (la, ia), (lb, ib) = parse_key(graph, a), parse_key(graph, b)
    hops = max(1, min(int(hops), MAX_HOPS))
    allowed = sorted(set(types or default_types(graph)) & graph.schema.rel_types)
    params = {"types": allowed, "max_degree": max_degree,
              "since": since or date(1900, 1, 1), "until": until or date(2999, 12, 31)}
    labels = {ia: la, ib: lb}
    nodes: dict[str, dict] = {}
    hidden: set[str] = set()

    def expand(frontier: list[str]):
        by_label: dict[str, list[str]] = {}
        for nid in frontier:
            by_label.setdefault(labels[nid], []).append(nid)
        for label, ids in by_label.items():
            for r in graph.read("ui/expand", {**params, "ids": ids}, Label=label):
                if not visible(scope, r["labels"], r["id"]):
                    hidden.add(r["id"])
                    continue
                labels.setdefault(r["id"], _query_label(r["labels"]))
                nodes.setdefault(r["id"], node(r["labels"], r["id"], r["name"]))
                yield r["node"], r["id"], edge(r["type"], r["src"], r["dst"], r["start_date"],
                                               r["end_date"], r["source"])

    ends = {k: entity_visible(graph, scope, k) for k in (a, b)}
    for e in ends.values():
        if e:
            nodes[e["id"]] = e
    found = all_shortest_paths(lambda f: list(expand(f)), ia, ib, hops, limit)
    edges: dict[str, dict] = {}
    keep: set[str] = set()
    paths = []
    for p in found:
        keep.update(p["nodes"])
        for e in p["edges"]:
            edges.setdefault(e["id"], e)
        paths.append({"nodes": p["nodes"], "edges": [e["id"] for e in p["edges"]]})
    return {"nodes": [nodes[n] for n in nodes if n in keep], "edges": list(edges.values()),
            "paths": paths, "hidden": len(hidden),
            "query": {"a": a, "b": b, "hops": hops, "types": allowed,
                      "since": _native(since), "until": _native(until)}}


def _query_label(labels: list[str]) -> str:
    """The label to look a node up by (the key label, Person for a cadre)."""
    return "Person" if "Person" in labels else labels[0]


def neighbours(graph: GraphClient, scope: Scope, key: str, types: list[str] | None = None,
               limit: int = 60) -> dict:
    """One step around the entity ``key``; out-of-scope cadres are left out."""
    label, node_id = parse_key(graph, key)
    allowed = sorted(set(types or default_types(graph)) & graph.schema.rel_types)
    rows = graph.read("ui/neighbours", {"id": node_id, "types": allowed, "limit": limit}, Label=label)
    nodes, edges = {}, {}
    for r in rows:
        if not visible(scope, r["labels"], r["id"]):
            continue
        nodes.setdefault(r["id"], node(r["labels"], r["id"], r["name"]))
        e = edge(r["type"], r["src"], r["dst"], r["start_date"], r["end_date"], r["source"])
        edges.setdefault(e["id"], e)
    return {"center": node_id, "nodes": list(nodes.values()), "edges": list(edges.values())}


def org_choices(graph: GraphClient, scope: Scope) -> list[dict]:
    """Organisations within ``scope`` (id, name), for pickers."""
    return [{"id": r["id"], "name": r["name"]} for r in graph.read("ui/all_orgs")
            if scope.has_org(r["id"])]


def entity_visible(graph: GraphClient, scope: Scope, key: str) -> dict | None:
    """The entity behind ``key`` if it exists and may be shown, else None."""
    label, node_id = parse_key(graph, key)
    rows = graph.read("ui/search_id", {"q": node_id}, Label=label)
    if not rows or not visible(scope, rows[0]["labels"], node_id):
        return None
    return node(rows[0]["labels"], node_id, rows[0]["name"])
