"""高风险岗位 (high-risk post): posts whose risk score (``riskgraph.postrisk``) reaches
the configured level become a finding about the post, its current holder the subject.

The run scores every post (with earlier confirmed findings from the store and the
province's overrides) and leaves the ranking in ``ctx.shared[RANKING]``, so the step
after the sweep stores it (``riskgraph.poststore``) without scoring twice. In the re-check
after an import (the sweep's ``shared`` holds the batches' changes) it rescores only
the posts the batches can have changed, from the tables the process holds
(``riskgraph.posttables``), and keeps the rest of the last stored ranking
(``riskgraph.postdelta``): the same ranking, so it still yields every post's hit;
``ctx.shared[RANKING_BASE]`` then says what it kept, so storing compares only the
rescored posts with the stored ones. A whole run leaves the tables it read held.
"""

from __future__ import annotations

from collections.abc import Iterator

from riskgraph import posttables
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.detectors.procurement_flags import shared_key, shared_projects
from riskgraph.evidence import Evidence
from riskgraph.postdelta import ranking_after
from riskgraph.postrisk import Scored
from riskgraph.postscores import Tables, compute, configs, confirmed_findings
from riskgraph.reach import CHANGES
from riskgraph.store import session_scope

RANKING = "post_risk.ranking"
# With RANKING after an import: the stored ranking it was derived from (poststore.Base).
RANKING_BASE = "post_risk.ranking_base"

LEVEL_ZH = {"high": "高", "medium": "中"}


def run(ctx: Context) -> Iterator[Hit]:
    findings = []
    if ctx.sessions is not None:
        with session_scope(ctx.sessions) as session:
            findings = confirmed_findings(session)
    _risk, tenure, flags = configs(ctx.province)
    after = None
    changes = ctx.shared.get(CHANGES)
    if changes is not None and ctx.sessions is not None:
        after = ranking_after(ctx.graph, ctx.sessions, changes, ctx.config, tenure, flags,
                              ctx.as_of, findings, ctx.shared)
    if after is not None:
        ranking, ctx.shared[RANKING_BASE] = after
    else:
        tables = _whole_tables(ctx)
        ranking = compute(ctx.graph, ctx.config, tenure, flags, ctx.as_of, findings, tables)
        ctx.shared.pop(RANKING_BASE, None)
    ctx.shared[RANKING] = ranking
    floor = ctx.config["levels"][ctx.threshold("finding_level")]
    for s in ranking:
        if s.score < floor:
            break
        if ctx.scope is not None and not (s.post.holder_id and ctx.in_scope(s.post.holder_id)):
            continue
        yield _hit(s)


def _whole_tables(ctx: Context) -> Tables:
    """The tables read whole (the projects shared with procurement_flags); the process
    then holds them for the next re-check (``posttables.seed``), unless the projects
    were read earlier in the sweep (perhaps before an import finished)."""
    roles = ctx.threshold("approve_roles")
    fresh = shared_key(ctx.as_of, roles) not in ctx.shared

    def read() -> Tables:
        return Tables.read(ctx.graph, ctx.as_of, ctx.config,
                           shared_projects(ctx.shared, ctx.graph, ctx.as_of, roles))

    if ctx.sessions is None or not fresh:
        return read()
    with session_scope(ctx.sessions) as session:
        return posttables.seed(ctx.graph, session, ctx.config, ctx.as_of, read)


def _hit(s: Scored) -> Hit:
    p = s.post
    ev = Evidence()
    ev.node("Post", p.post_id, p.post_name)
    ev.node("Organization", p.org_id, p.org_name)
    ev.edge("IN_ORG", p.post_id, p.org_id)
    if p.holder_id:
        ev.node("Person", p.holder_id, p.holder_name or "")
        ev.edge("HOLDS", p.holder_id, p.post_id, p.tenure.get("started"))
    for f in s.factors:
        ev.note(f"{f.label}（{f.points:g}分）：{f.detail}")
    level = LEVEL_ZH.get(s.level or "", s.level or "")
    explanation = (f"{p.post_name}风险评分{s.score:g}分，排名第{s.rank}，风险等级{level}。"
                   + "；".join(f"{f.label}{f.points:g}分（{f.detail}）" for f in s.factors) + "。")
    return Hit(
        entities=[Entity("Post", p.post_id, p.post_name)],
        subjects=[p.holder_id] if p.holder_id else [], orgs=[p.org_id],
        title=f"高风险岗位：{p.post_name}（{s.score:g}分）", explanation=explanation, evidence=ev,
        facts={"score": s.score, "rank": s.rank, "level": s.level,
               "factors": [f.as_dict() for f in s.factors]},
    )


DETECTOR = Detector(
    name="post_risk",
    title="高风险岗位",
    family="high_risk",
    rule=("综合岗位掌握的审批、资金、工程、人事权力，经手项目和资金的数量与金额，中标和审批集中度，"
          "现任者任职年限，所审批项目的采购风险信号，任职者被信访举报及既往确认问题计算岗位风险分，"
          "达到高风险等级的岗位预警。"),
    citation="《公务员职位轮换（轮岗）暂行办法》；《关于加强对“一把手”和领导班子监督的意见》",
    version="1",
    run=run,
    scoped=False,                 # whole-graph: see config incremental
    description="Posts whose explainable risk score reaches the configured level.",
)
