"""Link investigation: search entities, shortest paths, neighbourhoods, saved graphs."""

from __future__ import annotations

import json

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from riskgraph.services import investigations as inv_service
from riskgraph.services import links as link_service
from webui.security import db, obj_or_404, require, rg
from webui.views_util import audit, parse_date

bp = Blueprint("links", __name__, url_prefix="/links")


def path_args(args) -> dict:
    try:
        hops = int(args.get("hops", 4))
    except ValueError:
        hops = 4
    return {"hops": hops, "types": args.getlist("types") or None,
            "since": parse_date(args.get("since")), "until": parse_date(args.get("until"))}


@bp.route("/")
def index():
    require("links.view")
    graph, links = rg("graph"), rg("links")
    q = request.args.get("q", "").strip()[:100]
    a, b = request.args.get("a", ""), request.args.get("b", "")
    results, paths, error, ends = [], None, None, {}
    if q:
        results = link_service.search(links, g.scope, q)
        audit("search", "entity", None, {"q": q, "found": len(results)})
    if a and b:
        try:
            for key in (a, b):
                ends[key] = obj_or_404(link_service.entity_visible(links, g.scope, key))
            paths = link_service.shortest_paths(links, g.scope, a, b, **path_args(request.args))
            audit("search", "paths", f"{a}~{b}", {"hops": paths["query"]["hops"],
                                                  "found": len(paths["paths"])})
        except link_service.LinkError as exc:
            error = str(exc)
    return render_template("links/index.html", q=q, results=results, a=a, b=b, ends=ends,
                           paths=paths, error=error, all_types=sorted(graph.schema.rel_types),
                           chosen=request.args.getlist("types") or link_service.default_types(graph),
                           hops=path_args(request.args)["hops"],
                           saved=inv_service.list_own(db(), g.user),
                           graph_data=paths or {"nodes": [], "edges": []},
                           finding=request.args.get("finding", ""))


@bp.route("/investigations", methods=["POST"])
def save():
    require("links.view")
    try:
        data = json.loads(request.form.get("graph", "{}"))
        finding_id = int(request.form["finding_id"]) if request.form.get("finding_id") else None
        inv = inv_service.save(db(), g.user, request.form.get("title", ""), data, finding_id, g.scope)
    except (ValueError, TypeError, inv_service.InvestigationError) as exc:
        db().rollback()
        flash(str(exc) if isinstance(exc, inv_service.InvestigationError) else "研判数据格式不正确", "error")
        return redirect(url_for(".index"), 303)
    audit("change", "investigation", inv.id, {"finding_id": finding_id}, commit=False)
    db().commit()
    flash("研判已保存", "ok")
    return redirect(url_for(".investigation", inv_id=inv.id), 303)


@bp.route("/investigations/<int:inv_id>")
def investigation(inv_id: int):
    require("links.view")
    inv = obj_or_404(inv_service.get_own(db(), g.user, inv_id))
    audit("view", "investigation", inv.id)
    return render_template("links/investigation.html", inv=inv)


@bp.route("/investigations/<int:inv_id>/attach", methods=["POST"])
def attach(inv_id: int):
    require("links.view")
    inv = obj_or_404(inv_service.get_own(db(), g.user, inv_id))
    try:
        inv_service.attach(db(), g.user, inv, int(request.form.get("finding_id", "")), g.scope)
    except (ValueError, inv_service.InvestigationError) as exc:
        db().rollback()
        flash(str(exc) if isinstance(exc, inv_service.InvestigationError) else "线索编号不正确", "error")
        return redirect(url_for(".investigation", inv_id=inv_id), 303)
    audit("change", "investigation", inv.id, {"attach_finding": inv.finding_id}, commit=False)
    db().commit()
    flash("已关联到线索", "ok")
    return redirect(url_for(".investigation", inv_id=inv_id), 303)
