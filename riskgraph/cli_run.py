"""`riskgraph run` and `riskgraph evaluate`: detector sweeps and their accuracy."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from riskgraph.cli import _settings, main


def manifest_as_of(data_dir: Path) -> dt.date | None:
    """The as-of date a generated data set states in its manifest, if any."""
    path = data_dir / "manifest.json"
    if not path.exists():
        return None
    value = json.loads(path.read_text(encoding="utf-8")).get("as_of")
    return dt.date.fromisoformat(value) if value else None


def run_detectors(settings, names=(), as_of: dt.date | None = None, echo=click.echo):
    from riskgraph.graph import open_graph
    from riskgraph.store import make_engine, session_factory
    from riskgraph.sweep import run_sweep

    engine = make_engine(settings.store_url)
    try:
        with open_graph(settings) as graph:
            def show(s):
                if s.error:
                    first = s.error.splitlines()[0]
                    echo(f"  ✗ {s.detector}：失败（{first}）")
                    return
                echo(f"  ✓ {s.detector}：{s.hits}项，新增{s.new}，仍存在{s.present}，"
                     f"已消除{s.resolved}，用时{s.seconds:.1f}秒（数据库{s.db_seconds:.1f}秒）")
                for w in s.warnings:
                    echo(f"    ! {w}")

            sessions = session_factory(engine)
            result = run_sweep(graph, sessions, settings, names or None, as_of=as_of, echo=show)
            from riskgraph.aftersweep import finish_sweep

            after = finish_sweep(sessions, result)
            if after.ranking is not None:
                echo(f"  ✓ 岗位风险评分：{len(after.ranking)}个岗位，"
                     f"高风险{sum(s.level == 'high' for s in after.ranking)}个")
            counts = after.levels.counts
            echo(f"  ✓ 三色预警：红{counts.get('red', 0)}人，黄{counts.get('yellow', 0)}人，"
                 f"有问题线索的绿{counts.get('green', 0)}人；等级变化{len(after.levels.changes)}人")
            raised = raise_alerts(graph, sessions, settings, result)
            echo(f"  ✓ 预警通知：{raised}条")
    finally:
        engine.dispose()
    return result


def raise_alerts(graph, sessions, settings, result) -> int:
    """Alerts for a manual sweep, as the scheduler raises them: new findings at or above
    the configured severity and level rises, each delivered once now (a delivery that
    fails stays pending for the scheduler's retries)."""
    from riskgraph import alert_delivery, alerts
    from riskgraph.alerts_config import load_alerts_config
    from riskgraph.store import session_scope, utcnow

    cfg = load_alerts_config(settings.get("scheduler", "alerts_config") or None)
    resolver = alerts.ScopeResolver(graph)
    ids: list[int] = []
    with session_scope(sessions) as session:
        for run in result.runs:
            ids += [a.id for a in alerts.raise_for_run(session, cfg, run.run_id, resolver)]
        ids += [a.id for a in alerts.raise_level_rises(session, cfg, utcnow(), resolver)]
    for delivery_id in alert_delivery.pending(sessions, ids) if ids else ():
        alert_delivery.attempt(sessions, cfg, delivery_id, utcnow())
    return len(ids)


@main.command("run")
@click.argument("detector_names", nargs=-1)
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day to take as today (default: settings detectors.as_of, or today).")
def run_cmd(detector_names: tuple[str, ...], as_of) -> None:
    """Run detectors (all enabled ones by default) and update the findings."""
    from riskgraph import detectors

    for name in detector_names:
        if name not in detectors.names():
            raise click.BadParameter(f"未知检测器 {name}；可用：{', '.join(detectors.names())}")
    settings = _settings()
    day = as_of.date() if as_of else None
    result = run_detectors(settings, detector_names, day)
    click.echo(f"扫描 {result.sweep_id}（基准日 {result.as_of}）完成："
               f"{len(result.runs) - len(result.failed)}个成功，{len(result.failed)}个失败")
    if result.failed:
        sys.exit(1)


@main.command("evaluate")
@click.argument("ground_truth", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--require", type=float, default=None,
              help="Exit 1 unless every implemented detector reaches this precision and recall.")
def evaluate_cmd(ground_truth: Path, require: float | None) -> None:
    """Compare the present findings with a generated data set's planted cases."""
    click.echo(evaluation_report(_settings(), ground_truth, require))


def evaluation_report(settings, ground_truth: Path, require: float | None = None) -> str:
    from riskgraph import detectors
    from riskgraph.evaluate import evaluate, load_cases, present_findings, report
    from riskgraph.store import make_engine, session_factory, session_scope

    engine = make_engine(settings.store_url)
    try:
        with session_scope(session_factory(engine)) as session:
            found = present_findings(session)
    finally:
        engine.dispose()
    implemented = detectors.names()
    scores = evaluate(load_cases(ground_truth), found, implemented)
    text = report(scores, implemented)
    if require is not None:
        low = [s.detector for s in scores if s.detector in implemented and s.evaluated
               and (s.precision < require or s.recall < require)]
        if low:
            raise click.ClickException(f"{text}\n未达到{require}：{', '.join(low)}")
    return text
