"""Findings, their review history, and the per-cadre index used to list them.

A finding has two independent states (style.md practice 6):

- ``data_status`` belongs to the runs: ``present`` while the pattern is still in the
  data, ``resolved_by_data`` once a run no longer sees it. Runs upsert by ``key`` and
  never touch the review fields.
- ``review_status`` / ``handling`` / ``assignee_id`` / ``accepted_until`` belong to the
  reviewers; every change is also written to ``finding_events`` (append-only).

``version`` is SQLAlchemy's ``version_id_col``: an ORM update checks that the row still
has the version that was read and raises ``sqlalchemy.orm.exc.StaleDataError`` if
somebody else changed it meanwhile. Core or bulk ``UPDATE`` statements bypass the check
(and do not bump the version): use them only for run bookkeeping, never for review.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from riskgraph.store.base import ID, AppendOnly, Base, enum_type, utcnow
from riskgraph.store.vocab import DataStatus, Handling, ReviewStatus, Severity


def finding_key(detector: str, rule_version: str, entity_ids: Iterable[str]) -> str:
    """The stable key of a finding: detector, rule version and its sorted entity ids.

    Order and repeats of the ids do not matter; the ids are hashed so the key has a
    bounded length however many entities a finding names.

    >>> key = finding_key("kin_same_org", "1", ["P2", "P1", "P2"])
    >>> key == finding_key("kin_same_org", "1", ["P1", "P2"])
    True
    >>> key[:24]
    'kin_same_org:1:859ab601a'
    """
    if ":" in detector or ":" in rule_version:
        raise ValueError("detector and rule version must not contain ':'")
    joined = "\x1f".join(sorted(set(entity_ids)))
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()
    return f"{detector}:{rule_version}:{digest}"


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    detector: Mapped[str] = mapped_column(sa.String(64), index=True)
    rule_version: Mapped[str] = mapped_column(sa.String(32))
    severity: Mapped[Severity] = mapped_column(enum_type(Severity, "severity"))
    title: Mapped[str] = mapped_column(sa.String(255))
    explanation: Mapped[str] = mapped_column(sa.Text)          # Chinese, for reviewers
    citation: Mapped[str | None] = mapped_column(sa.Text)      # regulation and article
    # [{"label": "Person", "id": "...", "name": "..."}, ...]
    entities: Mapped[list[Any]] = mapped_column(default=list)
    # Cadre ids the finding is about, and organisation ids for scope filtering. Both are
    # mirrored into finding_subjects / finding_orgs on assignment (see the validators).
    subject_ids: Mapped[list[Any]] = mapped_column(default=list)
    org_ids: Mapped[list[Any]] = mapped_column(default=list)
    # Snapshot of the evidence as the run saw it: {"nodes": [...], "edges": [...]},
    # with dates and sources, so the finding still reads right after the data changes.
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen_run_id: Mapped[int] = mapped_column(sa.ForeignKey("runs.id"))
    last_seen_run_id: Mapped[int] = mapped_column(sa.ForeignKey("runs.id"), index=True)
    data_status: Mapped[DataStatus] = mapped_column(
        enum_type(DataStatus, "data_status"), default=DataStatus.PRESENT
    )
    resolved_at: Mapped[datetime | None]
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus, "review_status"), default=ReviewStatus.NEW
    )
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    handling: Mapped[Handling | None] = mapped_column(enum_type(Handling, "handling"))
    accepted_until: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1, server_default=sa.text("1"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    subject_links: Mapped[list[FindingSubject]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    org_links: Mapped[list[FindingOrg]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    events: Mapped[list[FindingEvent]] = relationship(
        back_populates="finding", order_by="FindingEvent.id", passive_deletes="all"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index(None, "review_status", "data_status"),)

    @validates("subject_ids")
    def _index_subjects(self, _key: str, ids: list[Any] | None) -> list[Any]:
        ids = list(dict.fromkeys(ids or ()))
        kept = {link.person_id: link for link in self.subject_links}
        self.subject_links = [kept.get(i) or FindingSubject(person_id=i) for i in ids]
        return ids

    @validates("org_ids")
    def _index_orgs(self, _key: str, ids: list[Any] | None) -> list[Any]:
        ids = list(dict.fromkeys(ids or ()))
        kept = {link.org_id: link for link in self.org_links}
        self.org_links = [kept.get(i) or FindingOrg(org_id=i) for i in ids]
        return ids

    def __repr__(self) -> str:
        return f"<Finding {self.id} {self.key!r} {self.data_status}/{self.review_status}>"


class FindingSubject(Base):
    """Index row: finding ``finding_id`` is about cadre ``person_id``."""

    __tablename__ = "finding_subjects"

    finding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)


class FindingOrg(Base):
    """Index row: finding ``finding_id`` concerns organisation ``org_id`` (for scopes)."""

    __tablename__ = "finding_orgs"

    finding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)


class FindingEvent(AppendOnly, Base):
    """One entry of a finding's review history. Append-only: never updated or deleted.

    ``user_id`` is NULL for system events (a run resolving or re-opening the finding).
    ``action`` is e.g. ``assign``, ``review``, ``comment``, ``handling``, ``resolved``.
    """

    __tablename__ = "finding_events"

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    finding_id: Mapped[int] = mapped_column(sa.ForeignKey("findings.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(32))
    from_status: Mapped[str | None] = mapped_column(sa.String(32))
    to_status: Mapped[str | None] = mapped_column(sa.String(32))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any] | None]

    finding: Mapped[Finding] = relationship(back_populates="events")

    __table_args__ = (sa.Index(None, "finding_id", "at"),)
