"""Closed vocabularies of the application-state store.

Each class is a ``StrEnum``: members compare equal to their string values, so code may
write ``ReviewStatus.CONFIRMED`` or ``"confirmed"``. The columns that use them are
``VARCHAR`` with a named CHECK constraint (see ``base.enum_type``), so adding a value
means a new member here *and* an Alembic migration that rewrites the constraint.

>>> ReviewStatus.CONFIRMED == "confirmed"
True
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INSPECTOR = "inspector"                  # 纪检监察 investigator
    ORG_OFFICER = "org_officer"              # 组织部门 officer
    MEETING_SECRETARY = "meeting_secretary"  # 会商 secretary
    ADMIN = "admin"
    AUDITOR = "auditor"                      # reads the audit log, nothing else


class ImportStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RunTrigger(StrEnum):
    MANUAL = "manual"
    SCHEDULED = "scheduled"
    IMPORT = "import"


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ABANDONED = "abandoned"    # the process died; found "running" at the next start


class Severity(StrEnum):
    """Same values as the ``severity`` enum of config/schema/enums.yaml."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DataStatus(StrEnum):
    """Whether the last run still saw the pattern; set by runs, never by reviewers."""

    PRESENT = "present"
    RESOLVED_BY_DATA = "resolved_by_data"


class ReviewStatus(StrEnum):
    """The reviewers' verdict; set only by people, never by runs."""

    NEW = "new"
    ASSIGNED = "assigned"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    CLEARED = "cleared"              # 澄清正名
    ESCALATED = "escalated"
    ACCEPTED_RISK = "accepted_risk"  # excluded from levels until accepted_until


class Handling(StrEnum):
    """The four ways of handling a problem clue (问题线索处置)."""

    TALK_INQUIRY = "talk_inquiry"                          # 谈话函询
    PRELIMINARY_VERIFICATION = "preliminary_verification"  # 初步核实
    HOLD = "hold"                                          # 暂存待查
    CLOSE = "close"                                        # 予以了结


class Colour(StrEnum):
    """A cadre's three-colour warning level (红 / 黄 / 绿)."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class AlertKind(StrEnum):
    NEW_FINDING = "new_finding"
    LEVEL_RISE = "level_rise"


class Channel(StrEnum):
    INBOX = "inbox"
    WEBHOOK = "webhook"
    EMAIL = "email"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"      # gave up after the last attempt


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    HELD = "held"
    SIGNED = "signed"


class MeetingItemKind(StrEnum):
    FINDING = "finding"
    CADRE = "cadre"
    INVESTIGATION = "investigation"


class IntegrityResult(StrEnum):
    """党风廉政意见回复: the opinion on one promotion candidate."""

    NO_OBJECTION = "no_objection"
    WITH_NOTES = "with_notes"
    OBJECTION = "objection"
