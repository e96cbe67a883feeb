"""Integrity-opinion replies (党风廉政意见回复) for promotion candidates: the service.

1. ``submit_batch``: an organisation-department officer submits candidates (from
   ``riskgraph.candidates.read_candidates`` / ``parse_candidates``).
2. ``draft_batch``: the system drafts each unsigned reply from the candidate's open
   findings (finding_subjects), the petitions about them in the graph and the rules of
   config/integrity.yaml (``riskgraph.integrity_rules``). A confirmed two-faced finding
   is a one-vote veto (一票否决).
3. ``sign_reply``: a discipline officer (inspector) signs each reply with the final
   result; a veto (checked again against the findings as they are now) refuses anything
   but "objection".

Every step checks the role and writes an audit entry; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
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
from riskgraph.candidates import Candidate, parse_candidates
from riskgraph.integrity_rules import (
    RESULT_ZH,
    FindingFacts,
    detector_families,
    draft_reasons,
    draft_result,
    integrity_rules,
    is_veto,
)
from riskgraph.store import (
    Finding,
    FindingSubject,
    IntegrityBatch,
    IntegrityReply,
    User,
    utcnow,
)
from riskgraph.store.vocab import DataStatus, IntegrityResult, Role

VIEW_ROLES = (Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN)


def submit_batch(session: Session, user: User, *, title: str, requesting_org: str,
                 candidates: list[Candidate] | list[dict], due_date: dt.date | None = None) -> IntegrityBatch:
    require_role(user, Role.ORG_OFFICER)
    if not title.strip() or not requesting_org.strip():
        raise ServiceError("请填写批次名称和请求单位")
    if candidates and isinstance(candidates[0], dict):
        candidates = parse_candidates(candidates)
    if not candidates:
        raise ServiceError("名单中没有人员")
    batch = IntegrityBatch(title=title.strip(), requesting_org=requesting_org.strip(),
                           created_by=user.id, due_date=due_date,
                           replies=[IntegrityReply(person_id=c.person_id, name=c.name)
                                    for c in candidates])
    session.add(batch)
    session.flush()
    audit(session, user, "integrity_submit", "integrity_batch", batch.id,
          {"title": batch.title, "candidates": [c.person_id for c in candidates]})
    return batch


def candidate_findings(session: Session, person_ids: list[str]) -> dict[str, list[FindingFacts]]:
    """Open findings (config ``open_statuses``, present in the data) about each person."""
    statuses = integrity_rules()["open_statuses"]
    rows = session.execute(
        sa.select(FindingSubject.person_id, Finding)
        .join(Finding, Finding.id == FindingSubject.finding_id)
        .where(FindingSubject.person_id.in_(person_ids), Finding.review_status.in_(statuses),
               Finding.data_status == DataStatus.PRESENT)
        .order_by(Finding.id)).all()
    out: dict[str, list[FindingFacts]] = defaultdict(list)
    for pid, f in rows:
        out[pid].append(FindingFacts(f.id, f.detector, str(f.review_status), str(f.severity),
                                     f.title, (f.evidence or {}).get("date")))
    return out


def draft_batch(session: Session, graph, user: User, batch_id: int,
                as_of: dt.date | None = None, can_see: ScopeCheck | None = None) -> IntegrityBatch:
    """Draft (or re-draft) every unsigned reply of the batch."""
    require_role(user, Role.ORG_OFFICER, Role.INSPECTOR)
    batch = get_or_404(session, IntegrityBatch, batch_id, "意见回复批次")
    as_of = as_of or dt.date.today()
    open_replies = [r for r in batch.replies if r.signed_by is None]
    for reply in open_replies:
        require_visible(user, can_see, "cadre", reply.person_id, f"干部 {reply.name}")
    ids = [r.person_id for r in open_replies]
    records = {row["person_id"]: row for row in graph.read("integrity/candidate_records", {"ids": ids})}
    findings = candidate_findings(session, ids)
    rules, families = integrity_rules(), detector_families()
    for reply in open_replies:
        record = records.get(reply.person_id)
        petitions = [p for p in (record or {}).get("petitions") or [] if p and p.get("id")]
        reasons = draft_reasons(findings.get(reply.person_id, []), petitions, rules, families, as_of)
        if record is None:
            reasons.append({"kind": "identity", "effect": "notes",
                            "text": "干部档案中未找到该身份证号，请核对"})
        elif reply.name and record["name"] != reply.name:
            reasons.append({"kind": "identity", "effect": "notes",
                            "text": f"名单姓名“{reply.name}”与档案姓名“{record['name']}”不一致，请核对"})
        reply.reasons = reasons
        reply.draft_result = draft_result(reasons)
        audit(session, user, "integrity_draft", "integrity_reply", reply.id,
              {"batch_id": batch.id, "person_id": reply.person_id,
               "draft_result": str(reply.draft_result), "reasons": len(reasons)})
    session.flush()
    return batch


def vetoes(session: Session, person_id: str) -> list[FindingFacts]:
    """The candidate's findings that veto promotion, as they stand now."""
    rules, families = integrity_rules(), detector_families()
    return [f for f in candidate_findings(session, [person_id]).get(person_id, [])
            if is_veto(f, rules, families)]


