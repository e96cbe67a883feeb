"""What the consultation-meeting pages need beyond the workflow services
(``riskgraph.meetings`` / ``riskgraph.meeting_signoff``): which meetings and agenda items
a user may see, the scope check those services take, the candidates the agenda picker
offers, and each item as the page shows it.

Visibility: secretaries and admins see every meeting, the two sides the meetings they
attend (as ``list_meetings``). Within a meeting each item is checked against the
viewer's data scope (`riskgraph.access.Scope`): an item outside it shows no content,
takes no opinion and blocks the dossier export for that viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.access import Scope
from riskgraph.authz import ScopeCheck
from riskgraph.meetings import KIND_ZH, meeting_rules, side_of_role
from riskgraph.services import findings as finding_service
from riskgraph.services import links as link_service
from riskgraph.store import (
    Finding,
    FindingSubject,
    Investigation,
    Meeting,
    MeetingItem,
    MeetingParticipant,
    User,
)
from riskgraph.store.vocab import DataStatus, MeetingItemKind, Role

MAX_CANDIDATES = 20
MAX_CADRE_FINDINGS = 5


def finding_visible(scope: Scope, finding: Finding) -> bool:
    """The object form of `riskgraph.services.findings.in_scope`."""
    if scope.everything:
        return True
    if set(finding.subject_ids) & scope.cadre_ids:
        return True
    return scope.by_org and bool(set(finding.org_ids) & scope.org_ids)


def scope_check(session: Session, scope: Scope) -> ScopeCheck:
    """The ``can_see`` the workflow services take, for ``scope``. An investigation is
    visible to its owner and, when attached to a finding, to whoever sees the finding."""

    def can_see(user: Any, kind: str, obj: Any) -> bool:
        if kind == "finding":
            return finding_visible(scope, obj)
        if kind == "cadre":
            return scope.has_cadre(str(obj))
        if kind == "investigation":
            if obj.owner_id == getattr(user, "id", None):
                return True
            found = session.get(Finding, obj.finding_id) if obj.finding_id else None
            return found is not None and finding_visible(scope, found)
        return False

    return can_see


def ref_visible(session: Session, user: User, can_see: ScopeCheck, kind: str, ref: str) -> bool:
    """Whether the finding / cadre / investigation ``ref`` exists within the scope."""
    if kind == MeetingItemKind.CADRE:
        return bool(ref) and can_see(user, "cadre", ref)
    if not ref.isdigit():
        return False
    model = Finding if kind == MeetingItemKind.FINDING else Investigation
    obj = session.get(model, int(ref))
    return obj is not None and can_see(user, str(kind), obj)


def visible_meeting(session: Session, user: User, meeting_id: int) -> Meeting | None:
    """The meeting if ``user`` may open it, else None (the page answers 404)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return None
    if user.role in (Role.MEETING_SECRETARY, Role.ADMIN):
        return meeting
    if any(p.user_id == user.id for p in meeting.participants):
        return meeting
    return None


def item_of(meeting: Meeting, item_id: int) -> MeetingItem | None:
    return next((i for i in meeting.items if i.id == item_id), None)


def participant_choices(session: Session) -> dict[str, list[User]]:
    """Active accounts that can attend, per side (``organisation`` / ``discipline``)."""
    out: dict[str, list[User]] = {side: [] for side in meeting_rules()["sides"]}
    for user in session.scalars(sa.select(User).where(User.active.is_(True))
                                .order_by(User.display_name, User.id)):
        side = side_of_role(user.role)
        if side is not None:
            out[side].append(user)
    return out


@dataclass
class ItemView:
    """One agenda item as the meeting page shows it."""

    item: MeetingItem
    kind_zh: str
    visible: bool
    title: str = ""
    findings: list[Finding] = field(default_factory=list)
    graph: dict | None = None          # evidence (finding, cadre) or saved graph (investigation)
    investigation: Investigation | None = None


def item_view(session: Session, scope: Scope, user: User, item: MeetingItem) -> ItemView:
    can_see = scope_check(session, scope)
    view = ItemView(item, KIND_ZH[item.kind], visible=False)
    if item.kind == MeetingItemKind.FINDING:
        f = session.get(Finding, int(item.ref_id))
        if f is not None and can_see(user, "finding", f):
            view.visible, view.title, view.findings = True, f.title, [f]
            view.graph = f.evidence or {}
    elif item.kind == MeetingItemKind.INVESTIGATION:
        inv = session.get(Investigation, int(item.ref_id))
        if inv is not None and can_see(user, "investigation", inv):
            view.visible, view.title, view.investigation = True, inv.title, inv
            view.graph = inv.graph or {}
            f = session.get(Finding, inv.finding_id) if inv.finding_id else None
            view.findings = [f] if f is not None and finding_visible(scope, f) else []
    elif can_see(user, "cadre", item.ref_id):
        view.visible = True
        view.findings = cadre_findings(session, item.ref_id)
        name = next((e.get("name") for f in view.findings for e in f.entities
                     if e.get("id") == item.ref_id and e.get("name")), None)
        view.title = f"干部 {name or ''}（{item.ref_id}）"
        view.graph = view.findings[0].evidence if view.findings else None
    return view


