"""High-risk posts: the ranking of the newest scoring sweep, within the user's scope."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from riskgraph.services.dashboard import latest_post_scores
from webui.security import db, require
from webui.views_util import audit

bp = Blueprint("posts", __name__, url_prefix="/posts")


@bp.route("/")
def index():
    require("posts.view")
    rows = latest_post_scores(db(), g.scope, 200)
    audit("view", "post_scores", None, {"rows": len(rows)})
    return render_template("posts/list.html", rows=rows)
