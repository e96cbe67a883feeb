"""Turn a detector run's hits into findings: upsert by stable key, never touch review.

- A hit whose key is new becomes a finding (event ``detected``).
- A key already present only has its ``last_seen_run_id`` moved on. Its evidence
  snapshot stays as first seen, so what a reviewer judged does not change under them.
- A key that had been resolved by data and is back is present again with the new
  evidence (event ``reappeared``).
- A present finding of this detector the run did not see is ``resolved_by_data``
  (event ``resolved``), never deleted. A run restricted to some cadres (``scope``) only
  resolves findings about those cadres (or, for a detector scoped by entities, the
  findings holding one of the scope's entities).

Run bookkeeping uses Core UPDATEs, which do not bump ``Finding.version``, so a run never
makes a reviewer's concurrent edit fail (see ``riskgraph.store.models.findings``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.detectors.base import Detector, Hit
from riskgraph.store import Finding, FindingEvent, FindingSubject, finding_key, utcnow
from riskgraph.store.vocab import DataStatus, Severity

CHUNK = 500


@dataclass
class Counts:
    new: int = 0
    present: int = 0
    resolved: int = 0


def hit_key(detector: Detector, hit: Hit) -> str:
    return finding_key(detector.name, detector.version, hit.entity_ids)


def _finding_fields(detector: Detector, hit: Hit, severity: Severity) -> dict:
    evidence = hit.evidence.as_dict()
    evidence["date"] = hit.date.isoformat() if hit.date else None
    evidence["facts"] = hit.facts
    return {
        "severity": Severity(hit.severity or severity), "title": hit.title[:255],
        "explanation": hit.explanation, "citation": detector.citation,
        "entities": [e.as_dict() for e in hit.entities], "evidence": evidence,
    }


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _in_scope(session: Session, detector: Detector, ids: list[int],
              scope: frozenset[str]) -> list[int]:
    """Those of the findings ``ids`` a run on ``scope`` re-checked: with a subject in it,
    or for a detector scoped by entities (``Detector.scope_by``), an entity."""
    found = set()
    for chunk in _chunks(ids):
        if detector.scope_by == "entities":
            found.update(fid for fid, entities in session.execute(
                sa.select(Finding.id, Finding.entities).where(Finding.id.in_(chunk)))
                if any(e["id"] in scope for e in entities))
        else:
            found.update(session.scalars(sa.select(FindingSubject.finding_id).where(
                FindingSubject.finding_id.in_(chunk),
                FindingSubject.person_id.in_(sorted(scope)))))
    return [fid for fid in ids if fid in found]


def apply_hits(session: Session, detector: Detector, run_id: int, hits: Iterable[Hit],
               severity: Severity, scope: frozenset[str] | None = None) -> Counts:
    """Upsert ``hits`` as findings of ``detector`` for run ``run_id``; see the module."""
    counts = Counts()
    by_key: dict[str, Hit] = {}
    for hit in hits:
        by_key.setdefault(hit_key(detector, hit), hit)
    rows = session.execute(
        sa.select(Finding.id, Finding.key, Finding.data_status)
        .where(Finding.detector == detector.name)).all()
    known = {r.key: (r.id, r.data_status) for r in rows}
    now = utcnow()

    still, back = [], []
    for key, hit in by_key.items():
        if key not in known:
            finding = Finding(key=key, detector=detector.name, rule_version=detector.version,
                              first_seen_run_id=run_id, last_seen_run_id=run_id,
                              **_finding_fields(detector, hit, severity))
            finding.subject_ids = hit.subjects
            finding.org_ids = hit.orgs
            finding.events.append(FindingEvent(action="detected", data={"run_id": run_id}))
            session.add(finding)
            counts.new += 1
        elif known[key][1] == DataStatus.PRESENT:
            still.append(known[key][0])
        else:
            back.append((known[key][0], hit))
    for ids in _chunks(still):
        session.execute(sa.update(Finding).where(Finding.id.in_(ids))
                        .values(last_seen_run_id=run_id))
    for fid, hit in back:
        fields = _finding_fields(detector, hit, severity)
        session.execute(sa.update(Finding).where(Finding.id == fid).values(
            last_seen_run_id=run_id, data_status=DataStatus.PRESENT, resolved_at=None,
            updated_at=now, evidence=fields["evidence"], explanation=fields["explanation"]))
        session.add(FindingEvent(finding_id=fid, action="reappeared", data={"run_id": run_id}))
    counts.present = len(still) + len(back)

    gone = [fid for key, (fid, status) in known.items()
            if status == DataStatus.PRESENT and key not in by_key]
    if scope is not None and gone:
        gone = _in_scope(session, detector, gone, scope)
    for ids in _chunks(gone):
        session.execute(sa.update(Finding).where(Finding.id.in_(ids)).values(
            data_status=DataStatus.RESOLVED_BY_DATA, resolved_at=now, updated_at=now))
    for fid in gone:
        session.add(FindingEvent(finding_id=fid, action="resolved", data={"run_id": run_id}))
    counts.resolved = len(gone)
    return counts
