"""Draw a finding's evidence (nodes and dated edges) as a static SVG for dossiers.

Layout: layers by hop distance from the finding's subjects (left to right), nodes in a
layer ordered by the mean row of their neighbours in the layer before (one barycentre
pass), straight edges labelled with the relationship and its dates. Deterministic, no
JavaScript, readable in a printed page up to a few dozen nodes.

>>> ev = {"nodes": [{"id": "A", "label": "Person", "name": "张三"},
...                 {"id": "O", "label": "Organization", "name": "财政局"}],
...       "edges": [{"from": "A", "to": "O", "type": "HOLDS", "type_zh": "任职",
...                  "start": "2020-01-01", "end": None}]}
>>> svg = evidence_svg(ev, subjects=["A"])
>>> svg.startswith("<svg") and "张三" in svg and "任职 2020-01-01起" in svg
True
>>> layers(ev, ["A"])
[['A'], ['O']]
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

LABEL_STYLE = {   # label: (Chinese name, fill, stroke)
    "Person": ("人员", "#fdecea", "#c0392b"), "Cadre": ("干部", "#fdecea", "#c0392b"),
    "Organization": ("单位", "#e8f0fb", "#2c5aa0"), "Post": ("岗位", "#eef6ff", "#4a78b5"),
    "Company": ("企业", "#fff4e0", "#c77c02"), "Project": ("项目", "#eaf7ee", "#2e8b57"),
    "Payment": ("资金拨付", "#f2fbe8", "#5c8a1e"), "Region": ("行政区划", "#f3f3f3", "#777777"),
    "Declaration": ("个人有关事项报告", "#f5eefc", "#7d4fb0"),
    "DeclarationItem": ("报告事项", "#f5eefc", "#7d4fb0"),
    "RealEstate": ("不动产", "#fbf3ea", "#9a6a33"), "Petition": ("信访举报", "#fff0f5", "#b03a6f"),
    "Evaluation": ("考核测评", "#eefaf9", "#2a8c86"), "Trip": ("出入境记录", "#f0f4f8", "#56708a"),
    "OversightFinding": ("审计巡察发现", "#fff8e6", "#a6822a"),
}
DEFAULT_STYLE = ("", "#f6f6f6", "#888888")
EDGE_ZH = {"PART_OF": "上级区划"}     # types riskgraph.evidence.EDGE_ZH does not name
WIDTH, NODE_W, NODE_H, ROW_H, MARGIN = 680, 132, 44, 74, 16
BEND = 44                               # room right of the last column for bent edges
MAX_NODES = 40


def layers(evidence: dict[str, Any], subjects: list[str]) -> list[list[str]]:
    """Node ids by hop distance from the subjects (unreached nodes last)."""
    ids = [n["id"] for n in evidence.get("nodes", [])][:MAX_NODES]
    known = set(ids)
    adj: dict[str, list[str]] = defaultdict(list)
    for e in evidence.get("edges", []):
        if e["from"] in known and e["to"] in known:
            adj[e["from"]].append(e["to"])
            adj[e["to"]].append(e["from"])
    start = [s for s in subjects if s in known] or ids[:1]
    depth = {s: 0 for s in start}
    queue = list(start)
    while queue:
        node = queue.pop(0)
        for nxt in adj[node]:
            if nxt not in depth:
                depth[nxt] = depth[node] + 1
                queue.append(nxt)
    last = max(depth.values(), default=0) + 1
    out: list[list[str]] = [[] for _ in range(last + 1)]
    for node in ids:
        out[depth.get(node, last)].append(node)
    out = [layer for layer in out if layer]
    for i in range(1, len(out)):       # barycentre ordering against the layer before
        rank = {n: r for r, n in enumerate(out[i - 1])}
        out[i].sort(key=lambda n, rank=rank: _barycentre(n, adj, rank))
    return out


def _barycentre(node: str, adj: dict[str, list[str]], rank: dict[str, int]) -> float:
    rows = [rank[m] for m in adj[node] if m in rank]
    return sum(rows) / len(rows) if rows else len(rank)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _edge_label(e: dict[str, Any]) -> str:
    label = EDGE_ZH.get(e.get("type", ""), e.get("type_zh") or e.get("type", ""))
    if e.get("start") and e.get("end"):
        return f"{label} {e['start']}至{e['end']}"
    if e.get("start"):
        return f"{label} {e['start']}起"
    return label


def evidence_svg(evidence: dict[str, Any], subjects: list[str] | None = None) -> str:
    """The evidence graph as an SVG document (UTF-8 text, fonts from the page)."""
    cols = layers(evidence, subjects or [])
    if not cols:
        return ""
    nodes = {n["id"]: n for n in evidence.get("nodes", [])}
    rows = max(len(c) for c in cols)
    height = MARGIN * 2 + rows * ROW_H
    span = WIDTH - 2 * MARGIN - NODE_W - BEND
    step = span / max(1, len(cols) - 1)
    pos = {}
    for c, col in enumerate(cols):
        x = MARGIN + NODE_W / 2 + (c * step if len(cols) > 1 else span / 2)
        top = MARGIN + (rows - len(col)) * ROW_H / 2
        for r, node in enumerate(col):
            pos[node] = (x, top + r * ROW_H + ROW_H / 2)
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="evidence" width="{WIDTH}" '
              f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" '
              'font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif">'),
             ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
              'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
              'fill="#666"/></marker></defs>')]
    for e in evidence.get("edges", []):
        if e["from"] not in pos or e["to"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        x1, x2 = _clip(x1, x2), _clip(x2, x1)
        if x1 == x2:   # same column: bend around the right side
            bend = x1 + NODE_W / 2 + BEND * 0.8
            parts.append(f'<path d="M{x1 + NODE_W / 2:.0f},{y1:.0f} Q{bend:.0f},{(y1 + y2) / 2:.0f} '
                         f'{x2 + NODE_W / 2:.0f},{y2:.0f}" fill="none" stroke="#888" '
                         'stroke-width="1.2" marker-end="url(#arrow)"/>')
            lx, ly = x1 + NODE_W / 2 + 4, (y1 + y2) / 2 + 4
        else:
            parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                         'stroke="#888" stroke-width="1.2" marker-end="url(#arrow)"/>')
            lx, ly = (x1 + x2) / 2, (y1 + y2) / 2 - 4
        parts.append(f'<text x="{lx:.0f}" y="{ly:.0f}" font-size="10" fill="#333" '
                     'text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="3">'
                     f'{escape(_short(_edge_label(e), 22))}</text>')
    for node_id, (x, y) in pos.items():
        node = nodes[node_id]
        label_zh, fill, stroke = LABEL_STYLE.get(node.get("label"), DEFAULT_STYLE)
        width = 2 if node_id in (subjects or []) else 1
        parts.append(f'<rect x="{x - NODE_W / 2:.0f}" y="{y - NODE_H / 2:.0f}" width="{NODE_W}" '
                     f'height="{NODE_H}" rx="6" fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="{width}"/>')
        parts.append(f'<text x="{x:.0f}" y="{y - 3:.0f}" font-size="12" text-anchor="middle" '
                     f'fill="#111">{escape(_short(str(node.get("name") or node_id), 10))}</text>')
        parts.append(f'<text x="{x:.0f}" y="{y + 13:.0f}" font-size="9" text-anchor="middle" '
                     f'fill="{stroke}">{escape(label_zh or node.get("label", ""))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _clip(x: float, other: float) -> float:
    """Where an edge leaves a node box towards ``other`` (left or right side)."""
    if other > x:
        return x + NODE_W / 2
    if other < x:
        return x - NODE_W / 2
    return x
