"""The run history page (/runs/): administrators only, the web environment's real sweep
listed with its detectors and counts, failed attempts and retries told apart, the
dashboard's notice of failed runs, every view audited.

Runs made up here (a failed and a recovered sweep) are removed afterwards: the web
environment is shared with other modules."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from webkit import audit_rows, web  # noqa: F401  (fixture)

from riskgraph.store import Run, session_scope, utcnow
from riskgraph.store.vocab import RunStatus, RunTrigger

pytestmark = pytest.mark.integration


def real_sweep(web) -> tuple[str, list[Run]]:
    """The sweep the web environment ran on its generated data."""
    with web.sessions() as s:
        sweep_id = s.scalar(sa.select(Run.sweep_id).where(~Run.sweep_id.like("t-%"))
                            .order_by(Run.id).limit(1))
        runs = list(s.scalars(sa.select(Run).where(Run.sweep_id == sweep_id)))
        s.expunge_all()
        return sweep_id, runs


@pytest.fixture
def troubled(web):
    """Sweep t-fail: money_loop failed twice (given up), recusal failed once and then
    succeeded. Sweep t-rec: region_avoidance failed once, then succeeded. Sweep t-imp: a
    re-check after an import, region_avoidance with nothing to check, procurement_flags
    on 7 projects."""
    now = utcnow()

    def run(sweep, detector, status, attempt, minutes, error=None, new=0):
        return Run(sweep_id=sweep, detector=detector, rule_version="1", status=status,
                   trigger=RunTrigger.SCHEDULED, attempt=attempt, duration_s=1.5,
                   started_at=now - timedelta(minutes=minutes), finished_at=now,
                   count_new=new, error=error)
    boom = "RuntimeError: 图数据库连接中断\nTraceback (most recent call last): ..."
    rows = [run("t-fail", "money_loop", RunStatus.FAILED, 1, 30, boom),
            run("t-fail", "recusal", RunStatus.FAILED, 1, 29, boom),
            run("t-fail", "money_loop", RunStatus.FAILED, 2, 20, boom),
            run("t-fail", "recusal", RunStatus.SUCCEEDED, 2, 19, new=2),
            run("t-rec", "region_avoidance", RunStatus.FAILED, 1, 10, boom),
            run("t-rec", "region_avoidance", RunStatus.SUCCEEDED, 2, 5, new=1),
            run("t-imp", "region_avoidance", RunStatus.SUCCEEDED, 1, 2),
            run("t-imp", "procurement_flags", RunStatus.SUCCEEDED, 1, 2)]
    rows[-2].scope_size, rows[-1].scope_size = 0, 7
    for r in rows[-2:]:
        r.trigger, r.note = RunTrigger.IMPORT, "涉及7名干部，增量检查"
    with session_scope(web.sessions) as s:
        s.add_all(rows)
    yield
    with session_scope(web.sessions) as s:
        s.execute(sa.delete(Run).where(Run.sweep_id.in_(["t-fail", "t-rec", "t-imp"])))


def test_only_administrators_see_the_run_history(web):
    assert web.client().get("/runs/").status_code == 302            # to sign in
    for name in ("insp", "officer", "secretary", "auditor"):
        assert web.client(name).get("/runs/").status_code == 403, name
    admin = web.client("admin")
    page = admin.get("/").get_data(as_text=True)
    assert 'href="/runs/"' in page
    assert 'href="/runs/"' not in web.client("insp").get("/").get_data(as_text=True)


def test_the_real_sweep_is_listed_with_its_runs(web):
    sweep_id, runs = real_sweep(web)
    admin = web.client("admin")
    listing = admin.get("/runs/").get_data(as_text=True)
    assert sweep_id in listing and "手动运行" in listing
    page = admin.get(f"/runs/{sweep_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for r in runs:
        assert f"<code class=\"small\">{r.detector}</code>" in html
    # each run's counts, as the store has them
    rows = re.findall(r'<tr class="[^"]*">(.*?)</tr>', html, re.DOTALL)
    assert len(rows) == len(runs)
    new_total = sum(r.count_new for r in runs)
    assert new_total > 0                 # the sweep found the planted cases
    cells = [re.findall(r'<td class="num">(\d+)</td>', row) for row in rows]
    assert sum(int(c[1]) for c in cells) == new_total      # attempt, new, present, resolved
    assert audit_rows(web, action="view", object_type="run_history", object_id=sweep_id)
    assert admin.get("/runs/no-such-sweep").status_code == 404


def test_failures_retries_and_the_dashboard_notice(web, troubled):
    admin = web.client("admin")
    failed = admin.get("/runs/?failed=1").get_data(as_text=True)
    assert "t-fail" in failed and "t-rec" in failed
    sweep_id, _ = real_sweep(web)
    assert sweep_id not in failed                              # nothing of it failed
    assert "有失败" in failed and "重试后成功" in failed

    html = admin.get("/runs/t-fail").get_data(as_text=True)
    assert "图数据库连接中断" in html and "Traceback" in html   # the error, whole
    # money_loop's last attempt failed; recusal's first attempt was superseded
    assert len(re.findall(r'<tr class="superseded">', html)) == 2
    assert html.count('<span class="tag run-failed">失败</span>') == 3

    notice = "近7天有 1 批检测运行失败"                           # t-fail; t-rec recovered
    assert notice in admin.get("/").get_data(as_text=True)
    assert notice not in web.client("insp").get("/").get_data(as_text=True)
    imports = admin.get("/runs/?trigger=import").get_data(as_text=True)
    assert "t-fail" not in imports and "t-imp" in imports


def test_a_recheck_says_why_and_how_much(web, troubled):
    html = web.client("admin").get("/runs/t-imp").get_data(as_text=True)
    assert "涉及7名干部，增量检查" in html                     # the plan's reason
    assert "无需检查" in html and "7个项目" in html            # scoped by projects
    sweep_id, _ = real_sweep(web)
    assert html.count("全图") == 0
    assert "全图" in web.client("admin").get(f"/runs/{sweep_id}").get_data(as_text=True)
