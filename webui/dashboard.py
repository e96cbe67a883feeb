"""The dashboard: numbers of the user's scope, each linking to the filtered list."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from riskgraph.access import allowed
from riskgraph.services.dashboard import dashboard as build
from riskgraph.services.runs import recent_failures
from riskgraph.store import utcnow
from webui.security import db, require
from webui.views_util import audit

bp = Blueprint("dashboard", __name__)
FAILURE_DAYS = 7


@bp.route("/")
def index():
    require("dashboard")
    data = build(db(), g.scope, g.user.last_seen_findings_at)
    audit("view", "dashboard", None)
    peak = max([t["new"] for t in data.trend] or [0]) or 1
    # Administrators hear of failed detector runs here (the run history has the rest).
    failed = recent_failures(db(), utcnow(), FAILURE_DAYS) if allowed(g.user.role, "runs.view") else 0
    return render_template("dashboard/index.html", d=data, peak=peak, failed_sweeps=failed,
                           failure_days=FAILURE_DAYS)
