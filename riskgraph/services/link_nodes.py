"""How the nodes and edges of a link investigation are shown: our own ids, the label to
draw a node as, and a Chinese caption for nodes that have no name (a payment, a report,
a trip ...), built from their properties instead of showing a raw id.

>>> display_name("Payment", {"date": "2023-05-01", "amount": 12.0}, {})
'付款 2023-05-01 12万元'
>>> display_name("Project", {"name": "道路改造工程"}, {})
'道路改造工程'
>>> display_name("Evaluation", {"year": 2024, "kind": "annual", "grade": "good"},
...              {"evaluation_kind": {"annual": "年度考核"}, "evaluation_grade": {"good": "良好"}})
'2024年 年度考核 良好'
"""

from __future__ import annotations

from datetime import date
from typing import Any

from riskgraph.evidence import EDGE_ZH
from riskgraph.values import native

LABEL_ZH = {"Person": "人员", "Cadre": "干部", "Company": "企业", "Organization": "单位",
            "Post": "岗位", "Project": "项目", "Payment": "资金拨付", "Declaration": "报告",
            "DeclarationItem": "报告事项", "RealEstate": "不动产", "Trip": "出行",
            "Petition": "信访", "Evaluation": "考核", "OversightFinding": "审计巡察",
            "Region": "区划"}
# The node properties a caption is made of (the `props` map of the ui/ queries).
CAPTION_PROPS = ("name", "date", "amount", "year", "address", "departed", "destination",
                 "received", "category", "kind", "grade", "source")


def plain(value: Any) -> Any:
    value = native(value)
    return value.isoformat() if isinstance(value, date) else value


def _amount(value: Any) -> str:
    """万元 amounts without trailing zeros: 12.0 -> '12万元', 51.91 -> '51.91万元'."""
    return f"{float(value):,.2f}".rstrip("0").rstrip(".") + "万元"


def display_name(label: str, props: dict, enums: dict) -> str | None:
    """A Chinese caption for a node of ``label`` from its properties (None when there is
    nothing to say); ``enums`` are the schema's enumerations (value -> Chinese)."""
    p = {k: plain(v) for k, v in (props or {}).items() if v is not None}
    if p.get("name"):
        return str(p["name"])

    def zh(enum: str, key: str) -> str:
        value = p.get(key)
        return "" if value is None else str(enums.get(enum, {}).get(str(value), value))

    parts: list[Any]
    if label == "Payment":
        parts = ["付款", p.get("date"), _amount(p["amount"]) if "amount" in p else None]
    elif label == "Declaration":
        parts = [f"{p['year']}年度个人有关事项报告" if "year" in p else "个人有关事项报告"]
    elif label == "DeclarationItem":
        parts = ["报告事项", zh("declaration_category", "category")]
    elif label == "RealEstate":
        parts = ["不动产", p.get("address")]
    elif label == "Trip":
        parts = ["出境", p.get("departed"), p.get("destination")]
    elif label == "Petition":
        parts = ["信访", p.get("received"), zh("petition_category", "category")]
    elif label == "Evaluation":
        parts = [f"{p['year']}年" if "year" in p else None, zh("evaluation_kind", "kind"),
                 zh("evaluation_grade", "grade")]
    elif label == "OversightFinding":
        parts = [zh("oversight_source", "source") or "审计巡察", p.get("date")]
    else:
        return None
    text = " ".join(str(x) for x in parts if x not in (None, ""))
    return text or None


def main_label(labels: list[str]) -> str:
    """The label to show a node as.

    >>> main_label(["Person", "Cadre"])
    'Cadre'
    """
    return "Cadre" if "Cadre" in labels else (labels[0] if labels else "")


def query_label(labels: list[str]) -> str:
    """The label to look a node up by (the key label, Person for a cadre)."""
    return "Person" if "Person" in labels else labels[0]


def node(labels: list[str], node_id: str, name: str | None) -> dict:
    label = main_label(labels)
    return {"id": node_id, "label": label, "label_zh": LABEL_ZH.get(label, label),
            "name": name or f"{LABEL_ZH.get(label, label)} {node_id}",
            "key": f"{'Person' if label == 'Cadre' else label}:{node_id}"}


def edge(type_: str, src: str, dst: str, start: Any, end: Any, source: str | None) -> dict:
    start, end = plain(start), plain(end)
    return {"id": edge_id(src, type_, dst, start), "type": type_,
            "type_zh": EDGE_ZH.get(type_, type_), "from": src, "to": dst,
            "start": start, "end": end, "source": source}


def edge_id(src: str, type_: str, dst: str, start: Any) -> str:
    return f"{src}|{type_}|{dst}|{plain(start) or ''}"
