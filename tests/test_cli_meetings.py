"""`riskgraph integrity draft|export` and `riskgraph meeting export` on the session's
embedded database and a fresh store, as named users."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from workflowkit import (
    CITY,
    HOME,
    TWO,
    county_graph,
    make_users,
    region_findings,
    signed_meeting,
)

from riskgraph.cli import main
from riskgraph.dossier.browser import BrowserMissing, chromium_path

pytestmark = pytest.mark.integration


@pytest.fixture
def env(graph, store, settings, monkeypatch):
    county_graph(graph)
    users = make_users(store)
    findings = region_findings(graph, store, settings)
    monkeypatch.setenv("RISKGRAPH_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("RISKGRAPH_DATABASE_URL", str(store.kw["bind"].url))
    return users, findings


def test_integrity_draft_from_a_file(env, tmp_path):
    path = tmp_path / "拟提拔人选.csv"
    path.write_text(f"姓名,身份证号\n张建国,{HOME}\n王二,{TWO}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["integrity", "draft", str(path), "--user", "org",
                                       "--as-of", "2025-12-31"])
    assert result.exit_code == 0, result.output
    assert "意见回复批次 1：2人" in result.output
    assert "张建国（" + HOME + "）：有说明事项" in result.output
    assert "王二（" + TWO + "）：无不同意见" in result.output
    refused = CliRunner().invoke(main, ["integrity", "draft", str(path), "--user", "sec"])
    assert refused.exit_code == 1 and "需要以下角色之一：组织部门" in refused.output
    path.write_text(f"姓名,身份证号\n李明,{CITY[:-1]}Y\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["integrity", "draft", str(path), "--user", "org"])
    assert bad.exit_code == 1 and "拟提拔人选.csv 第2行 身份证号：" in bad.output


def test_meeting_export_needs_one_format(env, store, tmp_path):
    users, findings = env
    mid = signed_meeting(store, users, findings)
    result = CliRunner().invoke(main, ["meeting", "export", str(mid), "--user", "insp"])
    assert result.exit_code == 2 and "二选一" in result.output
    try:
        chromium_path()
    except BrowserMissing:
        pytest.skip("Chromium is not installed")
    out = tmp_path / "m.docx"
    result = CliRunner().invoke(main, ["meeting", "export", str(mid), "--docx", str(out),
                                       "--user", "insp"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 10_000 and "已导出会商纪要" in result.output
