"""`riskgraph posts`: score every post (高风险岗位) and print the top of the ranking."""

from __future__ import annotations

import click

from riskgraph.cli import _settings, main
from riskgraph.detectors.post_risk import LEVEL_ZH


@main.command("posts")
@click.option("--top", type=int, default=20, show_default=True, help="How many posts to print.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day to take as today (default: settings detectors.as_of, or today).")
def posts_cmd(top: int, as_of) -> None:
    """Score and rank every post; the ranking is kept as a sweep of its own."""
    from riskgraph.graph import open_graph
    from riskgraph.postscores import score_posts
    from riskgraph.store import make_engine, session_factory
    from riskgraph.sweep import as_of_date, new_sweep_id

    settings = _settings()
    day = as_of_date(settings, as_of.date() if as_of else None)
    sweep_id = new_sweep_id()
    engine = make_engine(settings.store_url)
    try:
        with open_graph(settings) as graph:
            ranking = score_posts(graph, session_factory(engine), settings, sweep_id, day)
    finally:
        engine.dispose()
    click.echo(f"岗位风险评分 {sweep_id}（基准日 {day}）：共{len(ranking)}个岗位，"
               f"高风险{sum(s.level == 'high' for s in ranking)}个，"
               f"中风险{sum(s.level == 'medium' for s in ranking)}个")
    for s in ranking[:top]:
        p = s.post
        level = LEVEL_ZH.get(s.level or "", "—")
        click.echo(f"{s.rank:>4}. {s.score:>5.1f}分 [{level}] {p.post_name}"
                   f"（{p.holder_name or '空缺'}）")
        for f in s.factors:
            click.echo(f"        {f.label} {f.points:g}分：{f.detail}")


