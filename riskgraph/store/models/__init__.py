"""All models of the application-state store, importable from one place.

Importing this package registers every table on ``Base.metadata`` (which Alembic
compares against the migrations) and the append-only guards.
"""

from riskgraph.store import appendonly as _appendonly  # noqa: F401  (registers guards)
from riskgraph.store.models.alerts import (
    Alert,
    AlertDelivery,
    InboxItem,
    LevelUpdate,
    WarningLevel,
)
from riskgraph.store.models.audit import AuditEntry
from riskgraph.store.models.findings import (
    Finding,
    FindingEvent,
    FindingOrg,
    FindingSubject,
    finding_key,
)
from riskgraph.store.models.imports import (
    MAX_REJECTED_VALUE,
    ImportBatch,
    ImportDuplicate,
    ImportRejection,
)
from riskgraph.store.models.integrity import IntegrityBatch, IntegrityReply
from riskgraph.store.models.investigations import Investigation
from riskgraph.store.models.locks import Lease
from riskgraph.store.models.meetings import (
    Meeting,
    MeetingEntry,
    MeetingItem,
    MeetingParticipant,
)
from riskgraph.store.models.posts import PostRanking, PostScore
from riskgraph.store.models.runs import Run
from riskgraph.store.models.users import User

__all__ = [
    "Alert", "AlertDelivery", "AuditEntry", "Finding", "FindingEvent", "FindingOrg",
    "FindingSubject", "ImportBatch", "ImportDuplicate", "ImportRejection", "InboxItem",
    "IntegrityBatch", "IntegrityReply", "Investigation", "Lease", "LevelUpdate", "MAX_REJECTED_VALUE",
    "Meeting", "MeetingEntry", "MeetingItem", "MeetingParticipant", "PostRanking", "PostScore", "Run", "User", "WarningLevel",
    "finding_key",
]
