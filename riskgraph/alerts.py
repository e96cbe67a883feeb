"""Early-warning alerts: raised once, routed by the rules of config/alerts.yaml.

Two things raise an alert:

- a run created a new finding at or above ``min_severity`` (``new_finding:<finding>``);
- a cadre's warning level rose (green → yellow → red) between its previous
  ``warning_levels`` row and the latest one (``level_rise:<person>:<sweep>``).

``Alert.dedupe_key`` is unique, so raising is idempotent: a finding that disappears and
comes back, or a later run that sees it again, never raises it twice. A raised alert is
routed in the same transaction: an inbox item for every active user whose role a
matching rule names and whose scope covers the alert, and a pending delivery per
webhook URL and e-mail recipient (sent by ``riskgraph.alert_delivery``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph import detectors
from riskgraph.alerts_config import SEVERITY_RANK, AlertsConfig
from riskgraph.graph import GraphClient
from riskgraph.levels import COLOUR_ZH, SEVERITY_ZH, rose
from riskgraph.store import Alert, AlertDelivery, Finding, InboxItem, User, WarningLevel
from riskgraph.store.vocab import AlertKind, Channel, Colour, Severity

log = logging.getLogger(__name__)


class ScopeResolver:
    """Which users may see an alert: their scope's organisation subtrees (resolved in the
    graph) must hold one of its organisations, and their ranks (if any) a subject's."""

    def __init__(self, graph: GraphClient):
        self.graph = graph
        self._subtrees: dict[tuple[str, ...], frozenset[str]] = {}

    def covers(self, user: User, org_ids: Iterable[str], person_ids: Iterable[str]) -> bool:
        key = tuple(sorted(user.scope_org_ids or ()))
        if key not in self._subtrees:
            rows = self.graph.read("alerts/org_subtree", {"ids": list(key)}) if key else []
            self._subtrees[key] = frozenset(r["id"] for r in rows)
        if not self._subtrees[key] & set(org_ids):
            return False
        if not user.scope_ranks:
            return True
        rows = self.graph.read("alerts/cadre_ranks", {"ids": sorted(set(person_ids))})
        return bool({r["rank"] for r in rows} & set(user.scope_ranks))

    def names(self, person_ids: Iterable[str]) -> dict[str, str]:
        rows = self.graph.read("kinship/persons", {"ids": sorted(set(person_ids))})
        return {r["id"]: r["name"] for r in rows}


def _family(detector: str | None) -> str | None:
    try:
        return detectors.get(detector).family if detector else None
    except KeyError:
        return None


def finding_text(cfg: AlertsConfig, finding: Finding) -> str:
    """The Chinese text of a new-finding alert: cadre, rule, severity and link."""
    subjects = set(finding.subject_ids or ())
    names = [e.get("name") or e["id"] for e in finding.entities or ()
             if e.get("id") in subjects] or sorted(subjects)
    try:
        rule = detectors.get(finding.detector).title
    except KeyError:
        rule = finding.detector
    citation = f"（依据：{finding.citation}）" if finding.citation else ""
    return (f"【风险预警】干部{'、'.join(names)}触发规则“{rule}”{citation}，"
            f"严重程度：{SEVERITY_ZH[finding.severity]}。{finding.title}。"
            f"查看：{cfg.link(finding.id)}")


def level_text(cfg: AlertsConfig, name: str, before: Colour, after: Colour,
               reasons: list, finding_id: int | None) -> str:
    why = "；".join(str(r.get("title", "")) for r in reasons if r.get("title")) or "见问题清单"
    return (f"【预警等级上升】干部{name}的预警等级由{COLOUR_ZH[before]}升为{COLOUR_ZH[after]}。"
            f"原因：{why}。查看：{cfg.link(finding_id)}")


