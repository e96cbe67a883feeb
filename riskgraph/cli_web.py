"""`riskgraph serve` (the review web UI under waitress) and `riskgraph user ...`.

The web package (``webui``) is imported only inside `serve`: riskgraph itself never
imports Flask.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import click

from riskgraph.authz import ROLE_ZH
from riskgraph.cli import _settings, main
from riskgraph.store.vocab import Role


@main.command()
@click.option("--host", default=None, help="Address to listen on (default: settings web.host).")
@click.option("--port", type=int, default=None, help="Port (default: settings web.port).")
def serve(host: str | None, port: int | None) -> None:
    """Run the review web UI with the production WSGI server (waitress)."""
    run_server(_settings(), host, port)


def run_server(settings, host: str | None = None, port: int | None = None) -> None:
    from waitress import serve as waitress_serve

    from webui import create_app

    web = settings.values["web"]
    app = create_app(settings)
    host, port = host or web["host"], port or int(web["port"])
    # the link investigation's entity index takes seconds to load: not on a user's request
    threading.Thread(target=app.extensions["riskgraph"]["links"].index.warm, daemon=True).start()
    click.echo(f"审核界面已启动：http://{host}:{port}/ （Ctrl+C 停止）")
    waitress_serve(app, host=host, port=port, threads=int(web["threads"]), ident="riskgraph")


@main.group()
def user() -> None:
    """Manage accounts of the web UI."""


@contextmanager
def _accounts():
    """A store session (migrated first) committed at the end; account errors become
    click errors."""
    from riskgraph.services.users import UserError
    from riskgraph.store import make_engine, session_factory, session_scope
    from riskgraph.store.migrate import upgrade

    settings = _settings()
    upgrade(settings.store_url)
    try:
        with session_scope(session_factory(make_engine(settings.store_url))) as session:
            yield session
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


def _password(value: str | None) -> str:
    return value or click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", default=None, help="Display name (default: the username).")
@click.option("--scope", "scope", multiple=True,
              help="Organisation id whose subtree the user may see (repeatable; '*' = all).")
@click.option("--rank", "ranks", multiple=True, help="Restrict the scope to these cadre ranks.")
@click.option("--password", default=None, help="Password (prompted when not given).")
def user_add(username, role, display_name, scope, ranks, password) -> None:
    """Create an account."""
    from riskgraph.services.users import add_user

    with _accounts() as session:
        u = add_user(session, username, _password(password), role, display_name, list(scope), list(ranks))
        click.echo(f"已创建用户 {username}（{ROLE_ZH[u.role]}），数据范围：{_scope_zh(u)}")


@user.command("passwd")
@click.argument("username")
@click.option("--password", default=None, help="New password (prompted when not given).")
def user_passwd(username, password) -> None:
    """Set a new password (also lifts a lockout and ends the user's sessions)."""
    from riskgraph.services.users import set_password

    with _accounts() as session:
        set_password(session, username, _password(password))
    click.echo(f"已更新用户 {username} 的密码")


@user.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Re-enable the account instead.")
def user_disable(username, enable) -> None:
    """Disable an account (it can no longer sign in; open sessions end)."""
    from riskgraph.services.users import set_active

    with _accounts() as session:
        set_active(session, username, enable)
    click.echo(f"已{'启用' if enable else '停用'}用户 {username}")


@user.command("unlock")
@click.argument("username")
def user_unlock(username) -> None:
    """Lift the lockout after repeated failed sign-ins."""
    from riskgraph.services.users import unlock

    with _accounts() as session:
        unlock(session, username)
    click.echo(f"已解除用户 {username} 的锁定")


@user.command("list")
def user_list() -> None:
    """List the accounts with role, scope and status."""
    from riskgraph.services.users import active_users, locked_until

    tz = _settings().timezone
    with _accounts() as session:
        for u in active_users(session, include_inactive=True):
            locked = locked_until(u)
            state = ("已停用" if not u.active else
                     f"锁定至{locked.astimezone(tz):%Y-%m-%d %H:%M}" if locked else "正常")
            last = f"{u.last_login_at.astimezone(tz):%Y-%m-%d %H:%M}" if u.last_login_at else "从未登录"
            click.echo(f"{u.username}\t{u.display_name}\t{ROLE_ZH[u.role]}\t{_scope_zh(u)}\t{state}\t{last}")


def _scope_zh(u) -> str:
    from riskgraph.schema import default_schema

    orgs = "全部单位" if "*" in u.scope_org_ids else "、".join(u.scope_org_ids) or "无"
    if u.scope_ranks:
        rank_zh = default_schema().enums["rank"]
        orgs += "（职级：" + "、".join(rank_zh[r] for r in u.scope_ranks) + "）"
    return orgs


def demo_account(settings) -> tuple[str, str] | None:
    """Create the demo's inspector account (all organisations in scope) with a random
    password kept in var/demo/account (0600); (username, password), or None when it
    exists already and its password file is gone."""
    import os
    import secrets

    from riskgraph.services.users import add_user, by_name
    from riskgraph.store import make_engine, session_factory, session_scope

    path = settings.var_dir / "demo" / "account"
    engine = make_engine(settings.store_url)
    try:
        with session_scope(session_factory(engine)) as session:
            if by_name(session, "demo") is None:
                password = secrets.token_urlsafe(12)
                add_user(session, "demo", password, Role.INSPECTOR, "演示纪检干部", ["*"])
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(f"demo {password}\n")
    finally:
        engine.dispose()
    if not path.exists():
        return None
    name, password = path.read_text().split()
    return name, password
