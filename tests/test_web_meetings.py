"""The consultation-meeting pages (会商): every route for every role (403), anonymous
users (sign in / 400), meetings and items outside a user's reach (404), CSRF (400),
audit of views and exports, locked minutes refusing edits (409, nothing changed), and a
whole meeting through the web whose decisions flow back to the findings."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from meetingkit import make_meeting, spare_findings
from webkit import PASSWORD, audit_rows, token, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration

ROLES = ("insp", "officer", "secretary", "admin", "auditor")


# -- helpers ---------------------------------------------------------------------------

def first_item(web, meeting_id: int) -> int:
    from riskgraph.store import Meeting

    with web.sessions() as s:
        return s.get(Meeting, meeting_id).items[0].id


def snapshot(web, meeting_id: int):
    from riskgraph.store import Meeting

    with web.sessions() as s:
        m = s.get(Meeting, meeting_id)
        return (m.version, m.status, m.locked, len(m.entries),
                [(i.id, i.version, i.org_opinion, i.discipline_opinion, i.decision, i.owner)
                 for i in m.items])


def routes(draft: int, draft_item: int, locked: int, locked_item: int):
    """(method, url, permission) for every meeting route."""
    return [
        ("GET", "/meetings/", "meetings.view"),
        ("GET", "/meetings/new", "meetings.manage"),
        ("POST", "/meetings/", "meetings.manage"),
        ("GET", f"/meetings/{draft}", "meetings.view"),
        ("GET", f"/meetings/{draft}?kind=finding&q=", "meetings.view"),
        ("POST", f"/meetings/{draft}/items", "meetings.manage"),
        ("POST", f"/meetings/{draft}/circulate", "meetings.manage"),
        ("POST", f"/meetings/{draft}/items/{draft_item}/opinion", "meetings.opinion"),
        ("POST", f"/meetings/{draft}/items/{draft_item}/decision", "meetings.manage"),
        ("POST", f"/meetings/{draft}/sign", "meetings.opinion"),
        ("POST", f"/meetings/{draft}/withdraw", "meetings.opinion"),
        ("POST", f"/meetings/{draft}/items/{draft_item}/remove", "meetings.manage"),
        ("POST", f"/meetings/{locked}/entries", "meetings.entry"),
        ("POST", f"/meetings/{locked}/export.docx", "meetings.export"),
    ]


@pytest.fixture(scope="module")
def pair(web):
    """A draft meeting and a signed one, each with one finding item."""
    (f1, _), (f2, _) = spare_findings(web, 2)
    draft = make_meeting(web, [("finding", f1)], title="草稿会商")
    locked = make_meeting(web, [("finding", f2)], stage="signed", title="已签字会商")
    return draft, first_item(web, draft), locked, first_item(web, locked)


# -- access ----------------------------------------------------------------------------

def test_anonymous_is_sent_to_sign_in(web, pair):
    c = web.client()
    for method, url, _ in routes(*pair):
        r = c.open(url, method=method, data={"csrf_token": "x"} if method == "POST" else None)
        if method == "POST":
            assert r.status_code == 400, url
        else:
            assert r.status_code == 302 and "/login" in r.headers["Location"], url


@pytest.mark.parametrize("role", ROLES)
def test_roles_get_403_without_permission(web, pair, role):
    from riskgraph.access import allowed

    user_role = web.role_of(role)
    c = web.client(role)
    for method, url, permission in routes(*pair):
        data = ({"csrf_token": token(c), "text": "意见", "kind": "cadre", "ref_id": web.in_scope_cadre}
                if method == "POST" else None)
        r = c.open(url, method=method, data=data)
        if allowed(user_role, permission):
            assert r.status_code in (200, 303), (role, url, r.status_code)
        else:
            assert r.status_code == 403, (role, url, r.status_code)
    nav = c.get("/", follow_redirects=True).get_data(as_text=True)
    assert ('href="/meetings/"' in nav) == allowed(user_role, "meetings.view")


def test_posts_without_csrf_token_are_400(web, pair):
    c = web.client("secretary")
    before = snapshot(web, pair[0])
    for method, url, _ in routes(*pair):
        if method == "POST":
            assert c.post(url, data={"text": "x"}).status_code == 400, url
            assert c.post(url, data={"csrf_token": "forged", "text": "x"}).status_code == 400, url
    assert snapshot(web, pair[0]) == before


def test_meetings_outside_reach_are_404(web, pair):
    draft, item, locked, locked_item = pair
    other = web.client("insp2")                     # an inspector who does not attend
    assert other.get(f"/meetings/{draft}").status_code == 404
    r = other.post(f"/meetings/{locked}/export.pdf", data={"csrf_token": token(other)})
    assert r.status_code == 404
    r = other.post(f"/meetings/{draft}/items/{item}/opinion",
                   data={"csrf_token": token(other), "text": "x"})
    assert r.status_code == 404
    assert f"/meetings/{draft}\"" not in other.get("/meetings/").get_data(as_text=True)
    sec = web.client("secretary")
    assert sec.get("/meetings/999999").status_code == 404
    assert sec.post(f"/meetings/{draft}/export.xls", data={"csrf_token": token(sec)}).status_code == 404
    # an item of another meeting
    r = sec.post(f"/meetings/{draft}/items/{locked_item}/remove", data={"csrf_token": token(sec)})
    assert r.status_code == 404
    officer = web.client("officer")
    listed = officer.get("/meetings/").get_data(as_text=True)
    assert f"/meetings/{draft}\"" in listed and f"/meetings/{locked}\"" in listed


def test_items_outside_scope(web):
    """A narrow-scoped participant sees an out-of-scope item without content, cannot
    give an opinion on it (404) and cannot export the minutes (403)."""
    from riskgraph.store import Finding

    with web.sessions() as s:
        out_title = s.get(Finding, web.out_scope_finding).title
        in_title = s.get(Finding, web.in_scope_finding).title
    mid = make_meeting(web, [("finding", web.in_scope_finding), ("finding", web.out_scope_finding)],
                       stage="circulated", sides=("officer", "narrow"), title="范围测试会商")
    c = web.client("narrow")
    html = c.get(f"/meetings/{mid}").get_data(as_text=True)
    assert in_title in html and out_title not in html and "超出您的数据范围" in html
    from riskgraph.store import Meeting

    with web.sessions() as s:
        inside, outside = [i.id for i in s.get(Meeting, mid).items]
    r = c.post(f"/meetings/{mid}/items/{outside}/opinion", data={"csrf_token": token(c), "text": "同意"})
    assert r.status_code == 404
    r = c.post(f"/meetings/{mid}/items/{inside}/opinion", data={"csrf_token": token(c), "text": "同意"})
    assert r.status_code == 303
    assert c.post(f"/meetings/{mid}/export.docx", data={"csrf_token": token(c)}).status_code == 403
    assert snapshot(web, mid)[4][1][3] is None


def test_picker_offers_only_in_scope_items(web):
    from riskgraph.access import resolve_scope
    from riskgraph.services.users import add_user
    from riskgraph.store import Investigation, User, session_scope

    with session_scope(web.sessions) as s:
        roots = s.get(User, web.users["narrow"]).scope_org_ids
        if s.scalar(sa.select(User).where(User.username == "narrowsec")) is None:
            sec = add_user(s, "narrowsec", PASSWORD, "meeting_secretary", "窄范围秘书", roots)
            s.add(Investigation(title="窄秘书的研判", owner_id=sec.id, graph={"nodes": [], "edges": []}))
        own = s.scalar(sa.select(Investigation.id).where(Investigation.title == "窄秘书的研判"))
    scope = resolve_scope(web.graph, roots)
    assert web.out_scope_cadre not in scope.cadre_ids
    c = web.client("narrowsec")
    mid = make_meeting(web, [], title="窄范围秘书的会商")
    html = c.get(f"/meetings/{mid}?kind=finding&q=").get_data(as_text=True)
    offered = set(re.findall(r'name="ref_id" value="([^"]+)"', html))
    assert str(web.in_scope_finding) in offered and str(web.out_scope_finding) not in offered
    html = c.get(f"/meetings/{mid}?kind=cadre&q={web.out_scope_cadre}").get_data(as_text=True)
    assert f'name="ref_id" value="{web.out_scope_cadre}"' not in html
    html = c.get(f"/meetings/{mid}?kind=cadre&q={web.in_scope_cadre}").get_data(as_text=True)
    assert f'name="ref_id" value="{web.in_scope_cadre}"' in html
    html = c.get(f"/meetings/{mid}?kind=investigation&q=").get_data(as_text=True)
    assert f'name="ref_id" value="{own}"' in html
    assert f'name="ref_id" value="{web.investigations["insp"]}"' not in html

    def add(kind, ref):
        return c.post(f"/meetings/{mid}/items", data={"csrf_token": token(c), "kind": kind, "ref_id": ref})

    assert add("finding", web.out_scope_finding).status_code == 404
    assert add("cadre", web.out_scope_cadre).status_code == 404
    assert add("investigation", web.investigations["insp"]).status_code == 404
    assert add("finding", 999999).status_code == 404
    assert add("finding", web.in_scope_finding).status_code == 303
    assert add("cadre", web.in_scope_cadre).status_code == 303
    assert add("investigation", own).status_code == 303
    assert [i[0] for i in snapshot(web, mid)[4]].__len__() == 3
    r = add("finding", web.in_scope_finding)          # twice: refused with a message
    assert r.status_code == 303
    assert "已在议程中" in c.get(r.headers["Location"]).get_data(as_text=True)


def test_views_and_exports_are_audited(web, pair):
    draft, _, locked, _ = pair
    c = web.client("officer")
    c.get(f"/meetings/{draft}")
    rows = audit_rows(web, username="officer", action="view", object_type="meeting",
                      object_id=str(draft))
    assert rows and rows[-1].ip == "127.0.0.1"
    def exports():
        return sorted(e.detail["format"] for e in audit_rows(
            web, username="officer", action="export", object_type="meeting", object_id=str(locked)))

    before = exports()
    r = c.post(f"/meetings/{locked}/export.pdf", data={"csrf_token": token(c)})
    assert r.status_code == 200 and r.data[:5] == b"%PDF-" and r.mimetype == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    r = c.post(f"/meetings/{locked}/export.docx", data={"csrf_token": token(c)})
    assert r.status_code == 200 and r.data[:2] == b"PK"
    assert exports() == sorted([*before, "docx", "pdf"])
    assert {e.ip for e in audit_rows(web, username="officer", action="export", object_type="meeting",
                                     object_id=str(locked))} == {"127.0.0.1"}


# -- the lock ----------------------------------------------------------------------------

def test_locked_minutes_refuse_edits(web, pair):
    _, _, locked, item = pair
    before = snapshot(web, locked)
    sec, officer = web.client("secretary"), web.client("officer")
    edits = [
        (sec, f"/meetings/{locked}/items", {"kind": "cadre", "ref_id": web.in_scope_cadre}),
        (sec, f"/meetings/{locked}/items/{item}/remove", {}),
        (sec, f"/meetings/{locked}/circulate", {}),
        (sec, f"/meetings/{locked}/items/{item}/decision", {"decision": "close", "owner": "某人"}),
        (officer, f"/meetings/{locked}/items/{item}/opinion", {"text": "改一下"}),
        (officer, f"/meetings/{locked}/sign", {}),
        (officer, f"/meetings/{locked}/withdraw", {}),
    ]
    for client, url, form in edits:
        r = client.post(url, data={"csrf_token": token(client), **form})
        assert r.status_code == 409, url
        assert "已经双方签字锁定" in r.get_data(as_text=True), url
    assert snapshot(web, locked) == before
    html = officer.get(f"/meetings/{locked}").get_data(as_text=True)
    assert 'id="locked-banner"' in html
    for form_action in ("/opinion", "/decision", "/remove", "/sign", "/withdraw", "/circulate"):
        assert f'{form_action}"' not in html, form_action
    assert 'id="entry-form"' in html                 # later entries are still possible
    r = officer.post(f"/meetings/{locked}/entries",
                     data={"csrf_token": token(officer), "text": "会后补充：本人已作说明", "item_id": item})
    assert r.status_code == 303
    html = officer.get(f"/meetings/{locked}").get_data(as_text=True)
    assert "会后补充：本人已作说明" in html
    assert snapshot(web, locked)[3] == before[3] + 1
    # the organisation side may not change a decision by an entry
    r = officer.post(f"/meetings/{locked}/entries", data={"csrf_token": token(officer), "text": "改为了结",
                                                          "item_id": item, "decision": "close"})
    assert r.status_code == 403


# -- a whole meeting through the web ---------------------------------------------------

def test_whole_meeting_flows_back_to_findings(web):
    from riskgraph.store import Finding

    (f1, _), (f2, cadre) = spare_findings(web, 2, skip=2)
    sec, officer, insp = web.client("secretary"), web.client("officer"), web.client("insp")
    r = sec.post("/meetings/", data={"csrf_token": token(sec), "title": "网页会商", "date": "2025-12-22",
                                     "participants": [web.users["officer"], web.users["insp"]]})
    assert r.status_code == 303
    mid = int(r.headers["Location"].rstrip("/").split("/")[-1])
    for kind, ref in (("finding", f1), ("cadre", cadre)):
        r = sec.post(f"/meetings/{mid}/items", data={"csrf_token": token(sec), "kind": kind, "ref_id": ref})
        assert r.status_code == 303
    # opinions before circulation are refused with a message, changing nothing
    items = [i[0] for i in snapshot(web, mid)[4]]
    r = officer.post(f"/meetings/{mid}/items/{items[0]}/opinion",
                     data={"csrf_token": token(officer), "text": "同意"})
    assert "议程分发后才能发表意见" in officer.get(r.headers["Location"]).get_data(as_text=True)
    assert sec.post(f"/meetings/{mid}/circulate", data={"csrf_token": token(sec)}).status_code == 303
    for item in items:
        for client, text in ((officer, "组织部门：建议谈话"), (insp, "纪委：同意")):
            r = client.post(f"/meetings/{mid}/items/{item}/opinion", data={"csrf_token": token(client), "text": text})
            assert r.status_code == 303
    html = insp.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "组织部门：建议谈话" in html and 'class="graph short"' in html
    for item, decision in zip(items, ("talk_inquiry", "clear")):
        r = sec.post(f"/meetings/{mid}/items/{item}/decision",
                     data={"csrf_token": token(sec), "decision": decision, "owner": "县纪委第二室",
                           "due_date": "2026-01-31"})
        assert r.status_code == 303
    assert officer.post(f"/meetings/{mid}/sign", data={"csrf_token": token(officer)}).status_code == 303
    with web.sessions() as s:
        assert s.get(Finding, f1).review_status == "new"       # one signature: no effect yet
    assert insp.post(f"/meetings/{mid}/sign", data={"csrf_token": token(insp)}).status_code == 303
    with web.sessions() as s:
        first, second = s.get(Finding, f1), s.get(Finding, f2)
        assert (first.review_status, first.handling) == ("confirmed", "talk_inquiry")
        assert second.review_status == "cleared"
        assert first.events[-1].action == "meeting_decision" and first.events[-1].data["meeting_id"] == mid
    page = insp.get(f"/findings/{f1}").get_data(as_text=True)
    assert "会商决定：谈话函询" in page
    # a later entry by the secretary changes the decision, visibly, and the finding again
    r = sec.post(f"/meetings/{mid}/entries", data={"csrf_token": token(sec), "text": "经补充核实，移交处理",
                                                   "item_id": items[0], "decision": "refer", "owner": "县纪委"})
    assert r.status_code == 303
    with web.sessions() as s:
        assert s.get(Finding, f1).review_status == "escalated"
    html = sec.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "经补充核实，移交处理" in html and "决定变更为：移交处理" in html and "会后变更" in html
    assert "谈话函询" in html                          # the signed decision stays as it was
