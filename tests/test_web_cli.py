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
