"""Integrity-opinion replies (党风廉政意见回复): the batch list, submitting a candidate list
(file upload or picked cadres), the batch page with each drafted reply, signing, and the
dossier export.

The organisation department submits (``integrity.submit``), the discipline officer signs
(``integrity.sign``); batches with a candidate outside the user's scope are "not found".
The services write the workflow's audit entries (submit, draft, view, sign, export); the
views add the uploads and searches.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.orm.exc import StaleDataError

from riskgraph import integrity as service
from riskgraph.authz import NotFound, ServiceError
from riskgraph.candidates import CandidateFileError, read_candidates
from riskgraph.services import integrity_batches as pages
from riskgraph.store.vocab import IntegrityResult
from riskgraph.sweep import as_of_date
from webui.downloads import check_format, dossier_download
from webui.security import db, obj_or_404, require, rg
from webui.views_util import audit, parse_date

bp = Blueprint("integrity", __name__, url_prefix="/integrity")

@bp.route("/")
def index():
    require("integrity.view")
    rows = pages.summaries(db(), g.user, g.scope)
    audit("view", "integrity_batches", None, {"count": len(rows)})
    return render_template("integrity/list.html", rows=rows)


def _new_page(status: int = 200, problems=None, picked_ids: list[str] | None = None):
    """The submit page: the upload form, and the cadre search with the picked list."""
    q = request.args.get("q", "").strip()[:100]
    if picked_ids is None:
        picked_ids = request.args.getlist("pick")
    picked_ids = picked_ids[:200]
    results = []
    if q:
        results = pages.candidate_search(rg("links"), g.scope, q)
        audit("search", "entity", None, {"q": q, "found": len(results), "for": "integrity"})
    try:
        picked = pages.picked_candidates(rg("graph"), g.scope, picked_ids) if picked_ids else []
    except CandidateFileError as exc:
        picked, problems = [], (problems or []) + exc.problems
    return render_template("integrity/new.html", q=q, results=results, picked=picked,
                           picked_ids=[c.person_id for c in picked], problems=problems or [],
                           form=request.form, FIELD_ZH=pages.FIELD_ZH), status


@bp.route("/new")
def new():
    require("integrity.submit")
    return _new_page()


def _batch_fields() -> dict:
    return {"title": request.form.get("title", "")[:255], "due_date": parse_date(request.form.get("due_date")),
            "requesting_org": request.form.get("requesting_org", "")[:128]}


def _submit(candidates, where: str):
    """Submit and draft in one transaction; on refusal nothing is saved."""
    try:
        batch = pages.submit(db(), rg("graph"), g.user, g.scope, candidates, where=where,
                             as_of=as_of_date(rg("settings")), **_batch_fields())
    except CandidateFileError as exc:
        db().rollback()
        return None, exc.problems
    except ServiceError as exc:
        db().rollback()
        flash(str(exc), "error")
        return None, []
    return batch, None


@bp.route("/new", methods=["POST"])
def create():
    """A batch of cadres picked in the form."""
    require("integrity.submit")
    ids = request.form.getlist("person_id")
    if not ids:
        flash("请先查找并加入候选人", "error")
        return _new_page(422, picked_ids=[])
    try:
        candidates = pages.picked_candidates(rg("graph"), g.scope, ids)
    except CandidateFileError as exc:
        return _new_page(422, exc.problems, picked_ids=[])
    batch, problems = _submit(candidates, "表单")
    if batch is None:
        return _new_page(422, problems, picked_ids=ids)
    db().commit()
    flash(f"已提交{len(batch.replies)}人，系统已生成回复草稿，待纪检监察人员审核签署", "ok")
    return redirect(url_for(".batch", batch_id=batch.id)), 303


def _upload_name(filename: str | None) -> str:
    """The uploaded file's own name (no folders), kept for the row messages."""
    name = Path((filename or "").replace("\\", "/")).name.strip()[-100:]
    return name if name not in ("", ".", "..") else "名单"


