"""任职年限 (post tenure): current holders who have sat in one post, or at one rank
level, longer than the rotation and term rules allow.

The rules (who they cover, which clock, the limit, the severity) are data in
config/detectors/post_tenure.yaml (provinces add stricter ones); the arithmetic is in
``riskgraph.tenure``. One finding per holder and post, listing every rule it breaks.
"""

from __future__ import annotations

from collections.abc import Iterator

from riskgraph.detectors._posts import post_title
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.store.vocab import Severity
from riskgraph.tenure import (
    Breach,
    Clock,
    breaches,
    earliest_start,
    elapsed_years,
    rank_order,
    tenure_start,
)
from riskgraph.values import native

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2}


def clock_of(row: dict, merge_gap_days: int) -> Clock:
    spans = [(native(s), native(e)) for s, e in row["earlier"] or []]
    start = native(row["start_date"])
    return Clock(row["person_id"], row["post_id"], tenure_start(spans, start, merge_gap_days),
                 native(row["rank_since"]), bool(row["in_leadership"]), bool(row["is_head"]),
                 row["category"], row["post_rank"], row["org_kind"], row["org_level"])


def read_clocks(ctx: Context) -> list[tuple[dict, Clock]]:
    """The current holders whose clocks may have run out, with their clocks."""
    rules = ctx.threshold("rules")
    params = {"as_of": ctx.as_of, "post_before": earliest_start(rules, ctx.as_of, "post"),
              "rank_before": earliest_start(rules, ctx.as_of, "rank")}
    rows = ctx.read_scope_first("detectors/post_tenure", params)
    gap = ctx.threshold("merge_gap_days")
    return [(row, clock_of(row, gap)) for row in rows]


def run(ctx: Context) -> Iterator[Hit]:
    rules, ranks = ctx.threshold("rules"), rank_order()
    for row, clock in read_clocks(ctx):
        if not ctx.in_scope(row["person_id"]):
            continue
        found = breaches(clock, rules, ctx.as_of, ranks)
        if found:
            yield _hit(row, clock, found, rules, ctx.as_of)


def _hit(row: dict, clock: Clock, found: list[Breach], rules: dict, as_of) -> Hit:
    name, post = row["person_name"], post_title(row["org_name"], row["post_name"])
    ev = Evidence()
    ev.node("Person", row["person_id"], name, row["person_source"],
            rank_since=native(row["rank_since"]))
    ev.node("Post", row["post_id"], row["post_name"], category=row["category"],
            rank=row["post_rank"], in_leadership=row["in_leadership"])
    ev.node("Organization", row["org_id"], row["org_name"], kind=row["org_kind"],
            level=row["org_level"])
    ev.edge("HOLDS", row["person_id"], row["post_id"], native(row["start_date"]),
            source=row["holds_source"])
    for s, e in row["earlier"] or []:
        ev.edge("HOLDS", row["person_id"], row["post_id"], native(s), native(e))
    ev.edge("IN_ORG", row["post_id"], row["org_id"])
    lines = []
    for b in found:
        what = "任现职级" if b.clock == "rank" else "任该职"
        lines.append(f"{b.label}：自{b.since.isoformat()}起{what}{b.years:.1f}年，"
                     f"已达{_num(b.limit)}年上限（{b.due.isoformat()}），"
                     f"{rules[b.rule].get('wording', '')}")
        ev.note(lines[-1])
    tenure = clock.started.isoformat()
    head = f"{name}自{tenure}起任{post}，至今{elapsed_years(clock.started, as_of):.1f}年"
    explanation = head + "。" + "；".join(lines) + "。"
    severity = max((b.severity for b in found), key=lambda s: SEVERITY_ORDER.get(s, 1))
    labels = "、".join(b.label for b in found)
    return Hit(
        entities=[Entity("Person", row["person_id"], name),
                  Entity("Post", row["post_id"], row["post_name"])],
        subjects=[row["person_id"]], orgs=[row["org_id"]],
        title=f"任职年限：{name}任{post}（{labels}）",
        explanation=explanation, evidence=ev, severity=Severity(severity), date=clock.started,
        facts={"rules": [b.rule for b in found], "started": tenure,
               "rank_since": clock.rank_since.isoformat() if clock.rank_since else None,
               "years": [b.years for b in found], "limits": [b.limit for b in found]},
    )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


DETECTOR = Detector(
    name="post_tenure",
    title="任职年限",
    family="high_risk",
    rule=("组织人事、纪检监察、审计、财务、审批、工程建设、采购、执法监管等岗位的非领导干部在同一职位任职满5年"
          "应当轮岗；县处级以上领导干部在同一职位任职满10年必须交流；同一职位连续任职不超过两个任期；"
          "同一层级领导职务任职满15年不再任同一层级职务。年限和范围可按省份配置。"),
    citation=("《公务员职位轮换（轮岗）暂行办法》第四条；《党政领导干部交流工作规定》第五条；"
              "《党政领导职务任期暂行规定》第三条、第六条、第七条"),
    version="1",
    run=run,
    scoped=True,
    description="Current holders past the rotation, leader, two-term or rank-level limits.",
)
