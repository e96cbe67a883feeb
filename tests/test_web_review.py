"""Review actions on a finding: each action, append-only history, and two reviewers
acting at once (the second gets a conflict and nothing is overwritten)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webkit import token, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def finding(web, fid):
    from riskgraph.store import Finding

    with web.sessions() as s:
        f = s.get(Finding, fid)
        return f.version, f.review_status, f.handling, f.assignee_id, [e.action for e in f.events]


def act(client, fid, **form):
    form.setdefault("csrf_token", token(client))
    return client.post(f"/findings/{fid}/act", data=form)


def test_review_actions_and_history(web):
    c = web.client("insp")
    fid = web.in_scope_finding
    v, *_ = finding(web, fid)
    assert act(c, fid, action="assign", assignee=web.users["insp2"], version=v).status_code == 303
    v, status, _, assignee, _ = finding(web, fid)
    assert (status, assignee) == ("assigned", web.users["insp2"])
    assert act(c, fid, action="comment", comment="已调取任职材料").status_code == 303
    assert finding(web, fid)[0] == v          # a comment changes nothing, so no new version
    act(c, fid, action="dismiss", version=v)  # no reason: refused
    assert finding(web, fid)[1] == "assigned"
    assert "必须填写理由" in c.get(f"/findings/{fid}").get_data(as_text=True)
    act(c, fid, action="escalate", handling="talk_inquiry", version=v)
    v, status, handling, _, _ = finding(web, fid)
    assert (status, handling) == ("escalated", "talk_inquiry")
    act(c, fid, action="clear", comment="经核实不存在回避情形", version=v)
    v, status, *_ = finding(web, fid)
    assert status == "cleared"
    until = (web.as_of + timedelta(days=3650)).isoformat()
    act(c, fid, action="accept", until=until, comment="待换届调整", version=v)
    v, status, *_, events = finding(web, fid)
    assert status == "accepted_risk"
    assert events[-5:] == ["assign", "comment", "escalate", "clear", "accept"]
    html = c.get(f"/findings/{fid}").get_data(as_text=True)
    assert "谈话函询" in html and "经核实不存在回避情形" in html


def test_two_reviewers_at_once_cannot_overwrite(web):
    fid = web.in_scope_finding
    first, second = web.client("insp"), web.client("insp2")
    v, *_ , before = finding(web, fid)
    # both loaded the page at version v
    assert act(first, fid, action="confirm", version=v).status_code == 303
    r = act(second, fid, action="dismiss", comment="不成立", version=v)
    assert r.status_code == 303
    v2, status, *_, events = finding(web, fid)
    assert status == "confirmed" and v2 == v + 1
    assert events.count("dismiss") == before.count("dismiss")
    page = second.get(f"/findings/{fid}").get_data(as_text=True)
    assert "已被他人修改" in page


def test_review_service_conflict_on_stale_flush(web):
    """The database check itself: a stale version fails at flush even when the Python
    check passed (two processes reading at the same moment)."""
    from riskgraph.services import review
    from riskgraph.store import Finding, User

    fid = web.in_scope_finding
    s1, s2 = web.sessions(), web.sessions()
    try:
        f1, f2 = s1.get(Finding, fid), s2.get(Finding, fid)
        u1, u2 = s1.get(User, web.users["insp"]), s2.get(User, web.users["insp2"])
        review.act(s1, f1, u1, "escalate", f1.version, handling="hold")
        s1.commit()
        with pytest.raises(review.Conflict):
            review.act(s2, f2, u2, "escalate", f2.version, handling="close")
    finally:
        s1.close()
        s2.close()
    assert finding(web, fid)[2] == "hold"


def test_investigation_saved_and_attached(web):
    import json

    c = web.client("insp")
    graph = {"nodes": [{"id": web.in_scope_cadre, "label": "Cadre", "name": "x"}], "edges": []}
    r = c.post("/links/investigations", data={"csrf_token": token(c), "title": "关系核查",
                                              "graph": json.dumps(graph),
                                              "finding_id": web.in_scope_finding})
    assert r.status_code == 303
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    assert "关系核查" in page
    assert "关系核查" in c.get(f"/findings/{web.in_scope_finding}").get_data(as_text=True)
    # another user cannot open it, and out-of-scope findings cannot be attached
    assert web.client("insp2").get(r.headers["Location"]).status_code == 404
    narrow = web.client("narrow")
    r2 = narrow.post("/links/investigations", data={"csrf_token": token(narrow), "title": "越权",
                                                    "graph": json.dumps(graph),
                                                    "finding_id": web.out_scope_finding})
    assert r2.status_code == 303
    assert "不在您的权限范围内" in narrow.get(r2.headers["Location"]).get_data(as_text=True)
