"""The cadre file (一人一档)."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template

from riskgraph.services.cadre_file import cadre_file
from riskgraph.sweep import as_of_date
from webui.security import db, obj_or_404, require, rg
from webui.views_util import audit, local_zone

bp = Blueprint("cadres", __name__, url_prefix="/cadres")


@bp.route("/<person_id>")
def file(person_id: str):
    require("cadres.view")
    if not g.scope.has_cadre(person_id):
        abort(404)
    today = as_of_date(rg("settings"))
    f = obj_or_404(cadre_file(rg("graph"), db(), g.scope, person_id, today, local_zone()))
    audit("view", "cadre", person_id)
    return render_template("cadres/file.html", c=f, today=today)
