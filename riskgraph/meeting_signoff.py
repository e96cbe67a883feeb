"""Signing the minutes of a consultation meeting, the lock, later entries, and how the
decisions flow back to the findings.

- ``sign``: a participant of one side signs for that side once every item has a
  decision. When both sides have signed the minutes are ``locked`` (status ``signed``)
  and the decisions take effect on the findings (``apply_decision``).
- ``withdraw_signature``: before the lock, the signer's side takes its signature back
  (the only way to edit minutes that one side has signed).
- ``add_entry``: after the lock nothing is edited; corrections and follow-up notes are
  new ``MeetingEntry`` rows (append-only). An entry may change an item's decision:
  that takes effect on the findings too, and the entry records it.

A decision changes a finding through the ORM (so ``Finding.version`` guards against a
concurrent reviewer) and adds a ``FindingEvent`` (action ``meeting_decision``) whose
``data`` names the meeting, the item and the entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.authz import (
    NotFound,
    PermissionDenied,
    ServiceError,
    audit,
    check_version,
    get_or_404,
    require_role,
)
from riskgraph.meetings import (
    DISCIPLINE,
    ORGANISATION,
    decisions,
    meeting_rules,
    participant_side,
    side_zh,
)
from riskgraph.store import (
    Finding,
    FindingEvent,
    FindingSubject,
    Investigation,
    Meeting,
    MeetingEntry,
    MeetingItem,
    MeetingParticipant,
    User,
    utcnow,
)
from riskgraph.store.vocab import (
    DataStatus,
    Handling,
    MeetingItemKind,
    MeetingStatus,
    ReviewStatus,
    Role,
)

VIEW_ROLES = (Role.MEETING_SECRETARY, Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN)


def open_meeting(session: Session, user: User, meeting_id: int) -> Meeting:
    """The meeting, for reading; the view is audited (``ip``: the client's address)."""
    require_role(user, *VIEW_ROLES)
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    audit(session, user, "view", "meeting", meeting.id)
    return meeting


def list_meetings(session: Session, user: User) -> list[Meeting]:
    """Meetings newest first: all of them for secretaries and admins, the ones a user
    attends for the two sides."""
    require_role(user, *VIEW_ROLES)
    query = sa.select(Meeting).order_by(Meeting.date.desc(), Meeting.id.desc())
    if user.role in (Role.ORG_OFFICER, Role.INSPECTOR):
        query = query.where(Meeting.id.in_(
            sa.select(MeetingParticipant.meeting_id).where(MeetingParticipant.user_id == user.id)))
    return list(session.scalars(query))


def awaiting(session: Session, user: User) -> list[Meeting]:
    """Meetings waiting for this user: for a secretary, unsigned ones they created; for
    a participant, circulated or held ones their side has not signed."""
    if user.role == Role.MEETING_SECRETARY:
        return [m for m in list_meetings(session, user)
                if m.created_by == user.id and not m.locked]
    if user.role not in (Role.ORG_OFFICER, Role.INSPECTOR):
        return []
    signed = "org_signed_by" if user.role == Role.ORG_OFFICER else "discipline_signed_by"
    return [m for m in list_meetings(session, user)
            if m.status in (MeetingStatus.CIRCULATED, MeetingStatus.HELD)
            and getattr(m, signed) is None]


def sign(session: Session, user: User, meeting_id: int, version: int | None = None) -> Meeting:
    require_role(user, Role.ORG_OFFICER, Role.INSPECTOR)
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    check_version(meeting, version)
    if meeting.locked:
        raise ServiceError("会商纪要已经双方签字锁定")
    side = participant_side(meeting, user)
    if meeting.status != MeetingStatus.HELD:
        raise ServiceError("会议尚未召开（未记录意见），不能签字")
    undecided = [i.position for i in meeting.items if not i.decision]
    if undecided:
        raise ServiceError(f"议题 {'、'.join(map(str, undecided))} 尚未作出决定，不能签字")
    now = utcnow()
    if side == ORGANISATION:
        if meeting.org_signed_by:
            raise ServiceError("组织部门一方已签字")
        meeting.org_signed_by, meeting.org_signed_at = user.id, now
    else:
        if meeting.discipline_signed_by:
            raise ServiceError("纪检监察机关一方已签字")
        meeting.discipline_signed_by, meeting.discipline_signed_at = user.id, now
    audit(session, user, "meeting_sign", "meeting", meeting.id, {"side": side})
    if meeting.org_signed_by and meeting.discipline_signed_by:
        meeting.locked = True
        meeting.status = MeetingStatus.SIGNED
        session.flush()
        changed = [f.id for item in meeting.items
                   for f in apply_decision(session, user, item, item.decision)]
        audit(session, user, "meeting_lock", "meeting", meeting.id, {"findings": changed})
    return meeting


def withdraw_signature(session: Session, user: User, meeting_id: int) -> Meeting:
    require_role(user, Role.ORG_OFFICER, Role.INSPECTOR)
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    if meeting.locked:
        raise ServiceError("会商纪要已经双方签字锁定，签字不能撤回；如需更正请添加补充记录")
    side = participant_side(meeting, user)
    attr = "org_signed" if side == ORGANISATION else "discipline_signed"
    if getattr(meeting, f"{attr}_by") is None:
        raise ServiceError(f"{side_zh(side)}一方尚未签字")
    setattr(meeting, f"{attr}_by", None)
    setattr(meeting, f"{attr}_at", None)
    audit(session, user, "meeting_unsign", "meeting", meeting.id, {"side": side})
    return meeting


def add_entry(session: Session, user: User, meeting_id: int, text: str,
              item_id: int | None = None, decision: str | None = None,
              owner: str | None = None, due_date: dt.date | None = None) -> MeetingEntry:
    """A note or amendment to signed minutes (a visible, append-only entry)."""
    require_role(user, Role.MEETING_SECRETARY, Role.ORG_OFFICER, Role.INSPECTOR)
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    if not meeting.locked:
        raise ServiceError("纪要签字锁定前请直接修改议题，不需要补充记录")
    if user.role != Role.MEETING_SECRETARY:
        participant_side(meeting, user)
    if not text.strip():
        raise ServiceError("补充记录内容不能为空")
    item = None
    if item_id is not None:
        item = get_or_404(session, MeetingItem, item_id, "议题")
        if item.meeting_id != meeting.id:
            raise NotFound(f"议题 {item_id} 不属于会议 {meeting.id}")
    if decision is not None:
        if item is None:
            raise ServiceError("变更处置决定须指定议题")
        if user.role != Role.MEETING_SECRETARY:
            raise PermissionDenied("处置决定的变更由会商秘书记录")
        if decision not in decisions():
            raise ServiceError(f"未知的处置决定 {decision!r}")
    data = {k: v for k, v in {"decision": decision, "owner": owner,
                              "due_date": due_date.isoformat() if due_date else None}.items()
            if v is not None}
    entry = MeetingEntry(meeting_id=meeting.id, item_id=item_id, user_id=user.id,
                         text=text.strip(), data=data or None)
    session.add(entry)
    session.flush()
    changed = []
    if decision is not None:
        changed = [f.id for f in apply_decision(session, user, item, decision, entry_id=entry.id)]
    audit(session, user, "meeting_entry", "meeting", meeting.id,
          {"entry_id": entry.id, "item_id": item_id, **data, "findings": changed})
    return entry


def current_decision(meeting: Meeting, item: MeetingItem) -> dict[str, Any]:
    """The item's decision as it stands: the signed one, overridden by later entries."""
    out = {"decision": item.decision, "owner": item.owner,
           "due_date": item.due_date.isoformat() if item.due_date else None, "entry_id": None}
    for entry in meeting.entries:
        if entry.item_id == item.id and entry.data:
            out.update({k: v for k, v in entry.data.items() if k in out})
            if "decision" in entry.data:
                out["entry_id"] = entry.id
    return out


def covered_findings(session: Session, item: MeetingItem) -> list[Finding]:
    """The findings an item's decision applies to (see config/meetings.yaml)."""
    if item.kind == MeetingItemKind.FINDING:
        return [f for f in [session.get(Finding, int(item.ref_id))] if f is not None]
    if item.kind == MeetingItemKind.INVESTIGATION:
        inv = session.get(Investigation, int(item.ref_id))
        f = session.get(Finding, inv.finding_id) if inv and inv.finding_id else None
        return [f] if f is not None else []
    states = [ReviewStatus(s) for s in meeting_rules()["cadre_items_cover"]]
    return list(session.scalars(
        sa.select(Finding).join(FindingSubject)
        .where(FindingSubject.person_id == item.ref_id, Finding.review_status.in_(states),
               Finding.data_status == DataStatus.PRESENT).order_by(Finding.id)))


def apply_decision(session: Session, user: User, item: MeetingItem, decision: str,
                   entry_id: int | None = None) -> list[Finding]:
    """Set review status / handling of the item's findings and write their history."""
    rule = meeting_rules()["decisions"][decision]
    changed = []
    for finding in covered_findings(session, item):
        before = finding.review_status
        if rule["review_status"]:
            finding.review_status = ReviewStatus(rule["review_status"])
        if rule["handling"]:
            finding.handling = Handling(rule["handling"])
        finding.events.append(FindingEvent(
            user_id=user.id, action="meeting_decision", from_status=str(before),
            to_status=str(finding.review_status),
            comment=f"会商决定：{rule['zh']}（会议 {item.meeting_id}，议题 {item.position}）",
            data={"meeting_id": item.meeting_id, "item_id": item.id, "entry_id": entry_id,
                  "decision": decision, "owner": item.owner}))
        changed.append(finding)
    session.flush()
    return changed


__all__ = ["DISCIPLINE", "ORGANISATION", "add_entry", "apply_decision", "awaiting",
           "covered_findings",
           "current_decision", "list_meetings", "open_meeting", "sign", "withdraw_signature"]
