"""Roles and data scope (干部管理权限): who may do what, and which data they may see.

A user's scope is the union of organisation subtrees (``User.scope_org_ids``; ``"*"``
means every organisation) resolved in the graph along SUBORDINATE_TO. A cadre is in
scope when the organisation holding management authority over them (MANAGED_BY) or an
organisation where they hold a post lies in those subtrees, and (when
``User.scope_ranks`` is set) their rank is one of those ranks.

>>> s = Scope(False, frozenset({"O1"}), frozenset({"A"}))
>>> s.has_cadre("A"), s.has_cadre("B"), s.has_org("O1")
(True, False, True)
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from riskgraph.store.vocab import Role

ALL = "*"

# What each role may do. Views name a permission; `allowed` answers.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "dashboard": frozenset({Role.INSPECTOR, Role.ORG_OFFICER, Role.MEETING_SECRETARY, Role.ADMIN}),
    "findings.view": frozenset({Role.INSPECTOR, Role.ORG_OFFICER, Role.MEETING_SECRETARY, Role.ADMIN}),
    "findings.comment": frozenset({Role.INSPECTOR, Role.ORG_OFFICER, Role.ADMIN}),
    "findings.review": frozenset({Role.INSPECTOR, Role.ADMIN}),
    "cadres.view": frozenset({Role.INSPECTOR, Role.ORG_OFFICER, Role.MEETING_SECRETARY, Role.ADMIN}),
    "links.view": frozenset({Role.INSPECTOR, Role.ADMIN}),
    "posts.view": frozenset({Role.INSPECTOR, Role.ORG_OFFICER, Role.ADMIN}),
    "audit.view": frozenset({Role.AUDITOR}),
    # Integrity-opinion replies (党风廉政意见回复): the same roles as riskgraph.integrity
    # (the organisation department submits, the discipline officer signs) and
    # riskgraph.dossier.export.BATCH_EXPORT_ROLES.
    "integrity.view": frozenset({Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN}),
    "integrity.submit": frozenset({Role.ORG_OFFICER}),
    "integrity.draft": frozenset({Role.ORG_OFFICER, Role.INSPECTOR}),
    "integrity.sign": frozenset({Role.INSPECTOR}),
    "integrity.export": frozenset({Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN}),
    # Consultation meetings (会商): the services check these roles again.
    "meetings.view": frozenset({Role.MEETING_SECRETARY, Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN}),
    "meetings.manage": frozenset({Role.MEETING_SECRETARY}),
    "meetings.opinion": frozenset({Role.ORG_OFFICER, Role.INSPECTOR}),
    "meetings.entry": frozenset({Role.MEETING_SECRETARY, Role.ORG_OFFICER, Role.INSPECTOR}),
    "meetings.export": frozenset({Role.MEETING_SECRETARY, Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN}),
    "accounts.manage": frozenset({Role.ADMIN}),
    # The detectors' run history: the system's operation, not anyone's case.
    "runs.view": frozenset({Role.ADMIN}),
}


def allowed(role: str, permission: str) -> bool:
    """Whether ``role`` has ``permission``.

    >>> allowed("auditor", "audit.view"), allowed("auditor", "findings.view")
    (True, False)
    """
    return role in PERMISSIONS[permission]


@dataclass(frozen=True)
class Scope:
    """The resolved data scope of one user. ``everything``: no restriction at all."""

    everything: bool
    org_ids: frozenset[str]
    cadre_ids: frozenset[str]
    ranks: frozenset[str] = frozenset()

    def has_cadre(self, person_id: str) -> bool:
        return person_id in self.cadre_ids

    def has_org(self, org_id: str) -> bool:
        return self.everything or org_id in self.org_ids

    @property
    def by_org(self) -> bool:
        """Whether findings may be scoped by their organisations (not when ranks narrow
        the scope: a finding's organisation says nothing about a cadre's rank)."""
        return not self.ranks


def resolve_scope(graph, org_ids: list[str], ranks: list[str] | None = None) -> Scope:
    """Resolve ``org_ids`` (roots, or ``"*"``) and ``ranks`` into a `Scope`."""
    ranks = frozenset(ranks or ())
    if ALL in org_ids:
        orgs = {r["id"] for r in graph.read("ui/all_orgs")}
        everything = not ranks
    else:
        orgs = set()
        for row in graph.read("ui/scope_subtree", {"roots": sorted(set(org_ids))}):
            orgs.add(row["root"])
            orgs.update(i for i in row["ids"] if i)
        everything = False
    cadres: set[str] = set()
    if orgs:
        params = {"orgs": sorted(orgs)}
        for name in ("ui/scope_managed", "ui/scope_holding"):
            cadres.update(r["id"] for r in graph.read(name, params)
                          if not ranks or r["rank"] in ranks)
    return Scope(everything, frozenset(orgs), frozenset(cadres), ranks)


def org_tree(graph) -> list[dict[str, Any]]:
    """Every organisation (id, name, depth) in tree order: each one after its parent,
    siblings by id, for scope pickers. Organisations whose parent is missing (or lies
    in a cycle) are roots.

    >>> class G:
    ...     def read(self, name):
    ...         return [{"id": "A", "name": "县委", "parent": None},
    ...                 {"id": "B", "name": "县纪委", "parent": "A"},
    ...                 {"id": "C", "name": "县政府", "parent": None}]
    >>> [(o["id"], o["depth"]) for o in org_tree(G())]
    [('A', 0), ('B', 1), ('C', 0)]
    """
    rows = {r["id"]: r for r in graph.read("ui/all_orgs")}
    children: dict[str | None, list[str]] = {}
    for oid in sorted(rows):
        parent = rows[oid]["parent"]
        children.setdefault(parent if parent in rows else None, []).append(oid)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()

    def walk(oid: str, depth: int) -> None:
        seen.add(oid)
        out.append({"id": oid, "name": rows[oid]["name"] or oid, "depth": depth})
        for child in children.get(oid, ()):
            if child not in seen:
                walk(child, depth + 1)

    for root in children.get(None, ()):
        walk(root, 0)
    for oid in sorted(set(rows) - seen):      # cycles: list them at the top level
        if oid not in seen:
            walk(oid, 0)
    return out


class ScopeCache:
    """Resolved scopes per (user, scope settings), kept ``ttl`` seconds, so a page does
    not walk the organisation tree on every request.

    When a scope expires, one request resolves it again while the others go on with the
    expired one meanwhile: on county data resolving an unrestricted scope takes ~1 s of
    CPU, and twenty requests resolving it at once stalled every page for seconds."""

    def __init__(self, graph, ttl: float = 60.0) -> None:
        self.graph, self.ttl = graph, ttl
        self._lock = threading.Lock()
        self._items: dict[Any, tuple[float, Scope]] = {}
        self._refreshing: set[Any] = set()

    def get(self, user_id: int, org_ids: list[str], ranks: list[str]) -> Scope:
        key = (user_id, tuple(sorted(org_ids or ())), tuple(sorted(ranks or ())))
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit and now - hit[0] < self.ttl:
                return hit[1]
            if hit and key in self._refreshing:
                return hit[1]
            self._refreshing.add(key)
        try:
            scope = resolve_scope(self.graph, list(org_ids or ()), list(ranks or ()))
        finally:
            with self._lock:
                self._refreshing.discard(key)
        with self._lock:
            self._items[key] = (time.monotonic(), scope)
        return scope

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
