"""`riskgraph scheduler [--once]` and `riskgraph runs`: scheduled sweeps and run history."""

from __future__ import annotations

import signal
import sys
import threading

import click

from riskgraph.cli import _settings, main


def build_service(settings, graph, engine, once: bool = False):
    from riskgraph.alerts_config import load_alerts_config
    from riskgraph.memory import Settler
    from riskgraph.scheduler import SchedulerService, real_clock
    from riskgraph.scheduler_config import load_scheduler_config
    from riskgraph.scheduler_jobs import Runtime, enabled_detectors
    from riskgraph.store import session_factory

    runtime = Runtime(
        graph=graph, sessions=session_factory(engine), settings=settings,
        config=load_scheduler_config(settings.get("scheduler", "config") or None,
                                     local_zone=settings.timezone.key),
        alerts=load_alerts_config(settings.get("scheduler", "alerts_config") or None),
        clock=real_clock, add_one_off=lambda *a: None, detectors=enabled_detectors(settings),
        settler=Settler())
    return SchedulerService(runtime, engine, once=once)


@main.command("scheduler")
@click.option("--once", is_flag=True, help="Run every due job (new jobs count as due) and exit.")
def scheduler_cmd(once: bool) -> None:
    """Run the detector schedule, import re-checks and alerts (own process; SIGTERM stops)."""
    from riskgraph.cli import initialise
    from riskgraph.graph import open_graph
    from riskgraph.scheduler import LeaseHeld
    from riskgraph.scheduler_config import SchedulerConfigError
    from riskgraph.store import make_engine

    settings = _settings()
    initialise(settings, echo=lambda _m: None)
    engine = make_engine(settings.store_url)
    stop = threading.Event()
    try:
        with open_graph(settings) as graph:
            try:
                service = build_service(settings, graph, engine, once)
                service.start()
            except (LeaseHeld, SchedulerConfigError) as exc:
                raise click.ClickException(str(exc)) from None
            previous = signal.signal(signal.SIGTERM, lambda *_: (stop.set(), service.scheduler.wakeup()))
            try:
                jobs = service.scheduler.get_jobs()
                click.echo(f"调度器已启动（{service.holder}），{len(jobs)}个作业：")
                for job in jobs:
                    click.echo(f"  {job.id}  下次运行 {job.next_run_time}")
                if once:
                    service.run_once(stop)
                else:
                    service.serve(stop)
            except KeyboardInterrupt:
                pass
            finally:
                finished = service.stop()
                signal.signal(signal.SIGTERM, previous)
            _report(service.runtime.summaries)
            if not finished:
                click.echo("当前运行未在宽限期内结束，已标记为放弃")
    finally:
        engine.dispose()
    failed = [s for s in service.runtime.summaries if s.error]
    if once and failed:
        sys.exit(1)


def _report(summaries) -> None:
    for s in summaries:
        if s.error:
            click.echo(f"  ✗ {s.detector}（运行{s.run_id}）：失败（{s.error.splitlines()[0]}）")
        else:
            click.echo(f"  ✓ {s.detector}（运行{s.run_id}）：新增{s.new}，仍存在{s.present}，"
                       f"已消除{s.resolved}，用时{s.seconds:.1f}秒")
    click.echo(f"调度器已停止：本次共{len(summaries)}个运行")


@main.command("runs")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
def runs_cmd(limit: int) -> None:
    """Show the run history (newest first): status, duration, counts, errors, attempt."""
    import sqlalchemy as sa

    from riskgraph.services.runs import scope_zh
    from riskgraph.store import Run, make_engine, session_factory, session_scope

    engine = make_engine(_settings().store_url)
    try:
        with session_scope(session_factory(engine)) as session:
            rows = session.scalars(sa.select(Run).order_by(Run.id.desc()).limit(limit)).all()
            for r in rows:
                took = f"{r.duration_s:.1f}秒" if r.duration_s is not None else "-"
                error = f"  错误：{r.error.splitlines()[0]}" if r.error else ""
                click.echo(f"{r.id:>6} {r.started_at:%Y-%m-%d %H:%M:%S} {r.detector:<24} "
                           f"{r.status:<10} 第{r.attempt}次 {r.trigger:<9} {took:>8} "
                           f"范围：{scope_zh(r)} "
                           f"新增{r.count_new} 仍存在{r.count_present} 已消除{r.count_resolved}"
                           f"{error}")
    finally:
        engine.dispose()
