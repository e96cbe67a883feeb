"""Saved link investigations, owned by their author and attachable to a finding."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.access import Scope
from riskgraph.services import findings as finding_service
from riskgraph.store import FindingEvent, Investigation, User

MAX_NODES = 500


class InvestigationError(ValueError):
    pass


def save(session: Session, user: User, title: str, graph: dict,
         finding_id: int | None, scope: Scope) -> Investigation:
    title = (title or "").strip()[:255]
    if not title:
        raise InvestigationError("请填写研判标题")
    nodes = graph.get("nodes") or []
    if not isinstance(nodes, list) or len(nodes) > MAX_NODES:
        raise InvestigationError("图中节点过多或格式不正确")
    inv = Investigation(title=title, owner_id=user.id,
                        graph={"nodes": nodes, "edges": graph.get("edges") or [],
                               "query": graph.get("query") or {}})
    session.add(inv)
    session.flush()
    if finding_id:
        attach(session, user, inv, finding_id, scope)
    return inv


def attach(session: Session, user: User, inv: Investigation, finding_id: int, scope: Scope) -> None:
    finding = finding_service.get(session, scope, finding_id)
    if finding is None:
        raise InvestigationError("线索不存在或不在您的权限范围内")
    inv.finding_id = finding.id
    session.add(FindingEvent(finding_id=finding.id, user_id=user.id, action="investigation",
                             comment=inv.title, data={"investigation_id": inv.id}))


def get_own(session: Session, user: User, inv_id: int) -> Investigation | None:
    """An investigation its owner may open (others get None: 404)."""
    return session.scalar(sa.select(Investigation).where(
        Investigation.id == inv_id, Investigation.owner_id == user.id))


def list_own(session: Session, user: User) -> list[Investigation]:
    return list(session.scalars(sa.select(Investigation).where(Investigation.owner_id == user.id)
                                .order_by(Investigation.id.desc()).limit(100)))


def for_finding(session: Session, finding_id: int) -> list[Investigation]:
    return list(session.scalars(sa.select(Investigation).where(
        Investigation.finding_id == finding_id).order_by(Investigation.id)))
