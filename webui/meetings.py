"""Joint consultation meetings (会商): the list, the create form, the meeting page with
its agenda, opinions, decisions, sign-off and later entries, and the dossier export.

Every route names a permission (403 without it); meetings the user may not open and
items outside their data scope are 404. The workflow services (`riskgraph.meetings`,
`riskgraph.meeting_signoff`) check roles again and write the audit entries; their
refusals come back as: locked minutes 409, role 403, missing 404, anything else a
flash message on the meeting page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from riskgraph import meeting_signoff as signoff
from riskgraph import meetings as service
from riskgraph.authz import Locked, NotFound, PermissionDenied, ServiceError
from riskgraph.services import meeting_pages as pages
from riskgraph.services.users import active_users
from riskgraph.store import Meeting, MeetingItem
from webui.downloads import check_format, dossier_download
from webui.security import db, obj_or_404, require, rg
from webui.views_util import audit, drawn_graph, parse_date

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting(meeting_id: int) -> Meeting:
    return obj_or_404(pages.visible_meeting(db(), g.user, meeting_id))


def _item(meeting: Meeting, item_id: int) -> MeetingItem:
    """The meeting's item ``item_id`` if the user's scope covers it, else 404."""
    item = pages.item_of(meeting, item_id)
    if item is None or not pages.item_view(db(), g.scope, g.user, item).visible:
        abort(404)
    return item


def _version(name: str = "version") -> int | None:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() else None


def _editable(meeting_id: int, permission: str) -> Meeting:
    """The meeting for an edit: ``permission`` (403), visible (404), and not signed
    (signed minutes take no edits: 409 with the service's message)."""
    require(permission)
    meeting = _meeting(meeting_id)
    if meeting.locked:
        try:
            service.editable(meeting)
        except Locked as exc:
            abort(409, description=str(exc))
    return meeting


def _act(meeting_id: int, change: Callable[[], object], done: str):
    """Run a service change, commit, and go back to the meeting page with a message."""
    try:
        change()
    except Locked as exc:
        db().rollback()
        abort(409, description=str(exc))
    except PermissionDenied as exc:
        db().rollback()
        abort(403, description=str(exc))
    except NotFound:
        db().rollback()
        abort(404)
    except ServiceError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for(".detail", meeting_id=meeting_id)), 303
    db().commit()
    flash(done, "ok")
    return redirect(url_for(".detail", meeting_id=meeting_id)), 303


@bp.route("/")
def index():
    require("meetings.view")
    rows = signoff.list_meetings(db(), g.user)
    waiting = {m.id for m in signoff.awaiting(db(), g.user)}
    audit("search", "meetings", None, {"total": len(rows)})
    return render_template("meetings/list.html", rows=rows, waiting=waiting,
                           status_zh=service.STATUS_ZH)


@bp.route("/new")
def new():
    require("meetings.manage")
    return render_template("meetings/new.html", choices=pages.participant_choices(db()),
                           side_zh=service.side_zh, form={}, chosen=set())


@bp.route("/", methods=["POST"])
def create():
    require("meetings.manage")
    form = request.form
    chosen = {int(v) for v in form.getlist("participants") if v.isdigit()}
    people: list[dict] = [{"user_id": uid} for uid in sorted(chosen)]
    if form.get("guest_name", "").strip():
        people.append({"name": form["guest_name"].strip()[:128],
                       "unit": form.get("guest_unit", "").strip()[:128] or None,
                       "side": form.get("guest_side", "")})
    try:
        day = parse_date(form.get("date"))
        if day is None:
            raise ServiceError("请填写会议日期")
        meeting = service.create_meeting(db(), g.user, title=form.get("title", "")[:255],
                                         date=day, participants=people)
    except ServiceError as exc:
        db().rollback()
        flash(str(exc), "error")
        return render_template("meetings/new.html", choices=pages.participant_choices(db()),
                               side_zh=service.side_zh, form=form, chosen=chosen)
    db().commit()
    flash("会议已创建，请添加议题", "ok")
    return redirect(url_for(".detail", meeting_id=meeting.id)), 303


@bp.route("/<int:meeting_id>")
def detail(meeting_id: int):
    require("meetings.view")
    meeting = _meeting(meeting_id)
    signoff.open_meeting(db(), g.user, meeting.id)
    state = pages.page_state(meeting, g.user)
    kind, q = request.args.get("kind", ""), request.args.get("q", "").strip()[:100]
    found = None
    if state.agenda and kind in service.KIND_ZH:
        found = pages.candidates(db(), rg("links"), g.scope, g.user, kind, q)
        audit("search", "meeting_candidates", meeting.id, {"kind": kind, "q": q,
                                                           "found": len(found)}, commit=False)
    db().commit()
    views = pages.agenda(db(), g.scope, g.user, meeting)
    graphs = {v.item.id: drawn_graph(v.graph, v.findings[0].subject_ids if v.findings else ())
              for v in views if v.visible and v.graph and v.graph.get("nodes")}
    return render_template(
        "meetings/detail.html", m=meeting, views=views, graphs=graphs, state=state,
        kind=kind, q=q, found=found, kinds=service.KIND_ZH, decisions=service.decisions(),
        status_zh=service.STATUS_ZH, side_zh=service.side_zh,
        by_side=pages.participants_by_side(meeting),
        current={v.item.id: signoff.current_decision(meeting, v.item) for v in views},
        users={u.id: u for u in active_users(db(), include_inactive=True)},
        exportable=all(v.visible for v in views))