def sign_reply(session: Session, user: User, reply_id: int, result: IntegrityResult | str,
               note: str | None = None, version: int | None = None,
               can_see: ScopeCheck | None = None) -> IntegrityReply:
    """A discipline officer signs the final result of one reply."""
    require_role(user, Role.INSPECTOR)
    reply = get_or_404(session, IntegrityReply, reply_id, "意见回复")
    check_version(reply, version)
    require_visible(user, can_see, "cadre", reply.person_id, f"干部 {reply.name}")
    result = IntegrityResult(result)
    if reply.signed_by is not None:
        raise Locked(f"{reply.name}的意见回复已签署，不能修改")
    if reply.draft_result is None:
        raise ServiceError("系统尚未生成回复草稿，请先生成草稿")
    veto = vetoes(session, reply.person_id)
    if veto and result != IntegrityResult.OBJECTION:
        names = "；".join(f"问题线索 {f.id}：{f.title}" for f in veto)
        raise ServiceError(f"一票否决：{reply.name}有已确认的两面人问题（{names}），"
                           f"回复只能为“{RESULT_ZH[IntegrityResult.OBJECTION]}”")
    if result != reply.draft_result and not (note and note.strip()):
        raise ServiceError("签署结果与系统草稿不同，须填写说明")
    if note and note.strip():
        reply.reasons = [*reply.reasons, {"kind": "reviewer", "effect": "note",
                                          "text": note.strip(), "by": user.display_name}]
    reply.final_result, reply.signed_by, reply.signed_at = result, user.id, utcnow()
    audit(session, user, "integrity_sign", "integrity_reply", reply.id,
          {"batch_id": reply.batch_id, "person_id": reply.person_id, "final_result": str(result),
           "draft_result": str(reply.draft_result), "note": note})
    return reply


def open_batch(session: Session, user: User, batch_id: int) -> IntegrityBatch:
    require_role(user, *VIEW_ROLES)
    batch = get_or_404(session, IntegrityBatch, batch_id, "意见回复批次")
    audit(session, user, "view", "integrity_batch", batch.id)
    return batch


def list_batches(session: Session, user: User) -> list[IntegrityBatch]:
    require_role(user, *VIEW_ROLES)
    return list(session.scalars(sa.select(IntegrityBatch).order_by(IntegrityBatch.id.desc())))


def batch_complete(batch: IntegrityBatch) -> bool:
    return all(r.signed_by is not None for r in batch.replies)


__all__ = ["PermissionDenied", "batch_complete", "candidate_findings", "draft_batch",
           "list_batches", "open_batch", "sign_reply", "submit_batch", "vetoes"]
