"""`riskgraph user add|passwd|disable` on a fresh store, and signing in afterwards."""

from __future__ import annotations

from click.testing import CliRunner
from werkzeug.security import check_password_hash

from riskgraph.cli import main


def test_user_commands(tmp_path, monkeypatch):
    from riskgraph.store import User, make_engine, session_factory

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("RISKGRAPH_DATABASE_URL", url)
    monkeypatch.setenv("RISKGRAPH_VAR_DIR", str(tmp_path))
    run = CliRunner().invoke
    r = run(main, ["user", "add", "zhang", "--role", "inspector", "--name", "张科长",
                   "--scope", "ORG1", "--scope", "ORG2", "--password", "first-pass-1"])
    assert r.exit_code == 0, r.output
    assert "已创建用户 zhang" in r.output
    assert run(main, ["user", "add", "zhang", "--role", "admin", "--password", "x" * 9]).exit_code == 1
    assert "至少需要8位" in run(main, ["user", "passwd", "zhang", "--password", "short"]).output
    assert run(main, ["user", "passwd", "zhang", "--password", "second-pass-2"]).exit_code == 0
    assert run(main, ["user", "disable", "zhang"]).exit_code == 0
    assert run(main, ["user", "disable", "nobody"]).exit_code == 1
    engine = make_engine(url)
    with session_factory(engine)() as s:
        u = s.query(User).filter_by(username="zhang").one()
        assert (u.role, u.display_name, u.scope_org_ids, u.active) == ("inspector", "张科长", ["ORG1", "ORG2"], False)
        assert check_password_hash(u.password_hash, "second-pass-2")
        assert not u.password_hash.startswith("second")
    engine.dispose()


def test_user_list_unlock_and_the_last_admin(tmp_path, monkeypatch):
    """The CLI goes through the same account service as the web pages: the same checks
    (the last administrator stays), and each change is audited."""
    from datetime import timedelta

    from riskgraph.services.users import authenticate, by_name
    from riskgraph.store import AuditEntry, make_engine, session_factory, session_scope

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("RISKGRAPH_DATABASE_URL", url)
    monkeypatch.setenv("RISKGRAPH_VAR_DIR", str(tmp_path))
    run = CliRunner().invoke
    assert run(main, ["user", "add", "root", "--role", "admin", "--scope", "*",
                      "--password", "first-pass-1"]).exit_code == 0
    r = run(main, ["user", "add", "li", "--role", "inspector", "--scope", "ORG1", "--rank", "section",
                   "--password", "first-pass-1"])
    assert "已创建用户 li（纪检监察），数据范围：ORG1（职级：正科级）" in r.output
    assert "未知的职级" in run(main, ["user", "add", "wang", "--role", "inspector", "--rank", "boss",
                                 "--password", "first-pass-1"]).output
    r = run(main, ["user", "disable", "root"])
    assert r.exit_code == 1 and "至少需要保留一名启用的系统管理员账户" in r.output
    engine = make_engine(url)
    with session_scope(session_factory(engine)) as s:
        for _ in range(5):
            authenticate(s, "li", "wrong", 5, timedelta(minutes=15))
    assert "锁定至" in run(main, ["user", "list"]).output
    assert run(main, ["user", "unlock", "li"]).exit_code == 0
    out = run(main, ["user", "list"]).output.splitlines()
    assert out[0].split("\t")[:5] == ["li", "li", "纪检监察", "ORG1（职级：正科级）", "正常"]
    assert out[1].split("\t")[2:5] == ["系统管理员", "全部单位", "正常"]
    with session_factory(engine)() as s:
        assert by_name(s, "root").active
        ops = [(e.object_id, e.detail["op"]) for e in s.query(AuditEntry).order_by(AuditEntry.id)
               if e.object_type == "user"]
        assert ops == [("root", "add"), ("li", "add"), ("li", "unlock")]
    engine.dispose()
