"""Meetings for the web and browser tests, made through the workflow services on the
web environment of `webkit` (findings from a real sweep of generated data)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa


def spare_findings(web, n: int = 2, skip: int = 0):
    """``n`` (finding id, cadre id) pairs, after the first ``skip``, of different cadres
    sharing no cadre with the findings other web tests review (a signed meeting changes
    the findings it covers)."""
    from riskgraph.store import Finding

    with web.sessions() as s:
        reserved = {p for fid in (web.in_scope_finding, web.out_scope_finding)
                    for p in s.get(Finding, fid).subject_ids}
        out, used = [], set(reserved)
        for f in s.scalars(sa.select(Finding).order_by(Finding.id)):
            if f.data_status == "present" and not set(f.subject_ids) & used:
                out.append((f.id, f.subject_ids[0]))
                used |= set(f.subject_ids)
        assert len(out) >= skip + n, "tiny data should have enough findings"
        return out[skip:skip + n]


def make_meeting(web, items, stage: str = "draft", sides=("officer", "insp"),
                 title: str = "测试会商") -> int:
    """A meeting with ``items`` [(kind, ref)], taken to ``stage``: draft, circulated,
    held (both opinions), decided, or signed (locked)."""
    from riskgraph import meeting_signoff, meetings
    from riskgraph.store import User, session_scope

    with session_scope(web.sessions) as s:
        u = {name: s.get(User, uid) for name, uid in web.users.items()}
        m = meetings.create_meeting(s, u["secretary"], title=title, date=date(2025, 12, 20),
                                    participants=[{"user_id": u[n].id} for n in sides])
        for kind, ref in items:
            meetings.add_item(s, u["secretary"], m.id, kind, ref)
        if stage != "draft":
            meetings.circulate(s, u["secretary"], m.id)
        if stage in ("held", "decided", "signed"):
            for item in m.items:
                meetings.record_opinion(s, u[sides[0]], item.id, "组织部门意见")
                meetings.record_opinion(s, u[sides[1]], item.id, "纪检监察意见")
        if stage in ("decided", "signed"):
            for item in m.items:
                meetings.record_decision(s, u["secretary"], item.id, "hold", "县纪委", None)
        if stage == "signed":
            meeting_signoff.sign(s, u[sides[0]], m.id)
            meeting_signoff.sign(s, u[sides[1]], m.id)
        return m.id
