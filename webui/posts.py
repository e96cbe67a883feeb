"""High-risk posts: the current ranking, within the user's scope (ranks in the whole ranking)."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template

from riskgraph.services.dashboard import post_score_page
from webui.security import db, require
from webui.views_util import audit, page_arg, pages

# The ranking lists the top posts only (the rest are low-risk by construction).
MOST = 200

bp = Blueprint("posts", __name__, url_prefix="/posts")


@bp.route("/")
def index():
    require("posts.view")
    per_page = int(current_app.config["RISKGRAPH"]["page_size"])
    page = page_arg()
    rows, total = post_score_page(db(), g.scope, page, per_page, MOST)
    audit("view", "post_scores", None, {"rows": len(rows), "page": page})
    return render_template("posts/list.html", rows=rows, page=page, pages=pages(total, per_page))
