"""Finding lists and single findings, always within a user's `Scope`.

A finding is in scope when one of its organisations (``finding_orgs``) or one of its
cadres (``finding_subjects``) is. Out-of-scope findings are neither listed, counted nor
returned (`get` answers None, which views turn into 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.access import Scope
from riskgraph.services.levels import cadres_of_colour
from riskgraph.services.lists import on_days, paged
from riskgraph.store import Finding, FindingOrg, FindingSubject
from riskgraph.store.vocab import ReviewStatus

# Sort keys a request may ask for (allow-list: never a column name from input).
SORTS = {
    "newest": (Finding.created_at.desc(), Finding.id.desc()),
    "oldest": (Finding.created_at.asc(), Finding.id.asc()),
    "severity": (sa.case({"high": 0, "medium": 1, "low": 2}, value=Finding.severity),
                 Finding.created_at.desc()),
    "detector": (Finding.detector, Finding.id.desc()),
    "updated": (Finding.updated_at.desc(), Finding.id.desc()),
}
OPEN_STATUSES = (ReviewStatus.NEW, ReviewStatus.ASSIGNED, ReviewStatus.CONFIRMED,
                 ReviewStatus.ESCALATED)


def in_scope(scope: Scope):
    """A SQL condition: the finding is within ``scope``."""
    if scope.everything:
        return sa.true()
    by_subject = Finding.id.in_(sa.select(FindingSubject.finding_id).where(
        FindingSubject.person_id.in_(sorted(scope.cadre_ids))))
    if not scope.by_org:
        return by_subject
    by_org = Finding.id.in_(sa.select(FindingOrg.finding_id).where(
        FindingOrg.org_id.in_(sorted(scope.org_ids))))
    return sa.or_(by_org, by_subject)


@dataclass
class FindingFilter:
    detector: str = ""
    severity: str = ""
    colour: str = ""
    org_ids: list[str] = field(default_factory=list)   # an organisation and its subtree
    status: str = ""            # a ReviewStatus, "open", or "" (any)
    data_status: str = "present"
    assignee_id: int | None = None
    since: date | None = None      # whole days in ``tz``, the local time zone
    until: date | None = None
    tz: tzinfo | None = None
    new_after: datetime | None = None
    person_id: str = ""


def _filtered(session: Session, scope: Scope, f: FindingFilter):
    stmt = sa.select(Finding).where(in_scope(scope))
    if f.detector:
        stmt = stmt.where(Finding.detector == f.detector)
    if f.severity:
        stmt = stmt.where(Finding.severity == f.severity)
    if f.status == "open":
        stmt = stmt.where(Finding.review_status.in_(OPEN_STATUSES))
    elif f.status:
        stmt = stmt.where(Finding.review_status == f.status)
    if f.data_status:
        stmt = stmt.where(Finding.data_status == f.data_status)
    if f.assignee_id:
        stmt = stmt.where(Finding.assignee_id == f.assignee_id)
    stmt = stmt.where(*on_days(Finding.created_at, f.since, f.until, f.tz))
    if f.new_after:
        stmt = stmt.where(Finding.created_at > f.new_after)
    if f.org_ids:
        stmt = stmt.where(Finding.id.in_(sa.select(FindingOrg.finding_id)
                                         .where(FindingOrg.org_id.in_(f.org_ids))))
    if f.person_id:
        stmt = stmt.where(Finding.id.in_(sa.select(FindingSubject.finding_id)
                                         .where(FindingSubject.person_id == f.person_id)))
    if f.colour:
        people = cadres_of_colour(session, f.colour)
        stmt = stmt.where(Finding.id.in_(sa.select(FindingSubject.finding_id)
                                         .where(FindingSubject.person_id.in_(people))))
    return stmt


def list_findings(session: Session, scope: Scope, f: FindingFilter, sort: str = "newest",
                  page: int = 1, per_page: int = 50) -> tuple[list[Finding], int]:
    """(one page of findings, total count) within ``scope`` matching ``f``."""
    return paged(session, _filtered(session, scope, f), SORTS.get(sort, SORTS["newest"]), page,
                 per_page)


def get(session: Session, scope: Scope, finding_id: int) -> Finding | None:
    """The finding, or None when it does not exist or lies outside ``scope``."""
    return session.scalar(sa.select(Finding).where(Finding.id == finding_id, in_scope(scope)))


def detectors_seen(session: Session) -> list[str]:
    return list(session.scalars(sa.select(Finding.detector).distinct().order_by(Finding.detector)))
