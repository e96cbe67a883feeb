"""The post risk sweep on the real database: a busy township head's post (long tenure,
single-bidder projects all won by one company) ranks first, an idle post scores zero,
the ranking is kept (as its changes) and reproducible, a confirmed finding raises the score,
and the post_risk detector raises the post over the line."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
import sqlalchemy as sa
from conftest import stored_ranking
from detectorkit import entity_sets, hits, run_detector
from graphkit import Kit

from riskgraph.postscores import score_posts
from riskgraph.store import Finding, PostScore, session_scope
from riskgraph.store.vocab import ReviewStatus

pytestmark = pytest.mark.integration
AS_OF = date(2025, 12, 31)


@pytest.fixture
def post_graph(graph):
    kit = Kit(graph)
    kit.add("Region", id="K1", name="乙县", level="county")
    kit.add("Organization", id="O1", name="甲镇", kind="township", level="township", region="K1")
    kit.add("Post", id="PA", name="甲镇镇长", org="O1", rank="section", category="leadership",
            power_domains=["funds", "projects"], is_head=True, in_leadership=True)
    kit.add("Post", id="PB", name="甲镇综合股科员", org="O1", rank="staff", category="general",
            is_head=False, in_leadership=False, reports_to="PA")
    for pid, post, start in [("A", "PA", "2015-01-01"), ("B", "PB", "2024-01-01")]:
        kit.add("Cadre", id=pid, name=pid, gender="M", birth_date="1970-01-01", managed_by="O1",
                rank="section", grew_up_in="K1", rank_since=start)
        kit.add("Occupancy", person=pid, post=post, start_date=start)
    kit.add("Company", id="W", name="W公司", industry="E", region="K1")
    for i in range(3):
        call = date(2024, 3, 1) + dt.timedelta(days=60 * i)
        kit.add("Project", id=f"X{i}", name=f"X{i}项目", owner="O1", method="open",
                call_published=True, call_date=call, bid_deadline=call + dt.timedelta(days=25),
                award_date=call + dt.timedelta(days=55), winner="W", award_amount=100.0,
                final_amount=100.0, amended=False, approval_threshold=100.0)
        kit.add("Bid", company="W", project=f"X{i}", amount=100.0, date=call + dt.timedelta(days=20))
        kit.add("OfficialAct", person="A", target=f"X{i}", role="approve",
                date=call - dt.timedelta(days=5), post="PA")
    kit.add("Payment", id="Y1", date=date(2024, 9, 1), amount=30.0, payer="O1", payee="W",
            project="X0", approved_by="A")
    kit.write()
    return graph


def ranking(store, sweep_id: str) -> list[tuple]:
    return [(r.post_id, r.score, r.rank, r.level, r.holder_id,
             tuple(f["factor"] for f in r.factors), r.tenure.get("overdue"))
            for r in stored_ranking(store, sweep_id)]


def test_the_ranking_is_kept_explained_and_reproducible(post_graph, store, settings):
    score_posts(post_graph, store, settings, "s1", AS_OF)
    first = ranking(store, "s1")
    assert [r[0] for r in first] == ["PA", "PB"]
    pa = first[0]
    assert pa[3] == "high" and pa[4] == "A" and pa[6] is True
    assert {"power_domains", "projects", "payments", "winner_concentration", "tenure",
            "red_flags"} <= set(pa[5])
    assert first[1][1] < 10 and first[1][3] is None and first[1][5] == ("tenure",)
    score_posts(post_graph, store, settings, "s2", AS_OF)
    assert ranking(store, "s2") == first
    with session_scope(store) as s:             # the same scores again: no new rows
        assert s.scalar(sa.select(sa.func.count()).select_from(PostScore)) == len(first)
    score_posts(post_graph, store, settings, "s1", AS_OF)       # re-scoring stores again
    assert ranking(store, "s1") == first


def test_a_confirmed_finding_about_the_holder_adds_points(post_graph, store, settings):
    run_detector(post_graph, store, settings, "post_tenure", AS_OF)
    before = ranking_score(post_graph, store, settings, "before")
    with session_scope(store) as s:
        finding = s.scalars(sa.select(Finding).where(Finding.detector == "post_tenure")).one()
        finding.review_status = ReviewStatus.CONFIRMED
    after = ranking_score(post_graph, store, settings, "after")
    assert after == pytest.approx(before + 12)


def ranking_score(graph, store, settings, sweep: str) -> float:
    return next(s.score for s in score_posts(graph, store, settings, sweep, AS_OF)
                if s.post.post_id == "PA")


def test_the_detector_raises_posts_over_the_line(post_graph, settings):
    found = hits(post_graph, settings, "post_risk", AS_OF)
    assert entity_sets(found) == {frozenset({"PA"})}
    assert found[0].subjects == ["A"] and "任职年限" in found[0].explanation
