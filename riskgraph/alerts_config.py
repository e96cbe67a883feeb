"""Alert settings: ``config/alerts.yaml`` (or the file in setting
``scheduler.alerts_config``), with the secrets from the environment only:
``RISKGRAPH_WEBHOOK_SECRET`` (HMAC key of the webhook signature) and
``RISKGRAPH_SMTP_PASSWORD``.

>>> cfg = load_alerts_config(environ={})
>>> cfg.min_severity, cfg.rules[0].webhook
(<Severity.HIGH: 'high'>, True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskgraph.resources import resource_dir
from riskgraph.scheduler_config import SchedulerConfigError, read_yaml
from riskgraph.store.vocab import AlertKind, Role, Severity

SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


@dataclass(frozen=True)
class Rule:
    name: str
    kinds: frozenset[AlertKind]
    min_severity: Severity | None = None
    families: frozenset[str] = frozenset()
    detectors: frozenset[str] = frozenset()
    inbox_roles: frozenset[Role] = frozenset()
    webhook: bool = False
    email: bool = False

    def matches(self, kind: AlertKind, severity: Severity, detector: str | None,
                family: str | None) -> bool:
        if kind not in self.kinds:
            return False
        if self.min_severity and SEVERITY_RANK[severity] < SEVERITY_RANK[self.min_severity]:
            return False
        if self.families and family not in self.families:
            return False
        return not self.detectors or detector in self.detectors


@dataclass(frozen=True)
class Channel:
    """Where a channel sends and how it retries (webhook: ``url``; email: SMTP)."""

    enabled: bool
    max_attempts: int = 5
    delays_seconds: tuple[int, ...] = (60,)
    timeout: float = 10.0
    options: dict[str, Any] = field(default_factory=dict)
    secret: str = field(default="", repr=False)

    def delay(self, attempt: int) -> int:
        """Seconds to wait after failed attempt ``attempt`` (1-based)."""
        return self.delays_seconds[min(attempt, len(self.delays_seconds)) - 1]


@dataclass(frozen=True)
class AlertsConfig:
    min_severity: Severity
    level_rise: bool
    level_lookback_hours: float
    base_url: str
    rules: tuple[Rule, ...]
    webhook: Channel
    email: Channel

    def link(self, finding_id: int | None) -> str:
        base = self.base_url.rstrip("/")
        return f"{base}/findings/{finding_id}" if finding_id else f"{base}/findings"

    @property
    def digest(self) -> bool:
        return self.email.options.get("mode") == "daily"


def default_path() -> Path:
    return resource_dir("config") / "alerts.yaml"


def _channel(raw: dict, enabled: bool, secret: str, **options: Any) -> Channel:
    return Channel(enabled=enabled, max_attempts=int(raw.get("max_attempts", 5)),
                   delays_seconds=tuple(int(d) for d in raw.get("delays_seconds") or (60,)),
                   timeout=float(raw.get("timeout_seconds", 10)), options=options, secret=secret)


def load_alerts_config(path: Path | str | None = None, data: dict[str, Any] | None = None,
                       environ: Mapping[str, str] | None = None) -> AlertsConfig:
    env = os.environ if environ is None else environ
    where = str(path or default_path())
    raw = data if data is not None else read_yaml(Path(path) if path else default_path())
    try:
        rules = tuple(_rule(r) for r in raw.get("rules") or ())
        hook, mail = raw.get("webhook") or {}, raw.get("email") or {}
        mode = mail.get("mode", "immediate")
        if mode not in ("immediate", "daily"):
            raise ValueError(f"email.mode must be immediate or daily, not {mode!r}")
        return AlertsConfig(
            min_severity=Severity(raw.get("min_severity", "high")),
            level_rise=bool(raw.get("level_rise", True)),
            level_lookback_hours=float(raw.get("level_lookback_hours", 48)),
            base_url=str(raw.get("base_url", "http://127.0.0.1:8080")),
            rules=rules,
            webhook=_channel(hook, bool(hook.get("url")), env.get("RISKGRAPH_WEBHOOK_SECRET", ""),
                             url=hook.get("url", "")),
            email=_channel(mail, bool(mail.get("host")) and bool(mail.get("to")),
                           env.get("RISKGRAPH_SMTP_PASSWORD", ""),
                           host=mail.get("host", ""), port=int(mail.get("port", 25)),
                           starttls=bool(mail.get("starttls", False)),
                           username=mail.get("username", ""),
                           sender=mail.get("from", "riskgraph@localhost"),
                           to=list(mail.get("to") or ()), mode=mode,
                           digest_cron=mail.get("digest_cron", "0 8 * * *")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SchedulerConfigError(f"{where}: {exc}") from None


def _rule(raw: dict) -> Rule:
    when = raw.get("when") or {}
    inbox = raw.get("inbox") or {}
    return Rule(
        name=str(raw["name"]),
        kinds=frozenset(AlertKind(k) for k in when.get("kinds") or list(AlertKind)),
        min_severity=Severity(when["min_severity"]) if when.get("min_severity") else None,
        families=frozenset(when.get("families") or ()),
        detectors=frozenset(when.get("detectors") or ()),
        inbox_roles=frozenset(Role(r) for r in inbox.get("roles") or ()),
        webhook=bool(raw.get("webhook", False)),
        email=bool(raw.get("email", False)),
    )
