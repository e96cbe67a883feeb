"""Joint organisation–discipline consultation meetings (会商): drafting and holding.

The life of a meeting (``MeetingStatus``)::

    draft --circulate--> circulated --first opinion--> held --both sign--> signed (locked)

- ``create_meeting``: a meeting secretary sets date, title and participants (accounts
  with the organisation-officer or inspector role, or named people without an account);
  both sides must be represented.
- ``add_item`` / ``remove_item``: agenda items from findings, cadres or saved
  investigations, while the meeting is a draft or circulated.
- ``record_opinion``: a participant of one side records that side's opinion on an item.
- ``record_decision``: the secretary records the decision (``DECISIONS``), who follows it
  up and by when, once both sides have given their opinion.
- Signing, the lock and later entries: ``riskgraph.meeting_signoff``.

Every function takes the acting user, checks the role, writes an audit entry in the
caller's session and leaves the commit to the caller. ``version`` arguments, when given,
must equal the record's version as the user saw it (optimistic locking for forms).
``can_see`` is the caller's scope check (see ``riskgraph.authz``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml
from sqlalchemy.orm import Session

from riskgraph.authz import (
    Locked,
    PermissionDenied,
    ScopeCheck,
    ServiceError,
    audit,
    check_version,
    get_or_404,
    require_role,
    require_visible,
)
from riskgraph.resources import resource_dir
from riskgraph.store import (
    Finding,
    Investigation,
    Meeting,
    MeetingItem,
    MeetingParticipant,
    User,
)
from riskgraph.store.vocab import MeetingItemKind, MeetingStatus, Role

ORGANISATION, DISCIPLINE = "organisation", "discipline"
KIND_ZH = {MeetingItemKind.FINDING: "问题线索", MeetingItemKind.CADRE: "干部",
           MeetingItemKind.INVESTIGATION: "关联分析"}
STATUS_ZH = {MeetingStatus.DRAFT: "草稿", MeetingStatus.CIRCULATED: "已分发",
             MeetingStatus.HELD: "已召开", MeetingStatus.SIGNED: "已签字"}


@cache
def meeting_rules() -> dict[str, Any]:
    """config/meetings.yaml: decisions, what they do to findings, the two sides."""
    with open(resource_dir("config") / "meetings.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def decisions() -> dict[str, str]:
    """Decision code → Chinese name, in the order of the config.

    >>> decisions()["clear"]
    '澄清正名'
    """
    return {code: d["zh"] for code, d in meeting_rules()["decisions"].items()}


def side_of_role(role: Role) -> str | None:
    """The meeting side a role sits on (``None``: neither side).

    >>> side_of_role(Role.ORG_OFFICER), side_of_role(Role.MEETING_SECRETARY)
    ('organisation', None)
    """
    for side, spec in meeting_rules()["sides"].items():
        if spec["role"] == role:
            return side
    return None


def side_zh(side: str) -> str:
    return meeting_rules()["sides"][side]["zh"]


@dataclass
class Participant:
    """One attendee: an account (``user_id``; side follows the role) or a named person
    without one (``name``, ``unit`` and ``side`` required)."""

    user_id: int | None = None
    name: str | None = None
    unit: str | None = None
    side: str | None = None


def editable(meeting: Meeting) -> None:
    """Refuse changes to signed minutes (and to minutes one side has already signed)."""
    if meeting.locked:
        raise Locked(f"会商纪要（会议 {meeting.id}）已经双方签字锁定，不能修改；"
                     "如需更正或补充，请添加补充记录")
    if meeting.org_signed_by or meeting.discipline_signed_by:
        raise Locked(f"会议 {meeting.id} 的纪要已有一方签字，修改前须先撤回签字")


def _participant(session: Session, spec: Participant | dict) -> MeetingParticipant:
    spec = Participant(**spec) if isinstance(spec, dict) else spec
    if spec.user_id is not None:
        user = get_or_404(session, User, spec.user_id, "用户")
        side = side_of_role(user.role)
        if side is None or not user.active:
            raise ServiceError(f"参会人员 {user.display_name} 须为在用的组织部门或纪检监察账户")
        return MeetingParticipant(user_id=user.id, name=user.display_name,
                                  unit=spec.unit or side_zh(side), side=side)
    if not spec.name or spec.side not in meeting_rules()["sides"]:
        raise ServiceError("无账户的参会人员须填写姓名和所属方（组织部门或纪检监察机关）")
    return MeetingParticipant(name=spec.name, unit=spec.unit or side_zh(spec.side), side=spec.side)


def create_meeting(session: Session, user: User, *, title: str, date: dt.date,
                   participants: list[Participant | dict]) -> Meeting:
    require_role(user, Role.MEETING_SECRETARY)
    if not title.strip():
        raise ServiceError("会议名称不能为空")
    people = [_participant(session, p) for p in participants]
    accounts = [p.user_id for p in people if p.user_id is not None]
    if len(accounts) != len(set(accounts)):
        raise ServiceError("同一账户不能重复列为参会人员")
    sides = {p.side for p in people if p.user_id is not None}
    if sides != set(meeting_rules()["sides"]):
        raise ServiceError("参会人员须包括组织部门和纪检监察机关双方的账户（双方须签字）")
    meeting = Meeting(title=title.strip(), date=date, created_by=user.id, participants=people)
    session.add(meeting)
    session.flush()
    audit(session, user, "meeting_create", "meeting", meeting.id,
          {"title": meeting.title, "date": date.isoformat(),
           "participants": [p.name for p in people]})
    return meeting


def add_item(session: Session, user: User, meeting_id: int, kind: MeetingItemKind | str,
             ref_id: str | int, can_see: ScopeCheck | None = None,
             version: int | None = None) -> MeetingItem:
    """Put a finding (``ref_id`` its id), a cadre (person id) or a saved investigation
    (its id) on the agenda of a draft or circulated meeting."""
    require_role(user, Role.MEETING_SECRETARY)
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    check_version(meeting, version)
    editable(meeting)
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.CIRCULATED):
        raise ServiceError("会议已召开，不能再增加议题")
    kind = MeetingItemKind(kind)
    ref = str(ref_id).strip()
    if kind == MeetingItemKind.FINDING:
        obj = get_or_404(session, Finding, _int(ref), "问题线索")
        require_visible(user, can_see, "finding", obj, f"问题线索 {ref}")
    elif kind == MeetingItemKind.INVESTIGATION:
        obj = get_or_404(session, Investigation, _int(ref), "关联分析")
        require_visible(user, can_see, "investigation", obj, f"关联分析 {ref}")
    else:
        if not ref:
            raise ServiceError("干部身份证号不能为空")
        require_visible(user, can_see, "cadre", ref, f"干部 {ref}")
    if any(i.kind == kind and i.ref_id == ref for i in meeting.items):
        raise ServiceError(f"该{KIND_ZH[kind]}已在议程中")
    item = MeetingItem(kind=kind, ref_id=ref,
                       position=max((i.position for i in meeting.items), default=0) + 1)
    meeting.items.append(item)
    session.flush()
    audit(session, user, "meeting_add_item", "meeting", meeting.id,
          {"item_id": item.id, "kind": str(kind), "ref_id": ref})
    return item


def _int(ref: str) -> int:
    try:
        return int(ref)
    except ValueError:
        raise ServiceError(f"编号 {ref!r} 不是数字") from None


def remove_item(session: Session, user: User, item_id: int) -> None:
    require_role(user, Role.MEETING_SECRETARY)
    item = get_or_404(session, MeetingItem, item_id, "议题")
    meeting = item.meeting
    editable(meeting)
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.CIRCULATED):
        raise ServiceError("会议已召开，不能再删除议题")
    meeting.items.remove(item)
    audit(session, user, "meeting_remove_item", "meeting", meeting.id,
          {"item_id": item_id, "kind": str(item.kind), "ref_id": item.ref_id})


def circulate(session: Session, user: User, meeting_id: int, version: int | None = None) -> Meeting:
    """Send the agenda to the participants (the web app's inbox shows circulated ones)."""
    require_role(user, Role.MEETING_SECRETARY)
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    check_version(meeting, version)
    if meeting.status != MeetingStatus.DRAFT:
        raise ServiceError(f"会议状态为{STATUS_ZH[meeting.status]}，只有草稿可以分发")
    if not meeting.items:
        raise ServiceError("议程为空，不能分发")
    meeting.status = MeetingStatus.CIRCULATED
    audit(session, user, "meeting_circulate", "meeting", meeting.id,
          {"items": len(meeting.items)})
    return meeting


def participant_side(meeting: Meeting, user: User) -> str:
    """The side ``user`` represents at ``meeting``; refused unless they attend it with a
    role of that side."""
    side = side_of_role(user.role)
    if side is None:
        raise PermissionDenied("只有组织部门或纪检监察人员可以代表一方发表意见或签字")
    if not any(p.user_id == user.id and p.side == side for p in meeting.participants):
        raise PermissionDenied(f"{user.display_name} 不是本次会议{side_zh(side)}一方的参会人员")
    return side


def record_opinion(session: Session, user: User, item_id: int, text: str,
                   version: int | None = None) -> MeetingItem:
    """Record the opinion of the user's side (by their role) on one agenda item."""
    require_role(user, Role.ORG_OFFICER, Role.INSPECTOR)
    item = get_or_404(session, MeetingItem, item_id, "议题")
    meeting = item.meeting
    check_version(item, version)
    editable(meeting)
    if meeting.status not in (MeetingStatus.CIRCULATED, MeetingStatus.HELD):
        raise ServiceError("议程分发后才能发表意见")
    side = participant_side(meeting, user)
    if not text.strip():
        raise ServiceError("意见不能为空")
    if side == ORGANISATION:
        item.org_opinion = text.strip()
    else:
        item.discipline_opinion = text.strip()
    meeting.status = MeetingStatus.HELD
    audit(session, user, "meeting_opinion", "meeting", meeting.id,
          {"item_id": item.id, "side": side, "text": text.strip()})
    return item


def record_decision(session: Session, user: User, item_id: int, decision: str,
                    owner: str, due_date: dt.date | None, version: int | None = None) -> MeetingItem:
    """Record the meeting's decision on an item (a code of ``decisions()``)."""
    require_role(user, Role.MEETING_SECRETARY)
    item = get_or_404(session, MeetingItem, item_id, "议题")
    meeting = item.meeting
    check_version(item, version)
    editable(meeting)
    if decision not in decisions():
        raise ServiceError(f"未知的处置决定 {decision!r}；可选：{'、'.join(decisions().values())}")
    if not (item.org_opinion and item.discipline_opinion):
        raise ServiceError("须先记录组织部门和纪检监察机关双方意见，再作决定")
    if not owner.strip():
        raise ServiceError("须指定承办人（单位）")
    item.decision, item.owner, item.due_date = decision, owner.strip(), due_date
    audit(session, user, "meeting_decision", "meeting", meeting.id,
          {"item_id": item.id, "decision": decision, "owner": item.owner,
           "due_date": due_date.isoformat() if due_date else None})
    return item
