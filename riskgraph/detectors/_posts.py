"""Small helpers about posts shared by detectors: how a post is named in a text, and
(for the two-faced detectors) the posts a cadre holds on a day, which decide the
organisations a finding belongs to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from riskgraph.evidence import Evidence
from riskgraph.graph import GraphClient
from riskgraph.values import native

BATCH = 2000


def post_title(org_name: str, post_name: str) -> str:
    """The post as a reader names it: post names usually already start with the org's.

    >>> post_title("乙县水利局", "乙县水利局局长"), post_title("乙县水利局", "局长")
    ('乙县水利局局长', '乙县水利局局长')
    """
    return post_name if post_name.startswith(org_name) else org_name + post_name


def current_posts(graph: GraphClient, ids: Iterable[str], day: date) -> dict[str, list[dict]]:
    """The posts each person holds on ``day``, with organisation and rank."""
    ids = sorted(set(ids))
    out: dict[str, list[dict]] = defaultdict(list)
    for i in range(0, len(ids), BATCH):
        for row in graph.read("detectors/twofaced_current_posts",
                              {"ids": ids[i:i + BATCH], "as_of": day}):
            out[row["person_id"]].append(row)
    return out


def post_evidence(ev: Evidence, rows: list[dict]) -> None:
    """Draw the person's posts and organisations into ``ev``."""
    for r in rows:
        ev.node("Post", r["post_id"], r["post_name"])
        ev.node("Organization", r["org_id"], r["org_name"])
        ev.edge("HOLDS", r["person_id"], r["post_id"], native(r["start_date"]),
                source=r["holds_source"])
        ev.edge("IN_ORG", r["post_id"], r["org_id"])


def post_text(rows: list[dict]) -> str:
    """'某单位某职务' for the first post held, or '' when none."""
    return f"{rows[0]['org_name']}{rows[0]['post_name']}" if rows else ""
