"""The application-state store: migrations, models and their guarantees.

Every test that takes ``url`` runs on SQLite (a file in tmp_path) and on a real
PostgreSQL server started by the ``postgres`` fixture in a temporary folder (skipped,
with the reason, when the PostgreSQL binaries or the psycopg driver are missing).
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from riskgraph.store import (
    AppendOnlyError,
    AuditEntry,
    Base,
    Finding,
    FindingEvent,
    FindingSubject,
    ImportBatch,
    ImportRejection,
    Meeting,
    MeetingEntry,
    Run,
    User,
    finding_key,
    make_engine,
    migrate,
    session_factory,
    session_scope,
)
from riskgraph.store.base import FOREIGN_TABLES
from riskgraph.store.models import MAX_REJECTED_VALUE
from riskgraph.store.vocab import ReviewStatus, Role, RunTrigger, Severity

# --------------------------------------------------------------------------- fixtures


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL server on a Unix socket; yields the socket folder."""
    pytest.importorskip("psycopg", reason="the psycopg driver (psycopg[binary]) is not installed")
    bindir = _pg_bin()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="rg-pg-"))   # short: socket paths are limited
    if os.geteuid() == 0:   # initdb refuses to run as root
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser to drop to the postgres user")
        try:
            shutil.chown(folder, user="postgres")
        except LookupError:
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_user, bindir / "initdb", "-D", data, "-A", "trust", "-U", "riskgraph",
         "-E", "UTF8", "--locale=C", "--no-sync"],
        check=True, capture_output=True,
    )
    options = f"-k {folder} -c listen_addresses= -c fsync=off"
    subprocess.run(
        [*as_user, bindir / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log",
         "-w", "start"],
        check=True, capture_output=True,
    )
    try:
        yield folder
    finally:
        subprocess.run([*as_user, bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w",
                        "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'store.sqlite3'}"
    socket = request.getfixturevalue("postgres")
    name = f"store_test_{next(_databases)}"
    admin = sa.create_engine(f"postgresql+psycopg://riskgraph@/postgres?host={socket}",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return f"postgresql+psycopg://riskgraph@/{name}?host={socket}"


@pytest.fixture
def factory(url):
    """A session factory on a database upgraded to head."""
    migrate.upgrade(url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def _user(session, name="inspector1") -> User:
    user = User(username=name, display_name="检查员", password_hash="x", role=Role.INSPECTOR)
    session.add(user)
    session.flush()
    return user


def _finding(session, key="k1", **fields) -> Finding:
    run = Run(sweep_id="s1", detector="kin_same_org", rule_version="1",
              trigger=RunTrigger.MANUAL)
    session.add(run)
    session.flush()
    finding = Finding(key=key, detector="kin_same_org", rule_version="1",
                      severity=Severity.HIGH, title="亲属同单位任职", explanation="说明",
                      first_seen_run_id=run.id, last_seen_run_id=run.id, **fields)
    session.add(finding)
    session.flush()
    return finding


# ------------------------------------------------------------------------- migrations


def test_upgrade_creates_all_tables(url):
    assert migrate.current_revision(url) is None
    migrate.upgrade(url)
    engine = make_engine(url)
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.is_up_to_date(url)


def test_upgrade_twice_is_a_no_op(url):
    migrate.upgrade(url)
    engine = make_engine(url)
    with session_scope(session_factory(engine)) as session:
        _user(session)
    engine.dispose()
    migrate.upgrade(url)
    assert migrate.current_revision(url) == migrate.head_revision()
    engine = make_engine(url)
    with session_scope(session_factory(engine)) as session:
        assert session.scalars(sa.select(User.username)).all() == ["inspector1"]
    engine.dispose()


def test_processes_upgrading_at_once_do_not_collide(url):
    """The web app and the scheduler may both upgrade at start-up."""
    command = [sys.executable, "-m", "riskgraph.store.migrate", "upgrade", url]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert migrate.current_revision(url) == migrate.head_revision()


def test_models_match_migrations(url):
    migrate.upgrade(url)
    assert migrate.model_differences(url) == []


def test_downgrade_to_base_and_back(url):
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    engine = make_engine(url)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate.upgrade(url)
    assert migrate.model_differences(url) == []


def _ddl(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            " AND name NOT IN ('alembic_version')").fetchall()
    # A table rebuilt by Alembic's batch mode has its name quoted; nothing else differs.
    return {name: sorted(line.strip().rstrip(",").replace(f'TABLE "{name}"', f"TABLE {name}")
                         for line in sql.splitlines())
            for name, sql in rows}


def test_migrations_build_the_same_sqlite_schema_as_the_models(tmp_path):
    """Stricter than autogenerate: CHECK constraints and server defaults included."""
    migrate.upgrade(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    engine = make_engine(f"sqlite:///{tmp_path / 'created.sqlite3'}")
    Base.metadata.create_all(engine)
    engine.dispose()
    assert _ddl(tmp_path / "migrated.sqlite3") == _ddl(tmp_path / "created.sqlite3")


def test_apscheduler_job_table_is_left_alone(url):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    assert FOREIGN_TABLES == {"apscheduler_jobs"}
    assert not FOREIGN_TABLES & set(Base.metadata.tables)
    migrate.upgrade(url)
    engine = make_engine(url)
    jobstore = SQLAlchemyJobStore(engine=engine)
    jobstore.start(None, "default")
    assert "apscheduler_jobs" in sa.inspect(engine).get_table_names()
    engine.dispose()
    assert migrate.model_differences(url) == []
    migrate.upgrade(url)


# ----------------------------------------------------------------------------- models


def test_finding_key_is_unique(factory):
    with session_scope(factory) as session:
        _finding(session, key="dup")
    with pytest.raises(IntegrityError), session_scope(factory) as session:
        _finding(session, key="dup")


def test_finding_key_ignores_order_and_repeats():
    assert finding_key("d", "2", ["b", "a", "b"]) == finding_key("d", "2", ["a", "b"])
    assert finding_key("d", "2", ["a"]) != finding_key("d", "3", ["a"])
    with pytest.raises(ValueError):
        finding_key("a:b", "1", ["x"])


def test_concurrent_review_raises_stale_data(factory):
    with session_scope(factory) as session:
        finding_id = _finding(session).id
    first, second = factory(), factory()
    try:
        mine = first.get(Finding, finding_id)
        theirs = second.get(Finding, finding_id)
        mine.review_status = ReviewStatus.CONFIRMED
        first.commit()
        assert mine.version == 2
        theirs.review_status = ReviewStatus.DISMISSED
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    with session_scope(factory) as session:
        assert session.get(Finding, finding_id).review_status == ReviewStatus.CONFIRMED


def _append_only_row(session, model, username="inspector1"):
    user = _user(session, username)
    if model is FindingEvent:
        return FindingEvent(finding_id=_finding(session, key=username).id, user_id=user.id,
                            action="review", from_status="new", to_status="confirmed")
    if model is AuditEntry:
        return AuditEntry(user_id=user.id, username=user.username, action="view",
                          object_type="finding", object_id="1", detail={"q": "x"})
    meeting = Meeting(title="会商", date=date(2026, 3, 1), created_by=user.id)
    session.add(meeting)
    session.flush()
    return MeetingEntry(meeting_id=meeting.id, user_id=user.id, text="补充意见")


@pytest.mark.parametrize("model", [FindingEvent, AuditEntry, MeetingEntry])
def test_append_only_rows_refuse_update_and_delete(factory, model):
    with session_scope(factory) as session:
        row = _append_only_row(session, model)
        session.add(row)
    row_id = row.id
    with pytest.raises(AppendOnlyError), session_scope(factory) as session:
        entry = session.get(model, row_id)
        entry.at = entry.at + timedelta(days=1)
        session.flush()
    with pytest.raises(AppendOnlyError), session_scope(factory) as session:
        session.delete(session.get(model, row_id))
        session.flush()
    with pytest.raises(AppendOnlyError), session_scope(factory) as session:
        session.execute(sa.update(model).where(model.id == row_id).values(at=datetime.now(UTC)))
    with pytest.raises(AppendOnlyError), session_scope(factory) as session:
        session.execute(sa.delete(model.__table__).where(model.__table__.c.id == row_id))
    with session_scope(factory) as session:
        assert session.get(model, row_id).at == row.at
        session.add(_append_only_row(session, model, "inspector2"))   # inserting is fine
    with session_scope(factory) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 2


def test_json_and_datetimes_round_trip(factory):
    evidence = {
        "nodes": [{"label": "Person", "id": "P1", "name": "张三", "since": "2019-03-01"},
                  {"label": "Company", "id": "C1", "share": 51.5, "listed": False}],
        "edges": [{"type": "SPOUSE_OF", "from": "P1", "to": "P2", "source": None}],
        "rule": {"threshold": 5, "tags": ["任职回避", "亲属"]},
    }
    beijing = timezone(timedelta(hours=8))
    seen = datetime(2026, 1, 31, 8, 30, 15, 123456, tzinfo=beijing)
    with session_scope(factory) as session:
        finding = _finding(session, evidence=evidence, entities=[{"label": "Person",
                           "id": "P1", "name": "张三"}], resolved_at=seen)
        finding_id = finding.id
    with session_scope(factory) as session:
        loaded = session.get(Finding, finding_id)
        assert loaded.evidence == evidence
        assert loaded.entities[0]["name"] == "张三"
        assert loaded.resolved_at == seen
        assert loaded.resolved_at.tzinfo == UTC
        assert loaded.resolved_at.hour == 0
        assert loaded.created_at.tzinfo == UTC
        assert abs(loaded.created_at - datetime.now(UTC)) < timedelta(minutes=5)
        # 08:30:15+08:00 is 00:30:15Z, and queries compare instants:
        def after(moment):
            return session.scalars(sa.select(Finding.id).where(Finding.resolved_at > moment)).all()
        assert after(datetime(2026, 1, 31, 0, 30, tzinfo=UTC)) == [finding_id]
        assert after(datetime(2026, 1, 31, 0, 31, tzinfo=UTC)) == []
        assert after(datetime(2026, 1, 31, 8, 31, tzinfo=beijing)) == []
        assert session.scalars(sa.select(Finding.id).where(Finding.resolved_at == seen)).all() \
            == [finding_id]


def test_naive_datetimes_are_refused(factory):
    with pytest.raises(StatementError, match="naive datetime"), session_scope(factory) as s:
        _finding(s, resolved_at=datetime(2026, 1, 1, 12, 0))


def test_foreign_keys_are_enforced(factory):
    with pytest.raises(IntegrityError), session_scope(factory) as session:
        session.add(ImportRejection(batch_id="no-such-batch", row=2, reason="x"))


def test_vocabulary_is_checked_in_python_and_in_the_database(factory):
    with pytest.raises(StatementError), session_scope(factory) as session:
        session.add(User(username="u", display_name="u", password_hash="x", role="root"))
    with pytest.raises(IntegrityError), session_scope(factory) as session:
        session.execute(sa.text(
            "INSERT INTO users (username, display_name, password_hash, role, scope_org_ids,"
            " scope_ranks, created_at) VALUES ('u', 'u', 'x', 'root', '[]', '[]',"
            " CURRENT_TIMESTAMP)"))


def test_subject_and_org_index_rows_follow_the_lists(factory):
    with session_scope(factory) as session:
        finding = _finding(session, subject_ids=["P1", "P2", "P1"], org_ids=["O1"])
        finding_id = finding.id
    with session_scope(factory) as session:
        finding = session.get(Finding, finding_id)
        assert finding.subject_ids == ["P1", "P2"]
        finding.subject_ids = ["P2", "P3"]
    with session_scope(factory) as session:
        rows = session.execute(sa.select(FindingSubject.person_id).where(
            FindingSubject.finding_id == finding_id).order_by(FindingSubject.person_id))
        assert rows.scalars().all() == ["P2", "P3"]
        about_p3 = session.scalars(sa.select(Finding).join(FindingSubject).where(
            FindingSubject.person_id == "P3")).all()
        assert [f.id for f in about_p3] == [finding_id]


def test_import_batch_with_rejections(factory):
    with session_scope(factory) as session:
        batch = ImportBatch(id="b1", path="/in/cadres.xlsx", file_name="cadres.xlsx",
                            sha256="0" * 64, template="cadre")
        batch.rejections.append(ImportRejection(row=7, field="身份证号",
                                                value="9" * 2000, reason="校验位错误"))
        session.add(batch)
    with session_scope(factory) as session:
        batch = session.get(ImportBatch, "b1")
        assert batch.status == "running" and batch.rows_read == 0
        assert len(batch.rejections[0].value) == MAX_REJECTED_VALUE


def test_session_scope_rolls_back_on_error(factory):
    with pytest.raises(RuntimeError), session_scope(factory) as session:
        _user(session)
        raise RuntimeError("boom")
    with session_scope(factory) as session:
        assert session.scalars(sa.select(User)).all() == []


def test_sqlite_engine_creates_its_folder_and_uses_wal(tmp_path):
    path = tmp_path / "deep" / "var" / "store.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert path.exists()


def test_migrations_ship_inside_the_package():
    folder = migrate.MIGRATIONS_DIR
    assert folder.parent == Path(migrate.__file__).resolve().parent
    assert (folder / "env.py").exists() and (folder / "script.py.mako").exists()
    scripts = list((folder / "versions").glob("*.py"))
    # Revision scripts are snapshots: they must not depend on today's models.
    assert scripts and not [s for s in scripts if "import riskgraph" in s.read_text()
                            or "from riskgraph" in s.read_text()]
