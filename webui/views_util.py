"""Helpers shared by the blueprints: audit records, paging, Chinese labels, errors."""

from __future__ import annotations

import math
from datetime import date, datetime, tzinfo

from flask import g, render_template, request

from riskgraph.authz import ROLE_ZH
from riskgraph.detectors.post_risk import LEVEL_ZH as POST_LEVEL_ZH
from riskgraph.evidence import EDGE_ZH
from riskgraph.levels import COLOUR_ZH, SEVERITY_ZH
from riskgraph.schema import default_schema
from riskgraph.services import audit as audit_service
from riskgraph.services.links import LABEL_ZH
from riskgraph.services.review import HANDLING_ZH
from riskgraph.services.runs import RUN_STATUS_ZH, SWEEP_STATE_ZH, TRIGGER_ZH, scope_zh
from webui.security import db, rg

STATUS_ZH = {"new": "待处理", "assigned": "已分派", "confirmed": "已确认", "dismissed": "已排除",
             "cleared": "已澄清", "escalated": "已移交处置", "accepted_risk": "已接受风险",
             "open": "未办结"}
DATA_STATUS_ZH = {"present": "仍存在", "resolved_by_data": "数据已消除"}
ACTION_ZH = {"detected": "系统发现", "reappeared": "再次出现", "resolved": "数据已消除",
             "assign": "分派", "comment": "意见", "confirm": "确认", "dismiss": "排除",
             "clear": "澄清正名", "escalate": "移交处置", "accept": "接受风险",
             "investigation": "关联研判", "meeting_decision": "会商决定"}
RANK_ZH = default_schema().enums["rank"]
AUDIT_ACTION_ZH = {"view": "查看", "search": "查询", "change": "修改", "export": "导出",
                   "login": "登录", "login_failed": "登录失败", "login_throttled": "登录受限",
                   "logout": "退出", "conflict": "修改冲突",
                   "upload": "上传", "integrity_submit": "提交意见回复名单",
                   "integrity_draft": "草拟意见回复", "integrity_sign": "签署意见回复"}


def audit(action: str, object_type: str | None = None, object_id=None, detail: dict | None = None,
          commit: bool = True) -> None:
    """Record what the signed-in user did (and commit, unless the caller will)."""
    user = g.get("user")
    audit_service.record(db(), action, user.id if user else None, user.username if user else None,
                         object_type, object_id, detail)
    if commit:
        db().commit()


def drawn_graph(data: dict | None, subject_ids=()) -> dict:
    """Graph data as static/graph.js draws it: subjects as cadres, Chinese labels."""
    def node(n: dict) -> dict:
        label = "Cadre" if n.get("id") in subject_ids else n.get("label")
        return {**n, "label": label, "label_zh": LABEL_ZH.get(label, n.get("label_zh") or label)}

    out = dict(data or {})
    out["nodes"] = [node(n) for n in out.get("nodes") or []]
    return out


def page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
        else:
            args[k] = v
    from urllib.parse import urlencode

    return request.path + ("?" + urlencode(args) if args else "")


def local_zone() -> tzinfo:
    """The configured local time zone (setting ``locale.timezone``)."""
    return rg("timezone")


def fmt_dt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _error(code: int, title: str, detail: str):
    def handler(exc):
        if request.blueprint == "api" or request.path.startswith("/api/"):
            return {"error": title, "status": code}, code
        # A description given with the abort says what went wrong; werkzeug's own
        # (English, generic) one gives way to ours.
        given = getattr(exc, "description", None)
        if not given or given == getattr(type(exc), "description", None):
            given = detail
        return render_template("error.html", code=code, title=title, detail=given), code
    return handler


def detector_zh(name: str) -> str:
    """The Chinese title of a detector (its code name when it is unknown)."""
    from riskgraph import detectors

    try:
        return detectors.get(name).title
    except KeyError:
        return name


def init_app(app) -> None:
    env = app.jinja_env
    env.filters["dt"] = fmt_dt
    env.filters["detector_zh"] = detector_zh
    env.filters["scope_zh"] = scope_zh
    env.globals.update(STATUS_ZH=STATUS_ZH, SEVERITY_ZH=SEVERITY_ZH, COLOUR_ZH=COLOUR_ZH,
                       DATA_STATUS_ZH=DATA_STATUS_ZH, ROLE_ZH=ROLE_ZH, ACTION_ZH=ACTION_ZH,
                       EDGE_ZH=EDGE_ZH, HANDLING_ZH=HANDLING_ZH, RANK_ZH=RANK_ZH, LABEL_ZH=LABEL_ZH,
                       AUDIT_ACTION_ZH=AUDIT_ACTION_ZH, POST_LEVEL_ZH=POST_LEVEL_ZH,
                       TRIGGER_ZH=TRIGGER_ZH, RUN_STATUS_ZH=RUN_STATUS_ZH,
                       SWEEP_STATE_ZH=SWEEP_STATE_ZH, url_with=url_with)
    for code, title, detail in (
            (400, "请求无效", "请求的内容不完整或格式不正确。"),
            (401, "请先登录", "请登录后再访问。"),
            (403, "无权访问", "您的角色或数据范围不包括此页面或对象；如需访问，请联系系统管理员。"),
            (404, "未找到", ""),            # error.html says no more (nor whether it exists)
            (405, "方法不允许", "此页面不支持该操作方式。"),
            (409, "操作冲突", "数据已被他人修改，请刷新页面后重试。"),
            (413, "请求过大", "提交的内容超过了允许的大小。"),
            (429, "尝试过于频繁", "请稍后再试。")):
        app.register_error_handler(code, _error(code, title, detail))