def cadre_findings(session: Session, person_id: str) -> list[Finding]:
    """A cadre's findings still present in the data (the first few)."""
    return list(session.scalars(
        sa.select(Finding).join(FindingSubject)
        .where(FindingSubject.person_id == person_id, Finding.data_status == DataStatus.PRESENT)
        .order_by(Finding.id).limit(MAX_CADRE_FINDINGS)))


def agenda(session: Session, scope: Scope, user: User, meeting: Meeting) -> list[ItemView]:
    return [item_view(session, scope, user, item) for item in meeting.items]


def candidates(session: Session, links, scope: Scope, user: User, kind: str,
               q: str) -> list[dict[str, str]]:
    """What the agenda picker offers: in-scope findings (id, title or cadre id), cadres
    (name or id, from the graph) or investigations (own, or attached to an in-scope
    finding), as ``{"ref": ..., "label": ..., "detail": ...}``."""
    q = (q or "").strip()[:100]
    if kind == MeetingItemKind.FINDING:
        stmt = (sa.select(Finding).where(finding_service.in_scope(scope),
                                         Finding.data_status == DataStatus.PRESENT)
                .order_by(Finding.id.desc()).limit(MAX_CANDIDATES))
        if q:
            by_subject = Finding.id.in_(sa.select(FindingSubject.finding_id)
                                        .where(FindingSubject.person_id == q))
            conds = [Finding.title.contains(q, autoescape=True), by_subject]
            if q.isdigit():
                conds.append(Finding.id == int(q))
            stmt = stmt.where(sa.or_(*conds))
        return [{"ref": str(f.id), "label": f"#{f.id} {f.title}",
                 "detail": f"{f.detector} · {f.review_status}"} for f in session.scalars(stmt)]
    if kind == MeetingItemKind.CADRE:
        return [{"ref": r["id"], "label": r["name"], "detail": r["id"]}
                for r in link_service.search(links, scope, q, limit=MAX_CANDIDATES)
                if r["label"] == "Cadre" and scope.has_cadre(r["id"])]
    if kind == MeetingItemKind.INVESTIGATION:
        can_see = scope_check(session, scope)
        stmt = sa.select(Investigation).order_by(Investigation.id.desc())
        if q:
            stmt = stmt.where(Investigation.title.contains(q, autoescape=True))
        attached = sa.select(Investigation.id).where(Investigation.finding_id.is_not(None))
        stmt = stmt.where(sa.or_(Investigation.owner_id == user.id, Investigation.id.in_(attached)))
        found = [inv for inv in session.scalars(stmt.limit(200)) if can_see(user, "investigation", inv)]
        return [{"ref": str(inv.id), "label": inv.title,
                 "detail": f"关联线索 #{inv.finding_id}" if inv.finding_id else "未关联线索"}
                for inv in found[:MAX_CANDIDATES]]
    return []


def attends(meeting: Meeting, user: User) -> str | None:
    """The side ``user`` attends ``meeting`` for (``None``: not a participant)."""
    side = side_of_role(user.role)
    if side and any(p.user_id == user.id and p.side == side for p in meeting.participants):
        return side
    return None


def participants_by_side(meeting: Meeting) -> dict[str, list[MeetingParticipant]]:
    out: dict[str, list[MeetingParticipant]] = {}
    for p in meeting.participants:
        out.setdefault(p.side or "", []).append(p)
    return out


@dataclass
class PageState:
    """Which forms the meeting page offers ``user`` (the services decide again)."""

    side: str | None            # the side the user attends for
    agenda: bool                # add / remove items (secretary, before anyone signs)
    circulate: bool
    opinion: bool               # record their side's opinion
    decide: bool
    sign: bool
    withdraw: bool
    entry: bool                 # later entries (after the lock)
    one_signed: bool


def page_state(meeting: Meeting, user: User) -> PageState:
    from riskgraph.store.vocab import MeetingStatus

    side = attends(meeting, user)
    secretary = user.role == Role.MEETING_SECRETARY
    signed = {"organisation": meeting.org_signed_by, "discipline": meeting.discipline_signed_by}
    one_signed = not meeting.locked and any(signed.values())
    open_ = not meeting.locked and not one_signed
    early = meeting.status in (MeetingStatus.DRAFT, MeetingStatus.CIRCULATED)
    return PageState(
        side=side,
        agenda=secretary and open_ and early,
        circulate=secretary and meeting.status == MeetingStatus.DRAFT,
        opinion=bool(side) and open_ and meeting.status in (MeetingStatus.CIRCULATED,
                                                            MeetingStatus.HELD),
        decide=secretary and open_ and meeting.status == MeetingStatus.HELD,
        sign=bool(side) and not meeting.locked and meeting.status == MeetingStatus.HELD
        and not signed[side] and all(i.decision for i in meeting.items),
        withdraw=bool(side) and not meeting.locked and bool(signed.get(side or "")),
        entry=meeting.locked and (secretary or bool(side)),
        one_signed=one_signed,
    )
