"""The schedule: ``config/scheduler.yaml`` (or the file in setting ``scheduler.config``),
validated when loaded so a bad cron expression stops the scheduler at start-up.

>>> cfg = load_scheduler_config()
>>> sorted(cfg.jobs)
['avoidance', 'high_risk', 'two_faced']
>>> cfg.retry_delay(1) <= cfg.retry_delay(2)
True
>>> load_scheduler_config(data={}, local_zone="Asia/Shanghai").timezone    # the locale's zone
'Asia/Shanghai'
>>> load_scheduler_config(data={"timezone": "UTC"}, local_zone="Asia/Shanghai").timezone
'UTC'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from apscheduler.triggers.cron import CronTrigger

from riskgraph.detectors.base import FAMILIES
from riskgraph.resources import resource_dir


class SchedulerConfigError(ValueError):
    pass


@dataclass(frozen=True)
class JobSpec:
    name: str
    cron: str
    families: tuple[str, ...]

    @property
    def job_id(self) -> str:
        return f"detectors:{self.name}"


@dataclass(frozen=True)
class IncrementalSpec:
    enabled: bool = True
    every_seconds: int = 300
    max_scope_fraction: float = 0.25
    whole_graph_below_seconds: float = 0.0
    full_sweep_labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SchedulerConfig:
    timezone: str
    jobs: dict[str, JobSpec]
    misfire_grace_seconds: int
    max_attempts: int
    retry_delays: tuple[int, ...]
    lease_name: str
    lease_ttl: int
    lease_renew: int
    stop_grace_seconds: float
    incremental: IncrementalSpec = field(default_factory=IncrementalSpec)

    def retry_delay(self, attempt: int) -> int:
        """Seconds to wait after failed attempt ``attempt`` (1-based) before the next."""
        if not self.retry_delays:
            return 0
        return self.retry_delays[min(attempt, len(self.retry_delays)) - 1]

    def trigger(self, spec: JobSpec) -> CronTrigger:
        return CronTrigger.from_crontab(spec.cron, timezone=self.timezone)


def default_path() -> Path:
    return resource_dir("config") / "scheduler.yaml"


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SchedulerConfigError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise SchedulerConfigError(f"{path}: expected a mapping at the top level")
    return data


def load_scheduler_config(path: Path | str | None = None, data: dict[str, Any] | None = None,
                          local_zone: str = "UTC") -> SchedulerConfig:
    """The schedule from ``path`` (default config/scheduler.yaml) or from ``data``; times
    are in the file's ``timezone`` if it sets one, else in ``local_zone`` (the setting
    ``locale.timezone``, which the scheduler passes)."""
    where = str(path or default_path())
    raw = data if data is not None else read_yaml(Path(path) if path else default_path())
    try:
        jobs = {}
        for name, spec in (raw.get("jobs") or {}).items():
            families = tuple(spec.get("families") or [name])
            unknown = set(families) - set(FAMILIES)
            if unknown:
                raise SchedulerConfigError(f"{where}: job {name}: unknown families {sorted(unknown)}")
            jobs[name] = JobSpec(name, str(spec["cron"]), families)
        retry, lease, inc = raw.get("retry") or {}, raw.get("lease") or {}, raw.get("incremental") or {}
        cfg = SchedulerConfig(
            timezone=str(raw.get("timezone") or local_zone),
            jobs=jobs,
            misfire_grace_seconds=int(raw.get("misfire_grace_seconds", 3600)),
            max_attempts=int(retry.get("max_attempts", 1)),
            retry_delays=tuple(int(d) for d in retry.get("delays_seconds") or ()),
            lease_name=str(lease.get("name", "scheduler")),
            lease_ttl=int(lease.get("ttl_seconds", 120)),
            lease_renew=int(lease.get("renew_seconds", 30)),
            stop_grace_seconds=float(raw.get("stop_grace_seconds", 30)),
            incremental=IncrementalSpec(
                enabled=bool(inc.get("enabled", False)),
                every_seconds=int(inc.get("every_seconds", 300)),
                max_scope_fraction=float(inc.get("max_scope_fraction", 0.25)),
                whole_graph_below_seconds=float(inc.get("whole_graph_below_seconds", 0)),
                full_sweep_labels=frozenset(inc.get("full_sweep_labels") or ()),
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, SchedulerConfigError):
            raise
        raise SchedulerConfigError(f"{where}: {exc!r}") from None
    if cfg.lease_renew * 2 > cfg.lease_ttl:
        raise SchedulerConfigError(f"{where}: lease.renew_seconds must be at most half of ttl_seconds")
    for spec in jobs.values():
        try:
            cfg.trigger(spec)
        except ValueError as exc:
            raise SchedulerConfigError(f"{where}: job {spec.name}: cron {spec.cron!r}: {exc}") from None
    return cfg
