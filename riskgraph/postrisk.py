"""High-risk post score (高风险岗位): a pure, explainable score of every post.

Each factor gives points (weights in config/detectors/post_risk.yaml ``weights``) and a
Chinese detail saying why; the score is their sum, the ranking orders by score and then
post id, so the same data and configuration always give the same ranking. What the
score reads is gathered beforehand into ``PostFacts`` (see ``riskgraph.postscores``).

>>> w = {"power_domains": {"funds": 10}, "tenure": {"points": 10, "overdue_bonus": 5}}
>>> a = PostFacts("P1", "甲岗", "O", "甲单位", power_domains=["funds"])
>>> b = PostFacts("P2", "乙岗", "O", "甲单位", tenure={"years": 6.0, "limit_years": 5})
>>> [(s.post.post_id, s.score, s.rank) for s in rank_posts([a, b], w, {"high": 12})]
[('P2', 15.0, 1), ('P1', 10.0, 2)]
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from riskgraph.procurement import FLAG_ZH
from riskgraph.schema import default_schema

CREDIBLE = {"substantiated", "partly_substantiated"}
IGNORED_PETITIONS = {"false_accusation", "unsubstantiated"}


@dataclass
class PostFacts:
    """What the score reads about one post (inside the look-back window)."""

    post_id: str
    post_name: str
    org_id: str
    org_name: str
    holder_id: str | None = None
    holder_name: str | None = None
    power_domains: list[str] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)   # approved under it: id, amount, winner, approver
    org_projects: int = 0                                # projects approved in its organisation
    payments: list[dict] = field(default_factory=list)   # approved under it: id, amount
    flagged: dict[str, list[str]] = field(default_factory=dict)   # project id -> red flags
    petitions: list[dict] = field(default_factory=list)  # about holders while holding: id, outcome
    findings: list[dict] = field(default_factory=list)   # earlier confirmed: id, detector, title
    tenure: dict[str, Any] = field(default_factory=dict) # started, years, limit_years, rule


@dataclass
class Factor:
    factor: str
    label: str
    value: float
    points: float
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "label": self.label, "value": self.value,
                "points": self.points, "detail": self.detail}


@dataclass
class Scored:
    post: PostFacts
    score: float
    factors: list[Factor]
    rank: int = 0
    level: str | None = None


def log_share(value: float, cap: float) -> float:
    """``value`` on a log scale up to ``cap`` (0..1): large volumes do not swamp the rest.

    >>> log_share(0, 100), log_share(100, 100), log_share(1000, 100)
    (0.0, 1.0, 1.0)
    """
    if value <= 0 or cap <= 0:
        return 0.0
    return min(1.0, math.log1p(value) / math.log1p(cap))


def _pts(x: float) -> float:
    return round(float(x), 1)


def factors(p: PostFacts, w: dict[str, dict]) -> list[Factor]:
    """The factors of one post that give points (zero-point factors are left out)."""
    out: list[Factor] = []
    if "power_domains" in w and p.power_domains:
        pts = sum(w["power_domains"].get(d, 0) for d in p.power_domains)
        domain_zh = default_schema().enums["power_domain"]
        names = "、".join(domain_zh.get(d, d) for d in p.power_domains)
        out.append(Factor("power_domains", "权力领域", len(p.power_domains), _pts(pts),
                          f"岗位掌握{names}权力"))
    if (cfg := w.get("projects")) and p.projects:
        value = sum(x.get("amount") or 0 for x in p.projects)
        pts = cfg["points"] / 2 * (log_share(len(p.projects), cfg["count_cap"])
                                   + log_share(value, cfg["value_cap"]))
        out.append(Factor("projects", "审批项目", len(p.projects), _pts(pts),
                          f"期内经本岗位审批项目{len(p.projects)}个，中标金额合计{value:,.2f}万元"))
    if (cfg := w.get("payments")) and p.payments:
        value = sum(x.get("amount") or 0 for x in p.payments)
        out.append(Factor("payments", "资金拨付", round(value, 2),
                          _pts(cfg["points"] * log_share(value, cfg["value_cap"])),
                          f"期内经本岗位审批拨付资金{len(p.payments)}笔，合计{value:,.2f}万元"))
    if (cfg := w.get("winner_concentration")) and len(p.projects) >= cfg["min_projects"]:
        winners = Counter(x["winner"] for x in p.projects if x.get("winner"))
        if winners:
            top, n = min(winners.items(), key=lambda kv: (-kv[1], kv[0]))
            share = n / len(p.projects)
            if share >= cfg.get("min_share", 0):
                out.append(Factor("winner_concentration", "中标集中度", round(share, 3),
                                  _pts(cfg["points"] * share),
                                  f"本岗位审批的{len(p.projects)}个项目中{n}个由同一企业（{top}）中标，占{share:.0%}"))
    if (cfg := w.get("approval_concentration")) and p.org_projects >= cfg["min_projects"] and p.projects:
        share = min(1.0, len(p.projects) / p.org_projects)
        out.append(Factor("approval_concentration", "审批集中度", round(share, 3),
                          _pts(cfg["points"] * share),
                          f"本单位期内{p.org_projects}个项目中{len(p.projects)}个由本岗位审批，占{share:.0%}"))
    if (cfg := w.get("tenure")) and p.tenure.get("years") is not None:
        years, limit = p.tenure["years"], p.tenure["limit_years"]
        share = min(1.0, years / limit) if limit else 0.0
        overdue = limit and years >= limit
        pts = cfg["points"] * share + (cfg.get("overdue_bonus", 0) if overdue else 0)
        state = f"，已超过{limit:g}年交流期限" if overdue else f"（交流期限{limit:g}年）"
        out.append(Factor("tenure", "任职年限", years, _pts(pts),
                          f"现任者{p.holder_name or ''}已任职{years:.1f}年{state}"))
    if (cfg := w.get("red_flags")) and p.flagged:
        n = len(p.flagged)
        names = [FLAG_ZH.get(f, f) for f in sorted({f for fl in p.flagged.values() for f in fl})]
        out.append(Factor("red_flags", "采购风险信号", n,
                          _pts(min(cfg["cap"], cfg["points_each"] * n)),
                          f"本岗位审批的项目中{n}个有采购风险信号（{'、'.join(names)}）"))
    if (cfg := w.get("petitions")) and p.petitions:
        credible = sum(1 for x in p.petitions if x.get("outcome") in CREDIBLE)
        other = sum(1 for x in p.petitions
                    if x.get("outcome") not in CREDIBLE | IGNORED_PETITIONS)
        pts = min(cfg["cap"], cfg["credible"] * credible + cfg["other"] * other)
        if pts:
            out.append(Factor("petitions", "信访举报", credible + other, _pts(pts),
                              f"任职者在岗期间被信访举报{credible + other}件，其中属实或部分属实{credible}件"))
    if (cfg := w.get("findings")) and p.findings:
        n = len(p.findings)
        out.append(Factor("findings", "既往确认问题", n,
                          _pts(min(cfg["cap"], cfg["points_each"] * n)),
                          f"本岗位或其任职者有{n}项经核实确认的预警问题"))
    return out


def level_of(score: float, levels: dict[str, float]) -> str | None:
    """The highest level whose threshold the score reaches.

    >>> level_of(70, {"high": 60, "medium": 35}), level_of(40, {"high": 60, "medium": 35})
    ('high', 'medium')
    >>> level_of(10, {"high": 60, "medium": 35}) is None
    True
    """
    for name, floor in sorted(levels.items(), key=lambda kv: -kv[1]):
        if score >= floor:
            return name
    return None


def rank_posts(posts: list[PostFacts], weights: dict[str, dict],
               levels: dict[str, float]) -> list[Scored]:
    """Every post scored and ranked: by score (high first), then by post id."""
    scored = []
    for p in posts:
        fs = factors(p, weights)
        scored.append(Scored(p, round(float(sum(f.points for f in fs)), 1), fs))
    scored.sort(key=lambda s: (-s.score, s.post.post_id))
    for i, s in enumerate(scored, 1):
        s.rank = i
        s.level = level_of(s.score, levels)
    return scored
