"""Review actions on a finding, each recorded as an append-only `FindingEvent`.

Optimistic concurrency: every state-changing action names the ``version`` the reviewer
saw. If the finding changed since, `Conflict` is raised and nothing is written, so two
reviewers acting at once never overwrite each other (the second is told to reload).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from riskgraph.store import Finding, FindingEvent, User, utcnow
from riskgraph.store.vocab import Handling, ReviewStatus

ACTIONS = ("assign", "comment", "confirm", "dismiss", "clear", "escalate", "accept")
HANDLING_ZH = {Handling.TALK_INQUIRY: "谈话函询", Handling.PRELIMINARY_VERIFICATION: "初步核实",
               Handling.HOLD: "暂存待查", Handling.CLOSE: "予以了结"}


class ReviewError(ValueError):
    """An action that cannot be done as asked (message in Chinese)."""


class Conflict(ReviewError):
    """Someone else changed the finding since the reviewer loaded it."""


def act(session: Session, finding: Finding, user: User, action: str, version: int | None,
        comment: str = "", assignee: User | None = None, handling: str = "",
        until: date | None = None, today: date | None = None) -> FindingEvent:
    """Apply one review action; flushes so a concurrent change raises `Conflict`."""
    with session.no_autoflush:    # the one flush below is where a conflict shows
        event = _apply(finding, user, action, version, comment, assignee, handling, until, today)
        finding.events.append(event)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict("该线索已被他人修改，请刷新页面后重新操作（未保存任何更改）") from None
    return event


def _apply(finding: Finding, user: User, action: str, version: int | None, comment: str,
           assignee: User | None, handling: str, until: date | None,
           today: date | None) -> FindingEvent:
    if action not in ACTIONS:
        raise ReviewError("未知的审核操作")
    comment = (comment or "").strip()
    if action != "comment" and version != finding.version:
        raise Conflict("该线索已被他人修改，请刷新页面后重新操作（未保存任何更改）")
    before = finding.review_status
    event = FindingEvent(user_id=user.id, action=action, from_status=before, comment=comment or None)
    if action == "comment":
        if not comment:
            raise ReviewError("请填写意见内容")
    elif action == "assign":
        if assignee is None or not assignee.active:
            raise ReviewError("请选择有效的承办人")
        finding.assignee_id = assignee.id
        if before == ReviewStatus.NEW:
            finding.review_status = ReviewStatus.ASSIGNED
        event.data = {"assignee_id": assignee.id, "assignee": assignee.display_name}
    elif action == "confirm":
        finding.review_status = ReviewStatus.CONFIRMED
    elif action in ("dismiss", "clear"):
        if not comment:
            raise ReviewError("排除或澄清必须填写理由")
        finding.review_status = ReviewStatus.DISMISSED if action == "dismiss" else ReviewStatus.CLEARED
    elif action == "escalate":
        try:
            finding.handling = Handling(handling)
        except ValueError:
            raise ReviewError("请选择四种处置方式之一") from None
        finding.review_status = ReviewStatus.ESCALATED
        event.data = {"handling": handling}
    elif action == "accept":
        if until is None or until <= (today or date.today()):
            raise ReviewError("接受风险须指定今后的截止日期")
        if not comment:
            raise ReviewError("接受风险必须填写理由")
        finding.accepted_until = until
        finding.review_status = ReviewStatus.ACCEPTED_RISK
        event.data = {"accepted_until": until.isoformat()}
    event.to_status = finding.review_status
    if action != "comment":
        finding.updated_at = utcnow()   # always an UPDATE, so the version check runs
    return event
