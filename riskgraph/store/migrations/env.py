"""Alembic environment for the riskgraph store.

Run through ``riskgraph.store.migrate`` (which passes an open connection in
``config.attributes["connection"]``), not through an alembic.ini: the URL comes from
the caller or, failing that, from the riskgraph settings.
"""

from alembic import context

from riskgraph.store import migrate


def _url() -> str:
    config = context.config
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from riskgraph.settings import load_settings

        url = load_settings().store_url
    return url


def _run(connection) -> None:
    migrate.lock_for_migration(connection)
    context.configure(connection=connection, **migrate.context_options())
    with context.begin_transaction():
        context.run_migrations()
        migrate.check_foreign_keys(connection)


def run_offline() -> None:
    """Emit SQL to stdout (``--sql``) instead of running it."""
    context.configure(url=_url(), literal_binds=True, **migrate.context_options())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = migrate.migration_engine(_url())
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


try:
    _offline = context.is_offline_mode()
except NameError:   # imported outside Alembic (e.g. pytest --doctest-modules): no-op
    _offline = None
if _offline is True:
    run_offline()
elif _offline is False:
    run_online()
