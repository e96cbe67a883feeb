"""The pure post risk score: each factor's points and Chinese detail, levels, and a
ranking that does not depend on input order (ties broken by post id)."""

from __future__ import annotations

import random

from riskgraph.detectors.config import detector_config
from riskgraph.postrisk import PostFacts, factors, rank_posts

CONFIG = detector_config("post_risk")
W, LEVELS = CONFIG["weights"], CONFIG["levels"]


def busy(post_id: str = "P1") -> PostFacts:
    projects = [{"id": f"X{i}", "amount": 90.0, "winner": "W1" if i < 4 else "W2"} for i in range(5)]
    return PostFacts(post_id, "甲镇副镇长", "O1", "甲镇", holder_id="A", holder_name="张三",
                     power_domains=["funds", "projects"], projects=projects, org_projects=10,
                     payments=[{"id": "Y1", "amount": 300.0}],
                     flagged={"X1": ["single_bidder"], "X2": ["splitting"]},
                     petitions=[{"id": "Q1", "outcome": "substantiated"},
                                {"id": "Q2", "outcome": "false_accusation"}],
                     tenure={"started": "2019-01-01", "years": 7.0, "limit_years": 5})


def test_every_factor_explains_its_points():
    fs = {f.factor: f for f in factors(busy(), W)}
    assert set(fs) == {"power_domains", "projects", "payments", "winner_concentration",
                       "approval_concentration", "tenure", "red_flags", "petitions"}
    assert fs["power_domains"].points == 16 and "资金使用、工程建设" in fs["power_domains"].detail
    assert fs["winner_concentration"].value == 0.8 and "W1" in fs["winner_concentration"].detail
    assert fs["approval_concentration"].points == round(8 * 0.5, 1)
    assert fs["tenure"].points == 12 + 10 and "已超过5年" in fs["tenure"].detail
    assert fs["red_flags"].points == 16
    assert fs["petitions"].points == 8          # a false accusation counts for nothing


def test_confirmed_findings_raise_the_score():
    plain = rank_posts([busy()], W, LEVELS)[0]
    found = busy()
    found.findings = [{"id": 1, "detector": "recusal", "title": "公务回避", "ids": ["A"]}]
    marked = rank_posts([found], W, LEVELS)[0]
    assert marked.score == plain.score + 12
    assert marked.factors[-1].factor == "findings"


def test_an_idle_post_scores_nothing():
    idle = rank_posts([PostFacts("P9", "科员", "O1", "甲镇")], W, LEVELS)[0]
    assert (idle.score, idle.factors, idle.level) == (0.0, [], None)


def test_the_ranking_is_reproducible_and_ties_go_by_post_id():
    posts = [busy(f"P{i}") for i in range(5)] + [PostFacts(f"Z{i}", "科员", "O1", "甲镇")
                                                 for i in range(5)]
    first = [(s.post.post_id, s.score, s.rank, s.level) for s in rank_posts(posts, W, LEVELS)]
    shuffled = posts[:]
    random.Random(7).shuffle(shuffled)
    again = [(s.post.post_id, s.score, s.rank, s.level) for s in rank_posts(shuffled, W, LEVELS)]
    assert first == again
    assert [r[0] for r in first[:5]] == ["P0", "P1", "P2", "P3", "P4"]
    assert first[0][3] == "high" and first[-1][3] is None
