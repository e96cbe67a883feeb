"""The run history page (administrators): sweeps newest first, with their state, time
and counts, and one sweep's runs with attempts, warnings and errors."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from riskgraph.services import runs as runs_service
from riskgraph.store.vocab import RunTrigger
from webui.security import db, require
from webui.views_util import audit, page_arg, pages

bp = Blueprint("runs", __name__, url_prefix="/runs")
PER_PAGE = 30


@bp.route("/")
def index():
    require("runs.view")
    trigger = request.args.get("trigger", "")
    q = runs_service.RunQuery(trigger=trigger if trigger in set(RunTrigger) else "",
                              failed_only=request.args.get("failed") == "1")
    page = page_arg()
    rows, total = runs_service.sweeps(db(), q, page, PER_PAGE)
    audit("view", "run_history", None, {"filter": request.args.to_dict()} if request.args else None)
    peak = max([s.seconds for s in rows] or [0]) or 1.0
    return render_template("runs/list.html", rows=rows, total=total, q=q, page=page,
                           pages=pages(total, PER_PAGE), peak=peak)


@bp.route("/<sweep_id>")
def show(sweep_id: str):
    require("runs.view")
    found = runs_service.sweep(db(), sweep_id[:64])
    if found is None:
        abort(404)
    audit("view", "run_history", sweep_id[:64])
    return render_template("runs/show.html", s=found)