def _add_alert(session: Session, cfg: AlertsConfig, resolver: ScopeResolver | None,
               alert: Alert, detector: str | None, org_ids: list[str],
               person_ids: list[str]) -> Alert | None:
    """Insert ``alert`` unless its key exists, and route it. None when it existed."""
    exists = session.scalar(sa.select(Alert.id).where(Alert.dedupe_key == alert.dedupe_key))
    if exists:
        return None
    session.add(alert)
    session.flush()
    family = _family(detector)
    rules = [r for r in cfg.rules if r.matches(alert.kind, alert.severity, detector, family)]
    roles = set().union(*(r.inbox_roles for r in rules)) if rules else set()
    if roles and resolver is not None:
        users = session.scalars(sa.select(User).where(User.role.in_(sorted(roles)),
                                                      User.active.is_(True))).all()
        for user in users:
            if resolver.covers(user, org_ids, person_ids):
                session.add(InboxItem(alert_id=alert.id, user_id=user.id))
    if any(r.webhook for r in rules) and cfg.webhook.enabled:
        session.add(AlertDelivery(alert_id=alert.id, channel=Channel.WEBHOOK,
                                  target=cfg.webhook.options["url"][:255]))
    if any(r.email for r in rules) and cfg.email.enabled:
        for address in cfg.email.options["to"]:
            session.add(AlertDelivery(alert_id=alert.id, channel=Channel.EMAIL, target=address))
    log.info("alert %s: %s", alert.dedupe_key, alert.text)
    return alert


def raise_for_run(session: Session, cfg: AlertsConfig, run_id: int,
                  resolver: ScopeResolver | None) -> list[Alert]:
    """Alerts for the findings run ``run_id`` created at or above the configured severity."""
    floor = SEVERITY_RANK[cfg.min_severity]
    findings = session.scalars(sa.select(Finding).where(Finding.first_seen_run_id == run_id)
                               .order_by(Finding.id)).all()
    raised = []
    for f in findings:
        if SEVERITY_RANK[Severity(f.severity)] < floor:
            continue
        alert = Alert(finding_id=f.id, person_id=(f.subject_ids or [None])[0],
                      kind=AlertKind.NEW_FINDING, severity=f.severity,
                      text=finding_text(cfg, f), dedupe_key=f"new_finding:{f.id}")
        if _add_alert(session, cfg, resolver, alert, f.detector, list(f.org_ids or ()),
                      list(f.subject_ids or ())):
            raised.append(alert)
    return raised


def _rise_key(row: WarningLevel) -> str:
    return f"level_rise:{row.person_id}:{row.sweep_id}"


def raise_level_rises(session: Session, cfg: AlertsConfig, now: datetime,
                      resolver: ScopeResolver | None) -> list[Alert]:
    """Alerts for cadres whose latest warning level (computed within the look-back
    window) is above their previous one."""
    if not cfg.level_rise:
        return []
    since = now - timedelta(hours=cfg.level_lookback_hours)
    # A rise is a row above the level it replaced; only a cadre's current row counts (a
    # later change supersedes it). Rows are written only on change: few of them.
    changed = session.scalars(sa.select(WarningLevel).where(
        WarningLevel.current.is_(True), WarningLevel.computed_at >= since,
        WarningLevel.level != WarningLevel.previous).order_by(WarningLevel.person_id)).all()
    rises = {_rise_key(row): (row, Colour(row.previous)) for row in changed
             if rose(row.previous, row.level)}
    # Raised already (by an earlier call in the window): nothing to read for those.
    raised_before = sa.select(Alert.dedupe_key).where(Alert.dedupe_key.in_(sorted(rises)))
    for key in session.scalars(raised_before) if rises else ():
        del rises[key]
    if not rises:
        return []
    names = resolver.names(r.person_id for r, _ in rises.values()) if resolver else {}
    raised = []
    for key, (row, old) in rises.items():
        finding_ids = [r["finding_id"] for r in row.reasons or () if r.get("finding_id")]
        findings = session.scalars(sa.select(Finding).where(Finding.id.in_(finding_ids))).all()
        orgs = sorted({o for f in findings for o in f.org_ids or ()})
        worst = max((Severity(f.severity) for f in findings), key=SEVERITY_RANK.get,
                    default=Severity.HIGH if row.level == Colour.RED else Severity.MEDIUM)
        first = finding_ids[0] if finding_ids else None
        alert = Alert(finding_id=first, person_id=row.person_id, kind=AlertKind.LEVEL_RISE,
                      severity=worst,
                      text=level_text(cfg, names.get(row.person_id, row.person_id), old,
                                      Colour(row.level), list(row.reasons or ()), first),
                      dedupe_key=key)
        detector = findings[0].detector if findings else None
        if _add_alert(session, cfg, resolver, alert, detector, orgs, [row.person_id]):
            raised.append(alert)
    return raised
