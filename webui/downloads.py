"""Dossier downloads: run an export service into a temporary file and send it.

The export services (`riskgraph.dossier.export_meeting`, `export_batch`) watermark the
file and write the audit entry; the audit entry is committed only when the file was made.
Exports are POST routes (they write an audit entry), so they carry the CSRF token.
"""
from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import abort, flash, redirect, send_file

from riskgraph.authz import ServiceError
from webui.security import db

MIMETYPES = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def check_format(fmt: str) -> None:
    """404 for a format no dossier is made in."""
    if fmt not in MIMETYPES:
        abort(404)


def dossier_download(export: Callable[[Path], object], fmt: str, download_name: str,
                     back_url: str):
    """``export(out_path)`` writes the file; a refusal or a missing browser goes back to
    ``back_url`` with the reason, leaving nothing audited."""
    from riskgraph.dossier.browser import BrowserMissing

    check_format(fmt)
    with tempfile.TemporaryDirectory(prefix="riskgraph-export-") as tmp:
        out = Path(tmp) / f"dossier.{fmt}"
        try:
            export(out)
        except (ServiceError, BrowserMissing) as exc:
            db().rollback()
            flash(f"导出失败：{exc}", "error")
            return redirect(back_url), 303
        data = out.read_bytes()
    db().commit()
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=download_name)
