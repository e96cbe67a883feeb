"""The audit log search page (auditors only)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from riskgraph.services import audit as audit_service
from webui.security import db, require
from webui.views_util import audit, local_zone, page_arg, pages, parse_date

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 100


@bp.route("/")
def index():
    require("audit.view")
    q = audit_service.AuditQuery(
        username=request.args.get("username", "").strip()[:64],
        action=request.args.get("action", "").strip()[:32],
        object_type=request.args.get("object_type", "").strip()[:64],
        object_id=request.args.get("object_id", "").strip()[:128],
        since=parse_date(request.args.get("since")), until=parse_date(request.args.get("until")),
        tz=local_zone())
    page = page_arg()
    rows, total = audit_service.search(db(), q, page, PER_PAGE)
    audit("search", "audit_log", None, {"filter": request.args.to_dict()})
    return render_template("audit/list.html", rows=rows, total=total, q=q, page=page,
                           pages=pages(total, PER_PAGE))
