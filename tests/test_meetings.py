"""A whole consultation meeting through the services, on findings a real detector run
made on the embedded database: roles on every step, the lock after both signatures,
decisions flowing back to the findings, and later entries."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from workflowkit import (
    CITY,
    HOME,
    county_graph,
    discuss,
    draft_meeting,
    make_users,
    region_findings,
)

from riskgraph import meeting_signoff as signoff
from riskgraph import meetings
from riskgraph.authz import Locked, NotFound, PermissionDenied, ServiceError
from riskgraph.store import AuditEntry, Finding, FindingEvent, Meeting, session_scope
from riskgraph.store.vocab import Handling, MeetingStatus, ReviewStatus

pytestmark = pytest.mark.integration


@pytest.fixture
def world(graph, store, settings):
    county_graph(graph)
    users = make_users(store)
    return users, region_findings(graph, store, settings)


def test_a_whole_meeting(world, store):
    users, findings = world
    with session_scope(store) as s:
        mid = draft_meeting(s, users, findings).id
        meeting = meetings.circulate(s, users["sec"], mid)
        assert meeting.status == MeetingStatus.CIRCULATED
        first, second = meeting.items
        discuss(s, users, first.id, second.id)
        signoff.sign(s, users["org"], mid)
        assert not s.get(Meeting, mid).locked
        signoff.sign(s, users["insp"], mid)
    with session_scope(store) as s:
        meeting = s.get(Meeting, mid)
        assert meeting.locked and meeting.status == MeetingStatus.SIGNED
        home = s.get(Finding, findings[HOME])
        assert (home.review_status, home.handling) == (ReviewStatus.CONFIRMED, Handling.TALK_INQUIRY)
        assert home.version > 1                                     # an ORM update
        event = home.events[-1]
        assert event.action == "meeting_decision" and event.data["meeting_id"] == mid
        assert (event.from_status, event.to_status) == ("new", "confirmed")
        city = s.get(Finding, findings[CITY])                       # via the cadre item
        assert (city.review_status, city.handling) == (ReviewStatus.DISMISSED, Handling.CLOSE)
        actions = s.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "meeting", AuditEntry.object_id == str(mid))).all()
        assert actions.count("meeting_opinion") == 4 and "meeting_lock" in actions
        assert {"meeting_create", "meeting_add_item", "meeting_circulate", "meeting_decision",
                "meeting_sign"} <= set(actions)


def _agreed(s, users, findings) -> Meeting:
    """The meeting circulated, both sides agreeing on every item (no decisions yet)."""
    meeting = meetings.circulate(s, users["sec"], draft_meeting(s, users, findings).id)
    for item in meeting.items:
        meetings.record_opinion(s, users["org"], item.id, "同意")
        meetings.record_opinion(s, users["insp"], item.id, "同意")
    return meeting


def _signed(store, users, findings) -> int:
    with session_scope(store) as s:
        meeting = _agreed(s, users, findings)
        for item in meeting.items:
            meetings.record_decision(s, users["sec"], item.id, "hold", "县纪委", None)
        signoff.sign(s, users["org"], meeting.id)
        signoff.sign(s, users["insp"], meeting.id)
        return meeting.id


def test_locked_minutes_refuse_edits_and_take_entries(world, store):
    users, findings = world
    mid = _signed(store, users, findings)
    with session_scope(store) as s:
        item = s.get(Meeting, mid).items[0]
        with pytest.raises(Locked, match="已经双方签字锁定"):
            meetings.record_opinion(s, users["org"], item.id, "改一下")
        with pytest.raises(Locked):
            meetings.record_decision(s, users["sec"], item.id, "close", "某人", None)
        with pytest.raises(Locked):
            meetings.add_item(s, users["sec"], mid, "cadre", HOME)
        with pytest.raises(ServiceError, match="不能撤回"):
            signoff.withdraw_signature(s, users["org"], mid)
        with pytest.raises(PermissionDenied):
            signoff.add_entry(s, users["org"], mid, "改为了结", item.id, decision="close")
        entry = signoff.add_entry(s, users["sec"], mid, "经补充核实，改为予以了结", item.id,
                                  decision="clear", owner="县纪委办公室")
        assert signoff.current_decision(s.get(Meeting, mid), item)["decision"] == "clear"
        assert item.decision == "hold"                               # signed text unchanged
    with session_scope(store) as s:
        home = s.get(Finding, findings[HOME])
        assert home.review_status == ReviewStatus.CLEARED
        assert home.events[-1].data["entry_id"] == entry.id
        assert [e.text for e in s.get(Meeting, mid).entries] == ["经补充核实，改为予以了结"]


def test_one_signature_freezes_until_withdrawn(world, store):
    users, findings = world
    with session_scope(store) as s:
        meeting = _agreed(s, users, findings)
        mid = meeting.id
        with pytest.raises(ServiceError, match="尚未作出决定"):
            signoff.sign(s, users["org"], mid)
        for item in meeting.items:
            meetings.record_decision(s, users["sec"], item.id, "hold", "县纪委", None)
        signoff.sign(s, users["insp"], mid)
        with pytest.raises(Locked, match="已有一方签字"):
            meetings.record_decision(s, users["sec"], meeting.items[0].id, "close", "x", None)
        signoff.withdraw_signature(s, users["insp"], mid)
        meetings.record_decision(s, users["sec"], meeting.items[0].id, "close", "县纪委", None)
        assert s.get(Finding, findings[HOME]).review_status == ReviewStatus.NEW   # not yet signed


def test_roles_on_every_step(world, store):
    users, findings = world
    u = users
    with session_scope(store) as s:
        for who in ("org", "insp", "admin", "auditor"):
            with pytest.raises(PermissionDenied, match="会商秘书"):
                meetings.create_meeting(s, u[who], title="x", date=date(2025, 1, 1),
                                        participants=[{"user_id": u["org"].id},
                                                      {"user_id": u["insp"].id}])
        with pytest.raises(ServiceError, match="双方"):
            meetings.create_meeting(s, u["sec"], title="x", date=date(2025, 1, 1),
                                    participants=[{"user_id": u["org"].id}])
        with pytest.raises(ServiceError, match="组织部门或纪检监察"):
            meetings.create_meeting(s, u["sec"], title="x", date=date(2025, 1, 1),
                                    participants=[{"user_id": u["org"].id}, {"user_id": u["insp"].id},
                                                  {"user_id": u["admin"].id}])
        mid = draft_meeting(s, users, findings).id
        with pytest.raises(PermissionDenied):
            meetings.add_item(s, u["org"], mid, "finding", findings[CITY])
        with pytest.raises(NotFound):
            meetings.add_item(s, u["sec"], mid, "finding", 9999)
        with pytest.raises(PermissionDenied, match="数据范围"):
            meetings.add_item(s, u["sec"], mid, "finding", findings[CITY],
                              can_see=lambda user, kind, obj: False)
        item = s.get(Meeting, mid).items[0]
        with pytest.raises(ServiceError, match="分发后"):
            meetings.record_opinion(s, u["org"], item.id, "同意")
        with pytest.raises(PermissionDenied):
            meetings.circulate(s, u["insp"], mid)
        meetings.circulate(s, u["sec"], mid)
        with pytest.raises(PermissionDenied):
            meetings.record_opinion(s, u["sec"], item.id, "同意")
        with pytest.raises(PermissionDenied, match="不是本次会议"):
            meetings.record_opinion(s, u["org2"], item.id, "同意")   # not a participant
        meetings.record_opinion(s, u["org"], item.id, "同意")
        with pytest.raises(ServiceError, match="双方意见"):
            meetings.record_decision(s, u["sec"], item.id, "close", "县纪委", None)
        meetings.record_opinion(s, u["insp"], item.id, "同意")
        with pytest.raises(PermissionDenied):
            meetings.record_decision(s, u["insp"], item.id, "close", "县纪委", None)
        with pytest.raises(ServiceError, match="未知的处置决定"):
            meetings.record_decision(s, u["sec"], item.id, "shoot", "县纪委", None)
        s.flush()                                   # the opinions made version 2
        with pytest.raises(ServiceError, match="已被他人修改"):
            meetings.record_decision(s, u["sec"], item.id, "close", "县纪委", None, version=1)
        with pytest.raises(PermissionDenied):
            signoff.sign(s, u["sec"], mid)
        with pytest.raises(PermissionDenied):
            signoff.sign(s, u["insp2"], mid)
        with pytest.raises(PermissionDenied):
            signoff.open_meeting(s, u["auditor"], mid)
        assert [m.id for m in signoff.list_meetings(s, u["org"])] == [mid]
        assert signoff.list_meetings(s, u["org2"]) == []
        assert [m.id for m in signoff.awaiting(s, u["insp"])] == [mid]
        assert [m.id for m in signoff.awaiting(s, u["sec"])] == [mid]
        assert signoff.awaiting(s, u["insp2"]) == []
    with session_scope(store) as s:                 # nothing refused left a trace
        assert s.scalar(sa.select(sa.func.count()).select_from(FindingEvent)
                        .where(FindingEvent.action == "meeting_decision")) == 0
