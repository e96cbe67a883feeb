"""The findings queue and the finding page with its review actions."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from riskgraph.access import allowed
from riskgraph.services import findings as finding_service
from riskgraph.services import investigations as inv_service
from riskgraph.services import review as review_service
from riskgraph.services.links import org_choices
from riskgraph.services.users import active_users
from riskgraph.store import utcnow
from riskgraph.store.vocab import Colour, ReviewStatus, Severity
from webui.security import db, obj_or_404, require, rg
from webui.views_util import (
    ACTION_ZH,
    audit,
    drawn_graph,
    local_zone,
    page_arg,
    pages,
    parse_date,
)

bp = Blueprint("findings", __name__, url_prefix="/findings")


def parse_filter(args) -> finding_service.FindingFilter:
    f = finding_service.FindingFilter()
    f.detector = args.get("detector", "")[:64]
    f.severity = args.get("severity", "") if args.get("severity") in set(Severity) else ""
    f.colour = args.get("colour", "") if args.get("colour") in set(Colour) else ""
    status = args.get("status", "")
    f.status = status if status in set(ReviewStatus) | {"open"} else ""
    f.data_status = args.get("data", "present") if args.get("data", "present") in (
        "present", "resolved_by_data", "") else "present"
    if args.get("org"):
        # the organisation and its subtree, as resolved for scopes
        f.org_ids = sorted(rg("scopes").get(0, [args["org"][:64]], []).org_ids) or [args["org"][:64]]
    try:
        f.assignee_id = int(args["assignee"]) if args.get("assignee") else None
    except ValueError:
        f.assignee_id = None
    f.since, f.until = parse_date(args.get("since")), parse_date(args.get("until"))
    f.tz = local_zone()
    if args.get("new") == "1" and g.user.last_seen_findings_at:
        f.new_after = g.user.last_seen_findings_at
    return f


@bp.route("/")
def index():
    require("findings.view")
    f = parse_filter(request.args)
    sort = request.args.get("sort", "newest")
    per_page = int(current_app.config["RISKGRAPH"]["page_size"])
    page = page_arg()
    rows, total = finding_service.list_findings(db(), g.scope, f, sort, page, per_page)
    audit("search", "findings", None, {"filter": request.args.to_dict(), "total": total})
    return render_template("findings/list.html", rows=rows, total=total, page=page,
                           pages=pages(total, per_page), f=f, sort=sort,
                           detectors=finding_service.detectors_seen(db()),
                           users=active_users(db()), sorts=finding_service.SORTS,
                           orgs=org_choices(rg("graph"), g.scope), org=request.args.get("org", ""))


EXPORT_MAX = 5000


@bp.route("/export.csv")
def export():
    """The filtered queue as CSV (Excel-readable UTF-8), recorded as an export."""
    import csv
    import io

    from flask import Response

    from webui.views_util import SEVERITY_ZH, STATUS_ZH

    require("findings.view")
    f = parse_filter(request.args)
    rows, total = finding_service.list_findings(db(), g.scope, f, request.args.get("sort", "newest"),
                                                1, EXPORT_MAX)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["编号", "检测器", "严重程度", "标题", "审核状态", "涉及干部", "涉及单位", "发现时间"])
    for x in rows:
        w.writerow([x.id, x.detector, SEVERITY_ZH.get(x.severity, x.severity), x.title,
                    STATUS_ZH.get(x.review_status, x.review_status), ";".join(x.subject_ids),
                    ";".join(x.org_ids), x.created_at.isoformat()])
    audit("export", "findings", None, {"filter": request.args.to_dict(), "rows": len(rows),
                                       "total": total})
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=findings.csv"})


@bp.route("/seen", methods=["POST"])
def mark_seen():
    require("findings.view")
    g.user.last_seen_findings_at = utcnow()
    audit("change", "user", g.user.username, {"last_seen_findings_at": "now"})
    return redirect(url_for("dashboard.index"))


@bp.route("/<int:finding_id>")
def detail(finding_id: int):
    require("findings.view")
    finding = obj_or_404(finding_service.get(db(), g.scope, finding_id))
    audit("view", "finding", finding.id)
    users = {u.id: u for u in active_users(db(), include_inactive=True)}
    reviewers = [u for u in users.values() if u.active and allowed(u.role, "findings.review")]
    evidence = drawn_graph(finding.evidence, finding.subject_ids)
    return render_template("findings/detail.html", f=finding, users=users, reviewers=reviewers,
                           evidence=evidence,
                           investigations=inv_service.for_finding(db(), finding.id),
                           handlings=review_service.HANDLING_ZH)


@bp.route("/<int:finding_id>/act", methods=["POST"])
def act(finding_id: int):
    action = request.form.get("action", "")
    require("findings.comment" if action == "comment" else "findings.review")
    finding = obj_or_404(finding_service.get(db(), g.scope, finding_id))
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    assignee = None
    if action == "assign" and request.form.get("assignee", "").isdigit():
        from riskgraph.store import User

        assignee = db().get(User, int(request.form["assignee"]))
        if assignee is not None and not allowed(assignee.role, "findings.review"):
            assignee = None
    try:
        review_service.act(db(), finding, g.user, action, version,
                           comment=request.form.get("comment", "")[:4000], assignee=assignee,
                           handling=request.form.get("handling", ""),
                           until=parse_date(request.form.get("until")))
    except review_service.Conflict as exc:
        db().rollback()
        audit("conflict", "finding", finding_id, {"action": action})
        flash(str(exc), "error")
        return redirect(url_for(".detail", finding_id=finding_id)), 303
    except review_service.ReviewError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for(".detail", finding_id=finding_id)), 303
    audit("change", "finding", finding_id, {"action": action}, commit=False)
    db().commit()
    flash("已保存：" + ACTION_ZH.get(action, action), "ok")
    return redirect(url_for(".detail", finding_id=finding_id)), 303