@bp.route("/<int:meeting_id>/items", methods=["POST"])
def add_item(meeting_id: int):
    meeting = _editable(meeting_id, "meetings.manage")
    kind, ref = request.form.get("kind", ""), request.form.get("ref_id", "").strip()[:64]
    if kind not in service.KIND_ZH:
        abort(400, description="未知的议题类别")
    can_see = pages.scope_check(db(), g.scope)
    if not pages.ref_visible(db(), g.user, can_see, kind, ref):
        abort(404)
    return _act(meeting_id, lambda: service.add_item(db(), g.user, meeting.id, kind, ref, can_see,
                                                     version=_version()), "议题已加入议程")


@bp.route("/<int:meeting_id>/items/<int:item_id>/remove", methods=["POST"])
def remove_item(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id, "meetings.manage")
    item = _item(meeting, item_id)
    return _act(meeting_id, lambda: service.remove_item(db(), g.user, item.id), "议题已移出议程")


@bp.route("/<int:meeting_id>/circulate", methods=["POST"])
def circulate(meeting_id: int):
    meeting = _editable(meeting_id, "meetings.manage")
    return _act(meeting_id, lambda: service.circulate(db(), g.user, meeting.id, _version()),
                "议程已分发给参会人员")


@bp.route("/<int:meeting_id>/items/<int:item_id>/opinion", methods=["POST"])
def opinion(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id, "meetings.opinion")
    item = _item(meeting, item_id)
    text = request.form.get("text", "")[:4000]
    return _act(meeting_id, lambda: service.record_opinion(db(), g.user, item.id, text, _version()),
                f"议题{item.position}的意见已记录")


@bp.route("/<int:meeting_id>/items/<int:item_id>/decision", methods=["POST"])
def decision(meeting_id: int, item_id: int):
    meeting = _editable(meeting_id, "meetings.manage")
    item = _item(meeting, item_id)
    form = request.form
    return _act(meeting_id, lambda: service.record_decision(
        db(), g.user, item.id, form.get("decision", ""), form.get("owner", "")[:128],
        parse_date(form.get("due_date")), _version()), f"议题{item.position}的决定已记录")


@bp.route("/<int:meeting_id>/sign", methods=["POST"])
def sign(meeting_id: int):
    meeting = _editable(meeting_id, "meetings.opinion")
    return _act(meeting_id, lambda: signoff.sign(db(), g.user, meeting.id, _version()), "已签字")


@bp.route("/<int:meeting_id>/withdraw", methods=["POST"])
def withdraw(meeting_id: int):
    meeting = _editable(meeting_id, "meetings.opinion")
    return _act(meeting_id, lambda: signoff.withdraw_signature(db(), g.user, meeting.id),
                "签字已撤回")


@bp.route("/<int:meeting_id>/entries", methods=["POST"])
def add_entry(meeting_id: int):
    require("meetings.entry")
    meeting = _meeting(meeting_id)
    form = request.form
    item_id = int(form["item_id"]) if form.get("item_id", "").isdigit() else None
    if item_id is not None:
        _item(meeting, item_id)
    return _act(meeting_id, lambda: signoff.add_entry(
        db(), g.user, meeting.id, form.get("text", "")[:4000], item_id,
        decision=form.get("decision") or None, owner=form.get("owner", "").strip()[:128] or None,
        due_date=parse_date(form.get("due_date"))), "补充记录已添加")


@bp.route("/<int:meeting_id>/export.<fmt>", methods=["POST"])
def export(meeting_id: int, fmt: str):
    """The dossier as a download (the export service watermarks and audits it)."""
    from riskgraph.dossier import export_meeting

    require("meetings.export")
    check_format(fmt)
    meeting = _meeting(meeting_id)
    if not all(v.visible for v in pages.agenda(db(), g.scope, g.user, meeting)):
        abort(403, description="纪要包含超出您数据范围的议题，不能导出")
    return dossier_download(lambda out: export_meeting(db(), g.user, meeting.id, fmt, out), fmt,
                            f"会商纪要-{meeting.id}.{fmt}",
                            url_for(".detail", meeting_id=meeting_id))
