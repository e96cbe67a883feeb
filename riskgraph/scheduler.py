"""The scheduler process (``riskgraph scheduler``): APScheduler 3 with a persistent job
store, one job per detector group, and a lease so only one process runs the jobs.

- Jobs: ``detectors:<group>`` (cron, from config/scheduler.yaml), ``imports:recheck``
  (interval: re-check what new imports changed), ``alerts:digest`` (cron, daily e-mail
  digest), and one-off ``retry:...`` / ``delivery:...`` jobs for back-off. Every job has
  an explicit id, ``coalesce=True`` (missed runs collapse into one), ``max_instances=1``
  and the configured ``misfire_grace_time``.
- Job store: ``SQLAlchemyJobStore`` on the app store (table ``apscheduler_jobs``), so
  next run times, pending retries and misfires survive restarts.
- Lock: the ``Lease`` row ``lease.name``; acquired atomically at start, renewed by the
  loop, released on stop. A second process cannot take it while it is renewed.
- Jobs run one at a time in one daemon thread (``SerialExecutor``): sweeps do not
  compete for the graph, and a stop that gives up waiting leaves nothing behind.
- Stop (SIGTERM): no new detector starts (the rest of a group is handed over as a due
  one-off job), the current run gets ``stop_grace_seconds`` to finish; if it does not,
  its row is marked ``abandoned`` (a run writes its findings and outcome in one
  transaction at its end, so nothing of it was applied). At start, scheduler runs left
  ``running`` by a dead process are marked ``abandoned``.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from apscheduler.executors.base import BaseExecutor, run_job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from riskgraph import lease, scheduler_jobs
from riskgraph.scheduler_jobs import JOBS, SWEEP_PREFIX, Runtime
from riskgraph.store import Run, session_scope, utcnow
from riskgraph.store.vocab import RunStatus

log = logging.getLogger(__name__)
JOBSTORE_TABLE = "apscheduler_jobs"
OWN_PREFIXES = ("detectors:", "imports:", "alerts:")


class LeaseHeld(RuntimeError):
    """Another scheduler process holds the lock."""


class SerialExecutor(BaseExecutor):
    """Runs submitted jobs one after another in one daemon thread."""

    def start(self, scheduler, alias):
        super().start(scheduler, alias)
        self._queue: queue.Queue = queue.Queue()
        self._busy = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="riskgraph-jobs", daemon=True)
        self._thread.start()

    def shutdown(self, wait=True):
        self._queue.put(None)
        if wait:
            self._thread.join()

    def _do_submit_job(self, job, run_times):
        with self._idle:
            self._busy += 1
        self._queue.put((job, run_times))

    def _work(self):
        while (item := self._queue.get()) is not None:
            job, run_times = item
            try:
                events = run_job(job, job._jobstore_alias, run_times, self._logger.name)
            except BaseException:
                self._run_job_error(job.id, *sys.exc_info()[1:])
            else:
                self._run_job_success(job.id, events)
            finally:
                with self._idle:
                    self._busy -= 1
                    self._idle.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is queued or running; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)


class DrivenScheduler(BaseScheduler):
    """An APScheduler whose loop is ours (``SchedulerService.serve``) and which a test
    or ``--once`` can step with ``process_due()``."""

    def __init__(self, **options):
        self._wake = threading.Event()
        super().__init__(**options)

    def shutdown(self, wait=True):
        super().shutdown(wait)
        self._wake.set()

    def wakeup(self):
        self._wake.set()

    def sleep(self, seconds: float) -> None:
        """Wait up to ``seconds``, less when woken (a job was added, or a stop)."""
        self._wake.wait(seconds)
        self._wake.clear()

    def process_due(self) -> float | None:
        """Submit every due job (coalesced; too-late runs are skipped as missed).
        Returns the seconds until the next one is due."""
        return self._process_jobs()


class SchedulerService:
    def __init__(self, runtime: Runtime, engine: sa.Engine, once: bool = False):
        self.runtime = runtime
        self.config = runtime.config
        self.clock = runtime.clock
        self.engine = engine
        self.once = once
        self.holder = lease.new_holder()
        self.executor = SerialExecutor()
        self.scheduler = DrivenScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
            executors={"default": self.executor},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": self.config.misfire_grace_seconds},
            timezone=self.config.timezone)
        runtime.add_one_off = self.add_one_off
        self._stopped = False

    # -- start ----------------------------------------------------------------------------
    def start(self) -> None:
        cfg = self.config
        if not lease.acquire(self.runtime.sessions, cfg.lease_name, self.holder, cfg.lease_ttl,
                             self.clock()):
            held = lease.current(self.runtime.sessions, cfg.lease_name)
            raise LeaseHeld(f"另一个调度器进程正在运行（{held.holder if held else '?'}，"
                            f"租约至{held.expires_at if held else '?'}）")
        try:
            abandoned = self.abandon(stale=True)
            if abandoned:
                log.warning("上次调度器进程遗留的%s个运行已标记为放弃：%s", len(abandoned), abandoned)
            scheduler_jobs.activate(self.runtime)
            self.scheduler.start(paused=True)
            self.sync_jobs()
            self.scheduler.resume()
        except BaseException:
            scheduler_jobs.activate(None)
            lease.release(self.runtime.sessions, cfg.lease_name, self.holder)
            raise

    def sync_jobs(self) -> list[str]:
        """Make the persisted jobs match the configuration, keeping the next run times of
        unchanged ones (so a missed run is still caught up after a restart)."""
        cfg = self.config
        wanted: dict[str, tuple[Any, str, dict]] = {}
        for spec in cfg.jobs.values():
            wanted[spec.job_id] = (cfg.trigger(spec), "run_group", {"name": spec.name})
        if cfg.incremental.enabled:
            wanted["imports:recheck"] = (
                IntervalTrigger(seconds=cfg.incremental.every_seconds, timezone=cfg.timezone,
                                start_date=self.clock()),
                "recheck_imports", {})
        if self.runtime.alerts.digest:
            wanted["alerts:digest"] = (
                CronTrigger.from_crontab(self.runtime.alerts.email.options["digest_cron"],
                                         timezone=cfg.timezone), "send_digests", {})
        for job in self.scheduler.get_jobs():
            if job.id.startswith(OWN_PREFIXES) and job.id not in wanted:
                self.scheduler.remove_job(job.id)
        for job_id, (trigger, func, kwargs) in wanted.items():
            existing = self.scheduler.get_job(job_id)
            ref = f"{JOBS}:{func}"
            if existing is None:
                extra = {"next_run_time": self.clock()} if self.once else {}
                self.scheduler.add_job(ref, trigger, id=job_id, name=job_id, kwargs=kwargs,
                                       **extra)
            elif str(existing.trigger) != str(trigger):
                self.scheduler.modify_job(job_id, func=ref, kwargs=kwargs)
                self.scheduler.reschedule_job(job_id, trigger=trigger)
            else:
                self.scheduler.modify_job(
                    job_id, func=ref, kwargs=kwargs, coalesce=True, max_instances=1,
                    misfire_grace_time=cfg.misfire_grace_seconds)
        return sorted(wanted)

    def add_one_off(self, job_id: str, func: str, kwargs: dict, when: datetime) -> None:
        self.scheduler.add_job(f"{JOBS}:{func}", DateTrigger(run_date=when), id=job_id,
                               name=job_id, kwargs=kwargs, replace_existing=True)

    # -- running ----------------------------------------------------------------------------
    def run_pending(self, timeout: float | None = None) -> bool:
        """Submit the due jobs and wait until they (and nothing else) are done."""
        self.scheduler.process_due()
        return self.executor.wait_idle(timeout)

    def run_once(self, should_stop: threading.Event) -> None:
        """``--once``: the due jobs, renewing the lease while they run, until done or
        ``should_stop``."""
        self.scheduler.process_due()
        while not self.executor.wait_idle(self.config.lease_renew):
            if should_stop.is_set() or not self.renew():
                return

    def renew(self) -> bool:
        cfg = self.config
        ok = lease.renew(self.runtime.sessions, cfg.lease_name, self.holder, cfg.lease_ttl,
                         self.clock())
        if not ok:
            log.error("调度器租约已失去（另一个进程接管），停止")
        return ok

    def serve(self, should_stop: threading.Event) -> None:
        """The process loop: run due jobs, renew the lease, until ``should_stop``."""
        renew_every = self.config.lease_renew
        while not should_stop.is_set():
            wait = self.scheduler.process_due()
            if not self.renew():
                break
            self.scheduler.sleep(min(wait if wait is not None else renew_every, renew_every))

    # -- stopping ---------------------------------------------------------------------------
    def abandon(self, stale: bool = False) -> list[int]:
        """Mark runs still ``running`` as abandoned: those of this process's current
        sweeps, or (``stale``) every scheduler sweep's (their process is gone: we hold
        the lease)."""
        where = [Run.status == RunStatus.RUNNING]
        if stale:
            where.append(Run.sweep_id.like(f"{SWEEP_PREFIX}%"))
        else:
            active = sorted(self.runtime.active_sweeps)
            if not active:
                return []
            where.append(Run.sweep_id.in_(active))
        with session_scope(self.runtime.sessions) as session:
            ids = list(session.scalars(sa.select(Run.id).where(*where)))
            if ids:
                session.execute(sa.update(Run).where(Run.id.in_(ids), *where).values(
                    status=RunStatus.ABANDONED, finished_at=utcnow(),
                    error="调度器停止或异常退出，本次运行被放弃（未写入任何结果）"))
        return ids

    def stop(self, grace: float | None = None) -> bool:
        """Stop cleanly; True when the current run finished, False when it was abandoned."""
        if self._stopped:
            return True
        self._stopped = True
        grace = self.config.stop_grace_seconds if grace is None else grace
        self.runtime.stopping.set()
        finished = self.executor.wait_idle(grace)
        if not finished:
            ids = self.abandon()
            log.warning("停止时运行未结束，已标记为放弃：%s", ids)
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.shutdown(wait=False)
        scheduler_jobs.activate(None)
        lease.release(self.runtime.sessions, self.config.lease_name, self.holder)
        return finished


def real_clock() -> datetime:
    return datetime.now(UTC)


Clock = Callable[[], datetime]