@bp.route("/upload", methods=["POST"])
def upload():
    """A batch from an uploaded CSV/XLSX candidate list."""
    require("integrity.submit")
    file = request.files.get("file")
    if file is None or not file.filename:
        flash("请选择要上传的名单文件（CSV或XLSX）", "error")
        return _new_page(422)
    name = _upload_name(file.filename)
    batch, problems = None, []
    with tempfile.TemporaryDirectory(prefix="riskgraph-upload-") as tmp:
        path = Path(tmp) / name
        file.save(path)
        size = path.stat().st_size
        try:
            candidates = read_candidates(path)
        except CandidateFileError as exc:
            candidates, problems = [], exc.problems
    if candidates:
        batch, problems = _submit(candidates, name)
    if batch is None:
        audit("upload", "integrity_batch", None, {"file": name, "bytes": size,
                                                  "rejected": len(problems or [])})
        return _new_page(422, problems)
    audit("upload", "integrity_batch", batch.id, {"file": name, "bytes": size,
                                                  "candidates": len(candidates)}, commit=False)
    db().commit()
    flash(f"已上传名单 {name}（{len(candidates)}人），系统已生成回复草稿，待纪检监察人员审核签署", "ok")
    return redirect(url_for(".batch", batch_id=batch.id)), 303


@bp.route("/<int:batch_id>")
def batch(batch_id: int):
    require("integrity.view")
    obj_or_404(pages.get_batch(db(), g.scope, batch_id))
    b = service.open_batch(db(), g.user, batch_id)
    db().commit()   # the view's audit entry
    return render_template("integrity/batch.html", b=b, s=pages.summarise(b),
                           rows=pages.reply_rows(db(), b, g.scope), results=pages.RESULTS,
                           result_zh={str(k): v for k, v in pages.RESULT_ZH.items()},
                           EFFECT_ZH=pages.EFFECT_ZH)


@bp.route("/<int:batch_id>/draft", methods=["POST"])
def redraft(batch_id: int):
    require("integrity.draft")
    b = obj_or_404(pages.get_batch(db(), g.scope, batch_id))
    unsigned = sum(r.signed_by is None for r in b.replies)
    if not unsigned:
        flash("全部回复已签署，不再重新生成草稿", "error")
        return redirect(url_for(".batch", batch_id=batch_id)), 303
    try:
        service.draft_batch(db(), rg("graph"), g.user, batch_id, as_of=as_of_date(rg("settings")),
                            can_see=pages.can_see(g.scope))
    except ServiceError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for(".batch", batch_id=batch_id)), 303
    db().commit()
    flash(f"已按当前线索和信访情况重新生成{unsigned}份未签署回复的草稿", "ok")
    return redirect(url_for(".batch", batch_id=batch_id)), 303


@bp.route("/replies/<int:reply_id>/sign", methods=["POST"])
def sign(reply_id: int):
    require("integrity.sign")
    reply = obj_or_404(pages.get_reply(db(), g.scope, reply_id))
    batch_id = reply.batch_id
    back = redirect(url_for(".batch", batch_id=batch_id, _anchor=f"reply-{reply_id}")), 303
    result = request.form.get("result", "")
    if result not in set(IntegrityResult):
        flash("请选择回复意见", "error")
        return back
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    try:
        service.sign_reply(db(), g.user, reply_id, result, note=request.form.get("note", "")[:2000],
                           version=version, can_see=pages.can_see(g.scope))
        db().commit()
    except NotFound:
        db().rollback()
        abort(404)
    except ServiceError as exc:
        db().rollback()
        flash(str(exc), "error")
        return back
    except StaleDataError:
        db().rollback()
        flash("记录已被他人修改，请刷新后重试", "error")
        return back
    flash(f"已签署：{reply.name} — {pages.RESULT_ZH[IntegrityResult(result)]}", "ok")
    return back


@bp.route("/<int:batch_id>/export.<fmt>", methods=["POST"])
def export(batch_id: int, fmt: str):
    """The batch dossier as PDF or DOCX (watermarked and audited by the service)."""
    from riskgraph.dossier import export_batch

    require("integrity.export")
    check_format(fmt)
    b = obj_or_404(pages.get_batch(db(), g.scope, batch_id))
    return dossier_download(lambda out: export_batch(db(), g.user, b.id, fmt, out), fmt,
                            f"党风廉政意见回复-批次{b.id}.{fmt}",
                            url_for(".batch", batch_id=batch_id))
