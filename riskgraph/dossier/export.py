"""Export a meeting's minutes or an integrity-opinion batch as PDF or DOCX.

Both formats carry the confidentiality marking (``MARKING``) and a watermark naming the
exporting user and the time on every page; each export checks the role and writes an
audit entry (action ``export``, with format and file name) in the caller's session.

The web app calls ``export_meeting`` / ``export_batch`` with a temporary path and sends
the file; the CLI writes where the user says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from riskgraph.authz import ServiceError, audit, require_role
from riskgraph.store import User, utcnow
from riskgraph.store.vocab import Role

MARKING = "内部资料 注意保密"
FORMATS = ("pdf", "docx")
EXPORT_ROLES = (Role.MEETING_SECRETARY, Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN)
BATCH_EXPORT_ROLES = (Role.ORG_OFFICER, Role.INSPECTOR, Role.ADMIN)
ZONE_ZH = {"Asia/Shanghai": "北京时间"}


@cache
def configured_zone() -> ZoneInfo:
    """The local time zone dossiers print in (setting ``locale.timezone``)."""
    from riskgraph.settings import load_settings
    return load_settings().timezone


def local_time(value: datetime, zone: ZoneInfo | None = None) -> str:
    """A stored UTC time in the local time zone for print, the zone named.

    >>> from datetime import UTC
    >>> local_time(datetime(2026, 1, 31, 16, 30, tzinfo=UTC), ZoneInfo("Asia/Shanghai"))
    '2026-02-01 00:30（北京时间）'
    >>> local_time(datetime(2026, 7, 1, 8, 0, tzinfo=UTC), ZoneInfo("Europe/Berlin"))
    '2026-07-01 10:00（UTC+02:00）'
    """
    zone = zone or configured_zone()
    local = value.astimezone(zone)
    offset = local.strftime("%z")
    name = ZONE_ZH.get(zone.key) or f"UTC{offset[:3]}:{offset[3:]}"
    return f"{local:%Y-%m-%d %H:%M}（{name}）"


def watermark_text(user: User, at: datetime) -> str:
    return f"导出人：{user.display_name}（{user.username}） 导出时间：{local_time(at)}"


def _env() -> Environment:
    return Environment(loader=PackageLoader("riskgraph.dossier", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render_html(template: str, **context: Any) -> str:
    return _env().get_template(template).render(marking=MARKING, **context)


def _check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ServiceError(f"不支持的导出格式 {fmt}；可选：pdf、docx")
    return fmt


def export_meeting(session: Session, user: User, meeting_id: int, fmt: str, out: Path,
                   now: datetime | None = None) -> Path:
    """Write the meeting's dossier to ``out`` (PDF or DOCX) and audit the export."""
    from riskgraph.dossier.records import meeting_record

    require_role(user, *EXPORT_ROLES)
    fmt = _check_format(fmt)
    record = meeting_record(session, meeting_id)
    return _export(session, user, record, fmt, Path(out), now or utcnow(),
                   title=f"会商纪要：{record['title']}", template="meeting.html", key="m",
                   docx=_meeting_docx, audited=("meeting", meeting_id), locked=record["locked"])


def export_batch(session: Session, user: User, batch_id: int, fmt: str, out: Path,
                 now: datetime | None = None) -> Path:
    """Write an integrity-opinion batch (all replies) to ``out`` and audit the export."""
    from riskgraph.dossier.records import batch_record

    require_role(user, *BATCH_EXPORT_ROLES)
    fmt = _check_format(fmt)
    record = batch_record(session, batch_id)
    return _export(session, user, record, fmt, Path(out), now or utcnow(),
                   title=f"党风廉政意见回复：{record['title']}", template="batch.html", key="b",
                   docx=_batch_docx, audited=("integrity_batch", batch_id))


def _export(session: Session, user: User, record: dict[str, Any], fmt: str, out: Path,
            now: datetime, *, title: str, template: str, key: str,
            docx: Callable[[dict[str, Any], Path, str], None], audited: tuple[str, int],
            **detail: Any) -> Path:
    """Write ``record`` as PDF (``template``, the record passed as ``key``) or DOCX
    (``docx``) with the watermark, and audit the export of ``audited`` (type, id)."""
    from riskgraph.dossier import browser

    mark = watermark_text(user, now)
    if fmt == "pdf":
        html = render_html(template, **{key: record}, doc_title=title, watermark=mark)
        browser.html_to_pdf(html, out, title=title, marking=MARKING, watermark=mark)
    else:
        docx(record, out, mark)
    audit(session, user, "export", *audited,
          {"format": fmt, "file": out.name, "watermark": mark, **detail})
    return out


def _meeting_docx(record: dict[str, Any], out: Path, mark: str) -> None:
    from riskgraph.dossier import browser, word

    figures = [(f["id"], f["svg"]) for it in record["items"] for f in it["findings"] if f["svg"]]
    pngs = browser.svgs_to_png([svg for _, svg in figures])
    images = {fid: png for (fid, _), png in zip(figures, pngs)}
    word.meeting_docx(record, out, marking=MARKING, watermark=mark, images=images)


def _batch_docx(record: dict[str, Any], out: Path, mark: str) -> None:
    from riskgraph.dossier import word

    word.batch_docx(record, out, marking=MARKING, watermark=mark)
