"""The high-risk posts ranking is paged (the top ``most`` posts at most), ranked by
score as stored, a narrow scope showing each post's rank in the whole ranking."""

from __future__ import annotations

from datetime import date

from riskgraph.access import Scope
from riskgraph.services.dashboard import post_score_page
from riskgraph.store import PostRanking, PostScore, session_scope

EVERYTHING = Scope(True, frozenset(), frozenset())


def test_pages_of_the_ranking(store):
    with session_scope(store) as s:
        stored = PostRanking(sweep_id="S1", as_of=date(2025, 12, 31), posts=120, written=120)
        s.add(stored)
        s.flush()
        s.add_all(PostScore(ranking_id=stored.id, post_id=f"P{i}", post_name="局长", org_id="O1",
                            org_name="单位", holder_id=f"C{i}", holder_name="某", score=100 - i / 10,
                            level="high", factors=[], tenure={}) for i in range(1, 121))
    with store() as s:
        first, total = post_score_page(s, EVERYTHING, 1, 50, 200)
        assert total == 120 and [p.rank for p in first] == list(range(1, 51))
        last, _ = post_score_page(s, EVERYTHING, 3, 50, 200)
        assert [p.rank for p in last] == list(range(101, 121))
        assert post_score_page(s, EVERYTHING, 4, 50, 200)[0] == []
        capped, total = post_score_page(s, EVERYTHING, 2, 50, 80)
        assert total == 80 and [p.rank for p in capped] == list(range(51, 81))
        narrow = Scope(False, frozenset({"O9"}), frozenset({"C7"}))
        assert [p.rank for p in post_score_page(s, narrow, 1, 50, 200)[0]] == [7]
