"""JSON API for findings and entities, with the same role and scope checks as the pages
(anonymous: 401; missing role: 403; out of scope: 404). Described at /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request

from riskgraph.services import findings as finding_service
from riskgraph.services import links as link_service
from webui.findings import parse_filter
from webui.links import path_args
from webui.openapi import document
from webui.security import db, obj_or_404, require, rg
from webui.views_util import audit, page_arg

bp = Blueprint("api", __name__, url_prefix="/api")


def finding_json(f, full: bool = False) -> dict:
    out = {"id": f.id, "detector": f.detector, "rule_version": f.rule_version,
           "severity": str(f.severity), "title": f.title, "review_status": str(f.review_status),
           "data_status": str(f.data_status), "assignee_id": f.assignee_id,
           "handling": f.handling and str(f.handling), "version": f.version,
           "subject_ids": f.subject_ids, "org_ids": f.org_ids,
           "created_at": f.created_at.isoformat(), "updated_at": f.updated_at.isoformat()}
    if full:
        out.update(explanation=f.explanation, citation=f.citation, entities=f.entities,
                   evidence=f.evidence,
                   accepted_until=f.accepted_until and f.accepted_until.isoformat(),
                   events=[{"at": e.at.isoformat(), "user_id": e.user_id, "action": e.action,
                            "from_status": e.from_status, "to_status": e.to_status,
                            "comment": e.comment, "data": e.data} for e in f.events])
    return out


@bp.route("/findings")
def findings():
    require("findings.view")
    per_page = min(int(request.args.get("per_page", 50) or 50), 200)
    rows, total = finding_service.list_findings(
        db(), g.scope, parse_filter(request.args), request.args.get("sort", "newest"),
        page_arg(), per_page)
    audit("search", "findings", None, {"api": True, "filter": request.args.to_dict(), "total": total})
    return jsonify(total=total, page=page_arg(), per_page=per_page,
                   items=[finding_json(f) for f in rows])


@bp.route("/findings/<int:finding_id>")
def finding(finding_id: int):
    require("findings.view")
    f = obj_or_404(finding_service.get(db(), g.scope, finding_id))
    audit("view", "finding", f.id, {"api": True})
    return jsonify(finding_json(f, full=True))


@bp.route("/entities")
def entities():
    require("links.view")
    q = request.args.get("q", "").strip()[:100]
    items = link_service.search(rg("links"), g.scope, q)
    audit("search", "entity", None, {"api": True, "q": q, "found": len(items)})
    return jsonify(items=items)


@bp.route("/entities/<key>/neighbours")
def neighbours(key: str):
    require("links.view")
    links = rg("links")
    try:
        obj_or_404(link_service.entity_visible(links, g.scope, key))
        out = link_service.neighbours(links, g.scope, key, request.args.getlist("types") or None)
    except link_service.LinkError:
        abort(404)
    audit("view", "entity", key, {"api": True, "neighbours": len(out["nodes"])})
    return jsonify(out)


@bp.route("/paths")
def paths():
    require("links.view")
    links = rg("links")
    a, b = request.args.get("a", ""), request.args.get("b", "")
    try:
        for key in (a, b):
            obj_or_404(link_service.entity_visible(links, g.scope, key))
        out = link_service.shortest_paths(links, g.scope, a, b, **path_args(request.args))
    except link_service.LinkError:
        abort(404)
    audit("search", "paths", f"{a}~{b}", {"api": True, "found": len(out["paths"])})
    return jsonify(out)


@bp.route("/openapi.json")
def openapi():
    if g.user is None:
        abort(401)
    return jsonify(document(current_app.config.get("SERVER_NAME") or request.host_url))
