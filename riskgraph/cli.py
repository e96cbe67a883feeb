"""The `riskgraph` command."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from riskgraph.settings import SettingsError, load_settings


def _settings():
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def main(verbose: bool) -> None:
    """riskgraph：干部监督风险预警平台 (graph-based supervision and risk warning)."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


# -- database ---------------------------------------------------------------------------
@main.group()
def db() -> None:
    """Manage the embedded graph database (ArcadeDB server process)."""


def _embedded_server():
    from riskgraph.embedded import EmbeddedServer

    settings = _settings()
    if not settings.embedded:
        raise click.ClickException(
            f"RISKGRAPH_NEO4J_URI is set ({settings.get('graph', 'neo4j_uri')}): "
            "the external Neo4j server is managed outside riskgraph")
    return EmbeddedServer(settings)


@db.command("start")
def db_start() -> None:
    """Start the embedded database and wait until it answers."""
    from riskgraph.embedded import EmbeddedServerError

    server = _embedded_server()
    try:
        info = server.start()
    except EmbeddedServerError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"嵌入式图数据库已运行：pid {info.pid}，Bolt {info.uri}，数据目录 {server.root}")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded database cleanly."""
    server = _embedded_server()
    click.echo("嵌入式图数据库已停止" if server.stop() else "嵌入式图数据库未在运行")


@db.command("status")
def db_status() -> None:
    """Show whether the embedded database runs (exit code 1 when it does not)."""
    server = _embedded_server()
    info = server.status()
    if info is None:
        click.echo(f"嵌入式图数据库未在运行（数据目录 {server.root}）")
        sys.exit(1)
    click.echo(f"运行中：pid {info.pid}，Bolt {info.uri}，HTTP 127.0.0.1:{info.http_port}，"
               f"数据库 {info.database}，数据目录 {server.root}")


# -- set-up -------------------------------------------------------------------------------
def initialise(settings, echo=click.echo) -> None:
    from riskgraph.graph import open_graph
    from riskgraph.graph_schema import apply_graph_schema
    from riskgraph.store.migrate import upgrade

    upgrade(settings.store_url)
    echo(f"应用状态库已就绪：{_safe_url(settings.store_url)}")
    with open_graph(settings) as graph:
        done = apply_graph_schema(graph)
    echo(f"图数据库约束与索引已就绪（{len(done)}项）")


def _safe_url(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
def init() -> None:
    """Create or migrate the application-state store and apply graph constraints."""
    initialise(_settings())


@main.command("templates")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--english", is_flag=True, help="English column headers instead of Chinese.")
def templates_cmd(out_dir: Path, english: bool) -> None:
    """Write an empty import template per entity/edge type, with a README."""
    from riskgraph.ingest.templates import write_templates
    from riskgraph.schema import default_schema

    written = write_templates(out_dir, default_schema(), chinese_headers=not english)
    click.echo(f"已写出{len(written) - 1}个模板和说明：{out_dir}")


# -- data -----------------------------------------------------------------------------------
def run_import(settings, paths: list[Path], force: bool = False, user: str | None = None,
               batch_size: int | None = None, echo=click.echo, initialised: bool = False) -> list:
    from riskgraph.graph import open_graph
    from riskgraph.ingest.ledger import StoreLedger
    from riskgraph.ingest.runner import Importer
    from riskgraph.store import make_engine, session_factory

    if not initialised:
        initialise(settings, echo=lambda _msg: None)
    engine = make_engine(settings.store_url)
    try:
        with open_graph(settings) as graph:
            importer = Importer(
                graph, StoreLedger(session_factory(engine), user), graph.schema,
                report_root=settings.var_dir / "imports",
                batch_size=batch_size or int(settings.get("import", "batch_size")), force=force,
                process_from_bytes=int(settings.get("import", "validation_process_from_bytes")))
            reports = importer.import_paths(paths)
    finally:
        engine.dispose()
    for r in reports:
        if r.status == "skipped":
            echo(f"跳过 {r.path.name}：相同内容已导入（批次 {r.batch_id}；--force 强制重新导入）")
        elif r.status == "failed":
            echo(f"失败 {r.path.name}：{r.error}")
        else:
            rate = r.rows_read / r.seconds if r.seconds else 0
            echo(f"完成 {r.path.name}：读取{r.rows_read}行，写入{r.written}行，拒绝{r.rejected}行，"
                 f"疑似重复{r.duplicates}人，{rate:,.0f}行/秒（批次 {r.batch_id}）"
                 + (f"；拒绝明细 {r.report_dir / 'rejections.csv'}" if r.rejected else ""))
    return reports


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Import files even if the same content was imported.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), help="Rows per transaction.")
@click.option("--user", default=None, help="Who imports (recorded with the batch).")
def import_cmd(paths: tuple[Path, ...], force: bool, batch_size: int | None, user: str | None) -> None:
    """Import CSV, XLSX or JSON-lines files (or folders of them) into the graph."""
    from riskgraph.ingest.readers import FileProblem

    try:
        reports = run_import(_settings(), list(paths), force, user, batch_size)
    except FileProblem as exc:
        raise click.ClickException(str(exc)) from None
    if any(r.status == "failed" for r in reports):
        sys.exit(1)


@main.command()
@click.option("--scale", type=click.Choice(["tiny", "county", "city", "province"]), default="county",
              show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
def generate(scale: str, seed: int, out_dir: Path) -> None:
    """Generate realistic synthetic import files with planted cases and ground truth."""
    from riskgraph.generate import generate as run_generate

    summary = _generate_with_progress(out_dir, scale, seed, run_generate)
    total = sum(v for v in summary.values() if isinstance(v, int))
    click.echo(f"已生成{scale}规模数据（种子{seed}）：{total:,}行，目录 {out_dir}")


def _generate_with_progress(out_dir: Path, scale: str, seed: int, run_generate):
    from riskgraph.progress import Progress

    bar: Progress | None = None

    def progress(stage: str, done: int, total: int | None) -> None:
        nonlocal bar
        if bar is None or bar.label != f"生成 {stage}":
            if bar is not None:
                bar.close()
            bar = Progress(f"生成 {stage}", total, unit="")
        bar.done = done
        bar.advance(0)

    summary = run_generate(out_dir, scale, seed, progress=progress)
    if bar is not None:
        bar.close()
    return summary


@main.command()
@click.option("--scale", type=click.Choice(["tiny", "county", "city"]), default="county", show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--no-serve", is_flag=True, help="Stop after the detectors (do not start the UI).")
def demo(scale: str, seed: int, no_serve: bool) -> None:
    """The whole product on the embedded database: generate data, load it, run every
    detector, show it."""
    from riskgraph.generate import generate as run_generate

    settings = _settings()
    out_dir = settings.var_dir / "demo" / f"{scale}-{seed}"
    if not (out_dir / "manifest.json").exists():
        click.echo(f"1/4 生成{scale}规模演示数据 → {out_dir}")
        _generate_with_progress(out_dir, scale, seed, run_generate)
    else:
        click.echo(f"1/4 使用已生成的演示数据 {out_dir}")
    click.echo("2/4 启动嵌入式图数据库并初始化")
    initialise(settings)
    click.echo("3/4 导入")
    reports = run_import(settings, [out_dir], user="demo", initialised=True)
    rejected = sum(r.rejected for r in reports)
    click.echo(f"演示数据已导入：{len(reports)}个文件，拒绝{rejected}行。")
    if any(r.status == "failed" for r in reports):
        sys.exit(1)
    from riskgraph.cli_run import evaluation_report, manifest_as_of, run_detectors

    as_of = manifest_as_of(out_dir)
    click.echo(f"4/4 运行全部检测器（基准日 {as_of}）")
    result = run_detectors(settings, as_of=as_of)
    click.echo("与植入案例对照（精确率/召回率）：")
    click.echo(evaluation_report(settings, out_dir / "ground_truth.jsonl"))
    if result.failed:
        sys.exit(1)
    if no_serve:
        click.echo("图数据库保持运行（riskgraph db stop 停止）。")
        return
    from riskgraph.cli_web import demo_account, run_server

    account = demo_account(settings)
    if account:
        click.echo(f"演示账号：{account[0]}  密码：{account[1]}（保存在 {settings.var_dir / 'demo' / 'account'}）")
    run_server(settings)


# Commands defined in their own modules register themselves on `main`.
from riskgraph import cli_run  # noqa: E402,F401
from riskgraph import cli_posts  # noqa: E402,F401
from riskgraph import cli_scheduler  # noqa: E402,F401
from riskgraph import cli_meetings  # noqa: E402,F401
from riskgraph import cli_web  # noqa: E402,F401
