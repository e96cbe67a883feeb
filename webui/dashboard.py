"""The dashboard: numbers of the user's scope, each linking to the filtered list."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from riskgraph.services.dashboard import dashboard as build
from webui.security import db, require
from webui.views_util import audit

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    require("dashboard")
    data = build(db(), g.scope, g.user.last_seen_findings_at)
    audit("view", "dashboard", None)
    peak = max([t["new"] for t in data.trend] or [0]) or 1
    return render_template("dashboard/index.html", d=data, peak=peak)
