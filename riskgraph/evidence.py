"""The evidence of a finding: the concrete nodes and dated edges of its path, loop or
cluster, each with the import source it came from.

A finding stores ``Evidence.as_dict()`` as a snapshot, so it reads the same after the
data changes. Dates become ISO strings; every value is JSON-safe.

>>> ev = Evidence()
>>> ev.node("Person", "A", "张三", source="cadres.csv:2")
>>> ev.node("Organization", "O1", "财政局")
>>> ev.edge("HOLDS", "A", "O1", start=date(2020, 1, 1), source="occupancies.csv:5")
>>> ev.note("张三自2020-01-01起任财政局局长")
>>> d = ev.as_dict()
>>> d["edges"][0]["start"], len(d["nodes"]), d["notes"]
('2020-01-01', 2, ['张三自2020-01-01起任财政局局长'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from riskgraph.values import native

# Chinese names of relationship types, for evidence tables and graph labels.
EDGE_ZH = {
    "SPOUSE_OF": "配偶", "PARENT_OF": "父母子女", "SIBLING_OF": "兄弟姐妹",
    "HOLDS": "任职", "IN_ORG": "所属单位", "REPORTS_TO": "直接上级", "SUBORDINATE_TO": "上级单位",
    "JURISDICTION": "管辖区划", "GREW_UP_IN": "成长地", "MANAGED_BY": "管理单位",
    "OWNS": "持股", "DIRECTOR_OF": "任职（企业）", "NOMINEE_FOR": "代持", "EMPLOYED_BY": "受雇",
    "REGISTERED_IN": "注册地", "OWNED_BY": "项目单位", "AWARDED_TO": "中标", "BID_ON": "投标",
    "LOCATED_IN": "项目所在地", "PAID_BY": "付款方", "PAID_TO": "收款方",
    "FOR_PROJECT": "所属项目", "APPROVED_BY": "审批人", "ACTED_ON": "经办",
    "DECIDED_ON": "决定人事事项", "DECLARED_BY": "申报人", "ITEM_OF": "申报事项",
    "CONCERNS": "涉及", "CONCERNS_COMPANY": "涉及企业", "HELD_BY": "产权人",
    "TRAVELLED": "出行", "ABOUT": "反映对象", "EVALUATES": "考核对象",
    "CONCERNS_PERSON": "涉及人员", "SHARES_CONTACT": "共用地址或电话", "KIN": "亲属关系",
}


def _json(value: Any) -> Any:
    value = native(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class Evidence:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def node(self, label: str, id: str, name: str = "", source: str | None = None,
             **props: Any) -> None:
        """Add a node (or fill in what an earlier call left out)."""
        old = self.nodes.get(id)
        if old is None:
            self.nodes[id] = {"id": id, "label": label, "name": name or id,
                              "source": source, "props": _json(props)}
            return
        if name and old["name"] == id:
            old["name"] = name
        old["source"] = old["source"] or source
        old["props"].update({k: v for k, v in _json(props).items() if k not in old["props"]})

    def edge(self, type: str, src: str, dst: str, start: Any = None, end: Any = None,
             source: str | None = None, **props: Any) -> None:
        """Add a relationship; the same type, ends and start date are added once."""
        row = {"type": type, "type_zh": EDGE_ZH.get(type, type), "from": src, "to": dst,
               "start": _json(start), "end": _json(end), "source": source,
               "props": _json(props)}
        for old in self.edges:
            if (old["type"], old["from"], old["to"], old["start"]) == (type, src, dst, row["start"]):
                return
        self.edges.append(row)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def merge(self, other: "Evidence") -> None:
        for n in other.nodes.values():
            self.node(n["label"], n["id"], n["name"], n["source"], **n["props"])
        for e in other.edges:
            self.edge(e["type"], e["from"], e["to"], e["start"], e["end"], e["source"], **e["props"])
        for text in other.notes:
            self.note(text)

    def as_dict(self) -> dict[str, Any]:
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges),
                "notes": list(self.notes)}
