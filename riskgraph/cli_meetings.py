"""`riskgraph meeting export` and `riskgraph integrity draft|export`: consultation-meeting
dossiers and integrity-opinion replies from the command line.

Each command acts as a named user of the store (``--user``): the same role checks,
watermark and audit entries as in the web app.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa

from riskgraph.cli import _settings, main


@contextmanager
def _session_as(username: str):
    """A store session (committed at the end) and the active user ``username``."""
    from riskgraph.store import User, make_engine, session_factory, session_scope

    engine = make_engine(_settings().store_url)
    try:
        with session_scope(session_factory(engine)) as session:
            user = session.scalar(sa.select(User).where(User.username == username))
            if user is None or not user.active:
                raise click.ClickException(f"用户 {username} 不存在或已停用")
            yield session, user
    finally:
        engine.dispose()


def _output(pdf: Path | None, docx: Path | None) -> tuple[str, Path]:
    if bool(pdf) == bool(docx):
        raise click.UsageError("请指定 --pdf 文件 或 --docx 文件（二选一）")
    return ("pdf", pdf) if pdf else ("docx", docx)


def _export(export, object_id: int, pdf: Path | None, docx: Path | None, username: str) -> Path:
    """Run a dossier export (``export_meeting`` / ``export_batch``) as ``username``."""
    fmt, out = _output(pdf, docx)
    with _session_as(username) as (session, user):
        export(session, user, object_id, fmt, out)
    return out


def _service_errors(fn):
    """Show the services' refusals (Chinese messages) as command errors."""
    from functools import wraps

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from riskgraph.authz import ServiceError
        from riskgraph.candidates import CandidateFileError
        from riskgraph.dossier.browser import BrowserMissing

        try:
            return fn(*args, **kwargs)
        except (ServiceError, CandidateFileError, BrowserMissing) as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


_pdf = click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), help="Write a PDF.")
_docx = click.option("--docx", type=click.Path(dir_okay=False, path_type=Path), help="Write a DOCX.")
_user = click.option("--user", "username", required=True, help="The exporting user (username).")


@main.group()
def meeting() -> None:
    """Joint consultation meetings (会商)."""


@meeting.command("export")
@click.argument("meeting_id", type=int)
@_pdf
@_docx
@_user
@_service_errors
def meeting_export(meeting_id: int, pdf: Path | None, docx: Path | None, username: str) -> None:
    """Export a meeting's minutes (agenda, evidence, opinions, decisions) as PDF or DOCX."""
    from riskgraph.dossier import export_meeting

    out = _export(export_meeting, meeting_id, pdf, docx, username)
    click.echo(f"已导出会商纪要（会议 {meeting_id}）：{out}")


@main.group()
def integrity() -> None:
    """Integrity-opinion replies (党风廉政意见回复)."""


@integrity.command("draft")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_user
@click.option("--title", default=None, help="Batch title (default: the file name).")
@click.option("--org", "requesting_org", default="组织部", show_default=True,
              help="The requesting organisation department.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day petitions are dated against (default: today).")
@_service_errors
def integrity_draft(file: Path, username: str, title: str | None, requesting_org: str,
                    as_of) -> None:
    """Submit a CSV/XLSX list of candidates (身份证号, 姓名) and draft a reply for each."""
    from riskgraph import integrity as service
    from riskgraph.candidates import read_candidates
    from riskgraph.graph import open_graph
    from riskgraph.integrity_rules import RESULT_ZH

    candidates = read_candidates(file)
    with _session_as(username) as (session, user), open_graph(_settings()) as graph:
        batch = service.submit_batch(session, user, title=title or file.stem,
                                     requesting_org=requesting_org, candidates=candidates)
        service.draft_batch(session, graph, user, batch.id,
                            as_of=as_of.date() if as_of else dt.date.today())
        click.echo(f"意见回复批次 {batch.id}：{len(batch.replies)}人，草稿如下（待纪检监察人员审核签署）")
        for reply in batch.replies:
            click.echo(f"  {reply.name}（{reply.person_id}）：{RESULT_ZH[reply.draft_result]}")
            for reason in reply.reasons:
                click.echo(f"    - {reason['text']}")


@integrity.command("export")
@click.argument("batch_id", type=int)
@_pdf
@_docx
@_user
@_service_errors
def integrity_export(batch_id: int, pdf: Path | None, docx: Path | None, username: str) -> None:
    """Export an integrity-opinion batch with all replies as PDF or DOCX."""
    from riskgraph.dossier import export_batch

    out = _export(export_batch, batch_id, pdf, docx, username)
    click.echo(f"已导出党风廉政意见回复（批次 {batch_id}）：{out}")
