"""Integrity-opinion batches (党风廉政意见回复) for the web pages, within a user's `Scope`.

The workflow itself (roles, drafting, the veto, signing, audit) is
``riskgraph.integrity``; this module adds what a page needs on top of it:

- Scope: a reply shows the findings and petitions about one person, so a batch is in a
  user's scope only when every candidate is (`batch_in_scope`); otherwise it is neither
  listed nor found. Candidates must be in the submitter's scope (`scope_problems`); a
  user who sees everything may also name people not on file (the draft then asks to
  check the identity).
- `submit`: validate, submit and draft in the caller's transaction (all or nothing).
- `summaries`, `reply_rows`: counts and reasons as the pages show them.
- `candidate_search`, `picked_candidates`: the form that adds cadres by search.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph import integrity
from riskgraph.access import Scope
from riskgraph.authz import ScopeCheck
from riskgraph.candidates import (
    FIELD_ZH,
    Candidate,
    CandidateFileError,
    Problem,
    parse_candidates,
)
from riskgraph.dossier.records import EFFECT_ZH
from riskgraph.integrity_rules import RESULT_ZH, integrity_rules
from riskgraph.services import links
from riskgraph.services.findings import in_scope
from riskgraph.store import Finding, IntegrityBatch, IntegrityReply, User
from riskgraph.store.vocab import IntegrityResult

RESULTS = (IntegrityResult.NO_OBJECTION, IntegrityResult.WITH_NOTES, IntegrityResult.OBJECTION)
# Short column heads for the batch list.
RESULT_SHORT_ZH = {IntegrityResult.NO_OBJECTION: "无异议", IntegrityResult.WITH_NOTES: "有说明",
                   IntegrityResult.OBJECTION: "有异议"}
REASON_KIND_ZH = {"finding": "问题线索", "declaration": "个人有关事项", "petition": "信访举报",
                  "identity": "身份核对", "reviewer": "审核说明"}
OUT_OF_SCOPE = "不在您的干部管理权限范围内（或干部档案中无此人）"


def can_see(scope: Scope) -> ScopeCheck:
    """The scope check the integrity services take, for ``scope``."""
    def check(_user, kind: str, obj) -> bool:
        if kind != "cadre":
            return False
        return scope.everything or scope.has_cadre(obj)
    return check


def batch_in_scope(batch: IntegrityBatch, scope: Scope) -> bool:
    see = can_see(scope)
    return all(see(None, "cadre", r.person_id) for r in batch.replies)


def get_batch(session: Session, scope: Scope, batch_id: int) -> IntegrityBatch | None:
    """The batch, or None when missing or out of scope (``integrity.open_batch`` opens
    it for reading, with the audit entry)."""
    batch = session.get(IntegrityBatch, batch_id)
    if batch is None or not batch_in_scope(batch, scope):
        return None
    return batch


def get_reply(session: Session, scope: Scope, reply_id: int) -> IntegrityReply | None:
    reply = session.get(IntegrityReply, reply_id)
    if reply is None or not batch_in_scope(reply.batch, scope):
        return None
    return reply


def current_result(reply: IntegrityReply) -> IntegrityResult | None:
    return reply.final_result or reply.draft_result


@dataclass
class BatchSummary:
    batch: IntegrityBatch
    total: int
    signed: int
    counts: dict[str, int] = field(default_factory=dict)   # result code → replies

    @property
    def complete(self) -> bool:
        return self.signed == self.total

    @property
    def status_zh(self) -> str:
        if self.complete:
            return "已全部签署"
        return "待签署" if self.signed == 0 else "部分签署"


def summarise(batch: IntegrityBatch) -> BatchSummary:
    counts = Counter(str(current_result(r)) for r in batch.replies if current_result(r))
    return BatchSummary(batch, len(batch.replies), sum(r.signed_by is not None for r in batch.replies),
                        {str(k): counts.get(str(k), 0) for k in RESULTS})


def summaries(session: Session, user: User, scope: Scope) -> list[BatchSummary]:
    """The batches in ``scope``, newest first."""
    return [summarise(b) for b in integrity.list_batches(session, user) if batch_in_scope(b, scope)]


def scope_problems(candidates: list[Candidate], scope: Scope, where: str) -> list[Problem]:
    see = can_see(scope)
    return [Problem(where, c.row, "person_id", OUT_OF_SCOPE) for c in candidates
            if not see(None, "cadre", c.person_id)]


def submit(session: Session, graph, user: User, scope: Scope, candidates: list[Candidate], *,
           where: str, title: str, requesting_org: str, due_date: dt.date | None,
           as_of: dt.date) -> IntegrityBatch:
    """Submit the candidates and draft every reply, in the caller's transaction.

    Raises `CandidateFileError` (rows out of scope) or a `riskgraph.authz.ServiceError`;
    the caller rolls back, so nothing is half-saved."""
    problems = scope_problems(candidates, scope, where)
    if problems:
        raise CandidateFileError(problems)
    batch = integrity.submit_batch(session, user, title=title, requesting_org=requesting_org,
                                   candidates=candidates, due_date=due_date)
    return integrity.draft_batch(session, graph, user, batch.id, as_of=as_of, can_see=can_see(scope))


def candidate_search(link_index: links.Links, scope: Scope, q: str, limit: int = 20) -> list[dict]:
    """In-scope cadres whose resident ID number is ``q`` or whose name contains it (over
    the link investigation's entity index, ``link_index``)."""
    return [n for n in links.search(link_index, scope, q, limit=limit) if n["label"] == "Cadre"]


def picked_candidates(graph, scope: Scope, ids: list[str], where: str = "表单") -> list[Candidate]:
    """The cadres picked in the form, named as on file (validated like a file's rows)."""
    ids = list(dict.fromkeys(i.strip().upper() for i in ids if i.strip()))
    names = {r["person_id"]: r["name"] for r in graph.read("integrity/candidate_records", {"ids": ids})}
    candidates = parse_candidates([{"person_id": i, "name": names.get(i, "")} for i in ids], where)
    problems = scope_problems(candidates, scope, where)
    if problems:
        raise CandidateFileError(problems)
    return candidates


def visible_findings(session: Session, scope: Scope, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(sa.select(Finding.id).where(Finding.id.in_(sorted(ids)), in_scope(scope))))


def reason_kind(reason: dict) -> str:
    if reason.get("kind") == "finding" and reason.get("detector") in integrity_rules()["declaration_detectors"]:
        return REASON_KIND_ZH["declaration"]
    return REASON_KIND_ZH.get(reason.get("kind"), reason.get("kind") or "")


def reply_rows(session: Session, batch: IntegrityBatch, scope: Scope) -> list[dict]:
    """Each reply with its reasons as shown: kind, effect, text, a finding link if visible."""
    finding_ids = {x["finding_id"] for r in batch.replies for x in r.reasons if x.get("finding_id")}
    seen = visible_findings(session, scope, finding_ids)
    names = dict(session.execute(sa.select(User.id, User.display_name)).all())
    rows = []
    for r in batch.replies:
        reasons = [{**x, "kind_zh": reason_kind(x),
                    "link": x.get("finding_id") if x.get("finding_id") in seen else None}
                   for x in r.reasons]
        rows.append({"reply": r, "reasons": reasons, "result": current_result(r),
                     "veto": any(x.get("effect") == "veto" for x in r.reasons),
                     "signed_by": names.get(r.signed_by, "") if r.signed_by else ""})
    return rows


__all__ = ["EFFECT_ZH", "FIELD_ZH", "RESULTS", "RESULT_SHORT_ZH", "RESULT_ZH", "BatchSummary", "batch_in_scope",
           "can_see", "candidate_search", "get_batch", "get_reply", "picked_candidates",
           "reply_rows", "scope_problems", "submit", "summaries", "summarise"]
