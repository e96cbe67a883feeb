"""What a dossier shows, gathered from the store into plain dicts (JSON-safe, Chinese
labels resolved), so the HTML/PDF and DOCX renderers and the web pages share them.

- ``meeting_record(session, meeting_id)``: meeting, participants, signatures, items (each
  with its findings: explanation, citation, evidence table, evidence SVG), opinions,
  decisions (as signed, and as they stand after later entries), and the entries.
- ``batch_record(session, batch_id)``: an integrity-opinion batch and its replies.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.authz import get_or_404
from riskgraph.dossier.svg import EDGE_ZH, evidence_svg
from riskgraph.integrity_rules import RESULT_ZH
from riskgraph.levels import SEVERITY_ZH
from riskgraph.meeting_signoff import current_decision
from riskgraph.meetings import KIND_ZH, STATUS_ZH, decisions, side_zh
from riskgraph.store import (
    Finding,
    FindingSubject,
    IntegrityBatch,
    Investigation,
    Meeting,
    MeetingItem,
    User,
)
from riskgraph.store.vocab import DataStatus, MeetingItemKind

REVIEW_ZH = {"new": "待核查", "assigned": "核查中", "confirmed": "已确认", "dismissed": "已排除",
             "cleared": "已澄清", "escalated": "已移交", "accepted_risk": "接受风险"}
EFFECT_ZH = {"veto": "否决", "objection": "不同意见", "notes": "说明", "note": "审核说明"}
MAX_FINDINGS_PER_CADRE = 10


def _when(value) -> str:
    if value is None:
        return ""
    from riskgraph.dossier.export import local_time
    return local_time(value)


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(sa.select(User.id, User.display_name)).all())


def finding_record(f: Finding) -> dict[str, Any]:
    ev = f.evidence or {}
    names = {n["id"]: n.get("name") or n["id"] for n in ev.get("nodes", [])}
    edges = [{"type_zh": EDGE_ZH.get(e.get("type"), e.get("type_zh") or e.get("type")), "from": names.get(e["from"], e["from"]),
              "to": names.get(e["to"], e["to"]), "start": e.get("start") or "",
              "end": e.get("end") or "", "source": e.get("source") or ""}
             for e in ev.get("edges", [])]
    return {
        "id": f.id, "detector": f.detector, "title": f.title, "explanation": f.explanation,
        "citation": f.citation or "", "severity": SEVERITY_ZH.get(str(f.severity), str(f.severity)),
        "review_status": REVIEW_ZH.get(str(f.review_status), str(f.review_status)),
        "handling": str(f.handling) if f.handling else "",
        "subjects": [names.get(s, s) for s in f.subject_ids],
        "notes": list(ev.get("notes", [])), "edges": edges, "date": ev.get("date") or "",
        "svg": evidence_svg(ev, list(f.subject_ids)),
    }


def _item_findings(session: Session, item: MeetingItem) -> tuple[str, list[Finding]]:
    """The item's title and the findings to show with it."""
    if item.kind == MeetingItemKind.FINDING:
        f = session.get(Finding, int(item.ref_id))
        return (f.title if f else f"问题线索 {item.ref_id}"), [f] if f else []
    if item.kind == MeetingItemKind.INVESTIGATION:
        inv = session.get(Investigation, int(item.ref_id))
        f = session.get(Finding, inv.finding_id) if inv and inv.finding_id else None
        return (inv.title if inv else f"关联分析 {item.ref_id}"), [f] if f else []
    found = list(session.scalars(
        sa.select(Finding).join(FindingSubject)
        .where(FindingSubject.person_id == item.ref_id, Finding.data_status == DataStatus.PRESENT)
        .order_by(Finding.id).limit(MAX_FINDINGS_PER_CADRE)))
    name = next((e.get("name") for f in found for e in f.entities
                 if e.get("id") == item.ref_id and e.get("name")), None)
    return f"干部 {name or ''}（{item.ref_id}）", found


def meeting_record(session: Session, meeting_id: int) -> dict[str, Any]:
    meeting = get_or_404(session, Meeting, meeting_id, "会议")
    names = _names(session)
    codes = decisions()
    items = []
    for item in meeting.items:
        title, found = _item_findings(session, item)
        now = current_decision(meeting, item)
        items.append({
            "id": item.id, "position": item.position, "kind": KIND_ZH[item.kind],
            "ref_id": item.ref_id, "title": title,
            "findings": [finding_record(f) for f in found],
            "org_opinion": item.org_opinion or "", "discipline_opinion": item.discipline_opinion or "",
            "decision": codes.get(item.decision or "", ""), "owner": item.owner or "",
            "due_date": item.due_date.isoformat() if item.due_date else "",
            "amended": (now["entry_id"] is not None or now["owner"] != item.owner
                        or now["due_date"] != (item.due_date.isoformat() if item.due_date else None)),
            "current": {"decision": codes.get(now["decision"] or "", ""), "owner": now["owner"] or "",
                        "due_date": now["due_date"] or ""},
        })
    positions = {i.id: i.position for i in meeting.items}
    sides: dict[str, list[dict]] = {}
    for p in meeting.participants:
        sides.setdefault(side_zh(p.side) if p.side else "其他", []).append(
            {"name": p.name, "unit": p.unit or "", "account": p.user_id is not None})
    return {
        "id": meeting.id, "title": meeting.title, "date": meeting.date.isoformat(),
        "status": STATUS_ZH[meeting.status], "locked": meeting.locked,
        "created_by": names.get(meeting.created_by, ""), "sides": sides,
        "signatures": [
            {"side": side_zh("organisation"), "by": names.get(meeting.org_signed_by, ""),
             "at": _when(meeting.org_signed_at)},
            {"side": side_zh("discipline"), "by": names.get(meeting.discipline_signed_by, ""),
             "at": _when(meeting.discipline_signed_at)}],
        "items": items,
        "entries": [{"id": e.id, "at": _when(e.at), "by": names.get(e.user_id, ""), "text": e.text,
                     "item": positions.get(e.item_id), "decision": codes.get((e.data or {}).get("decision", ""), ""),
                     "owner": (e.data or {}).get("owner", ""), "due_date": (e.data or {}).get("due_date", "")}
                    for e in meeting.entries],
    }


def batch_record(session: Session, batch_id: int) -> dict[str, Any]:
    batch = get_or_404(session, IntegrityBatch, batch_id, "意见回复批次")
    names = _names(session)
    result_zh = {str(k): v for k, v in RESULT_ZH.items()}
    return {
        "id": batch.id, "title": batch.title, "requesting_org": batch.requesting_org,
        "created_by": names.get(batch.created_by, ""), "created_at": _when(batch.created_at),
        "due_date": batch.due_date.isoformat() if batch.due_date else "",
        "replies": [{
            "id": r.id, "person_id": r.person_id, "name": r.name or "",
            "draft": result_zh.get(str(r.draft_result), "未生成"),
            "final": result_zh.get(str(r.final_result), "") if r.final_result else "",
            "veto": any(x.get("effect") == "veto" for x in r.reasons),
            "reasons": [{"text": x["text"], "effect": EFFECT_ZH.get(x["effect"], ""),
                         "by": x.get("by", "")} for x in r.reasons],
            "signed_by": names.get(r.signed_by, "") if r.signed_by else "",
            "signed_at": _when(r.signed_at)} for r in batch.replies],
    }
