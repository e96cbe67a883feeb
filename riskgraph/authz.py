"""Role checks, errors and audit entries shared by the workflow services.

Roles say what a user may do; scopes say what they may see. The services here check
roles themselves and leave scope to a ``ScopeCheck`` the caller passes in (the web app
owns data scope): ``can_see(user, kind, obj)`` where ``kind`` is ``"finding"``
(``obj`` a ``Finding``), ``"cadre"`` (``obj`` a person id) or ``"investigation"``
(``obj`` an ``Investigation``). ``None`` means the caller sees everything (the CLI,
system jobs).

>>> from riskgraph.store.vocab import Role
>>> class U: id, username, role = 1, "li", Role.INSPECTOR
>>> require_role(U(), Role.INSPECTOR)
>>> require_role(U(), Role.MEETING_SECRETARY)
Traceback (most recent call last):
...
riskgraph.authz.PermissionDenied: 需要以下角色之一：会商秘书（当前角色：纪检监察）
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from riskgraph.services.audit import record
from riskgraph.store.vocab import Role

ScopeCheck = Callable[[Any, str, Any], bool]

# The Chinese name of each role: the one list the services, the CLI and the web UI use.
ROLE_ZH = {
    Role.INSPECTOR: "纪检监察", Role.ORG_OFFICER: "组织部门",
    Role.MEETING_SECRETARY: "会商秘书", Role.ADMIN: "系统管理员", Role.AUDITOR: "安全审计员",
}


class ServiceError(ValueError):
    """A request the service refuses; the message is Chinese and shown to the user."""


class PermissionDenied(ServiceError):
    """The user's role (or scope) does not allow the action."""


class NotFound(ServiceError):
    pass


class Locked(ServiceError):
    """The record is signed and locked; changes must be new entries."""


def require_role(user: Any, *roles: Role) -> None:
    if user is None or getattr(user, "role", None) not in roles:
        need = "、".join(ROLE_ZH[r] for r in roles)
        have = ROLE_ZH.get(getattr(user, "role", None), "无")
        raise PermissionDenied(f"需要以下角色之一：{need}（当前角色：{have}）")


def require_visible(user: Any, can_see: ScopeCheck | None, kind: str, obj: Any,
                    label: str) -> None:
    if can_see is not None and not can_see(user, kind, obj):
        raise PermissionDenied(f"无权查看{label}（超出数据范围）")


def get_or_404(session: Session, model: type, ident: Any, label: str) -> Any:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(f"{label} {ident} 不存在")
    return obj


def check_version(obj: Any, version: int | None) -> None:
    """Refuse a change made against a stale ``version`` of ``obj`` (None: not checked)."""
    if version is not None and obj.version != version:
        raise ServiceError("记录已被他人修改，请刷新后重试")


def audit(session: Session, user: Any, action: str, object_type: str, object_id: Any,
          detail: dict[str, Any] | None = None) -> None:
    """Add an audit entry in the caller's transaction (it commits with the change)."""
    record(session, action, getattr(user, "id", None), getattr(user, "username", None),
           object_type, object_id, detail)
