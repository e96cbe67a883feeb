"""The integrity-opinion pages (党风廉政意见回复): every route for every role (403),
anonymous users (sign in / 400), out-of-scope and missing ids (404), POSTs without a
CSRF token (400), bad upload rows reported with nothing saved, drafting from the sweep's
findings, signing (amending needs a note, the veto holds, signed replies stay as
signed), exports and the audit entries."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from integritykit import Cast, Person, cast, csv_bytes, names
from webkit import audit_rows, token, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration

ROLES = ("insp", "officer", "secretary", "admin", "auditor")


@dataclass
class Batches:
    cast: Cast
    inside: Person           # a cadre in the narrow users' scope
    outside: Person          # one outside it
    in_batch: int            # only `inside`: seen by narrow users
    out_batch: int           # `outside` too: not found for narrow users


def make_batch(web, people: list[Person], title: str = "测试批次") -> tuple[int, list[int]]:
    """A batch submitted and drafted by the organisation officer (through the services)."""
    from riskgraph.access import resolve_scope
    from riskgraph.candidates import Candidate
    from riskgraph.services import integrity_batches as pages
    from riskgraph.store import User, session_scope

    everyone = resolve_scope(web.graph, ["*"])
    with session_scope(web.sessions) as s:
        batch = pages.submit(s, web.graph, s.get(User, web.users["officer"]), everyone,
                             [Candidate(p.id, p.name, i) for i, p in enumerate(people, 2)],
                             where="表单", title=title, requesting_org="县委组织部",
                             due_date=None, as_of=web.as_of)
        return batch.id, [r.id for r in batch.replies]


@pytest.fixture(scope="module")
def ib(web):
    c = cast(web)
    named = names(web.graph, [web.in_scope_cadre, web.out_scope_cadre])
    inside = Person(web.in_scope_cadre, named[web.in_scope_cadre])
    outside = Person(web.out_scope_cadre, named[web.out_scope_cadre])
    in_batch, _ = make_batch(web, [inside], "本单位人选")
    out_batch, _ = make_batch(web, [inside, outside], "跨单位人选")
    return Batches(c, inside, outside, in_batch, out_batch)


def reply(web, reply_id: int):
    from riskgraph.store import IntegrityReply

    with web.sessions() as s:
        r = s.get(IntegrityReply, reply_id)
        return {"draft": r.draft_result, "final": r.final_result, "signed_by": r.signed_by,
                "reasons": list(r.reasons), "version": r.version}


def batch_count(web) -> int:
    from riskgraph.store import IntegrityBatch

    with web.sessions() as s:
        return s.query(IntegrityBatch).count()


def routes(web, ib: Batches):
    """(method, url, permission, form) for every route; POST forms carry what a real
    request would (a fresh batch each time, so signing and drafting find open replies)."""
    batch, (reply_id,) = make_batch(web, [ib.cast.clean])

    def upload():
        return {"title": "上传批次", "requesting_org": "县委组织部",
                "file": (io.BytesIO(csv_bytes([ib.cast.clean])), "名单.csv")}

    return [
        ("GET", "/integrity/", "integrity.view", None),
        ("GET", "/integrity/new", "integrity.submit", None),
        ("GET", f"/integrity/new?q={ib.cast.clean.name}&pick={ib.cast.clean.id}", "integrity.submit", None),
        ("POST", "/integrity/new", "integrity.submit",
         lambda: {"title": "表单批次", "requesting_org": "县委组织部", "person_id": ib.cast.clean.id}),
        ("POST", "/integrity/upload", "integrity.submit", upload),
        ("GET", f"/integrity/{batch}", "integrity.view", None),
        ("POST", f"/integrity/{batch}/draft", "integrity.draft", dict),
        ("POST", f"/integrity/replies/{reply_id}/sign", "integrity.sign",
         lambda: {"result": "no_objection", "version": reply(web, reply_id)["version"]}),
        ("POST", f"/integrity/{batch}/export.docx", "integrity.export", dict),
    ]


def test_permissions_match_the_services():
    from riskgraph import integrity
    from riskgraph.access import PERMISSIONS
    from riskgraph.dossier.export import BATCH_EXPORT_ROLES
    from riskgraph.store.vocab import Role

    assert PERMISSIONS["integrity.view"] == set(integrity.VIEW_ROLES)
    assert PERMISSIONS["integrity.export"] == set(BATCH_EXPORT_ROLES)
    assert PERMISSIONS["integrity.submit"] == {Role.ORG_OFFICER}
    assert PERMISSIONS["integrity.sign"] == {Role.INSPECTOR}


def test_anonymous_is_sent_to_sign_in(web, ib):
    c = web.client()
    for method, url, _, form in routes(web, ib):
        if method == "POST":
            data = {**(form() if form else {}), "csrf_token": "x"}
            assert c.post(url, data=data).status_code == 400, url   # no session, no token
        else:
            r = c.get(url)
            assert r.status_code == 302 and "/login" in r.headers["Location"], url


@pytest.mark.parametrize("role", ROLES)
def test_roles_get_403_without_permission(web, ib, role):
    from riskgraph.access import allowed

    user_role = web.role_of(role)
    c = web.client(role)
    for method, url, permission, form in routes(web, ib):
        data = {**(form() if form else {}), "csrf_token": token(c)} if method == "POST" else None
        r = c.open(url, method=method, data=data)
        if allowed(user_role, permission):
            assert r.status_code in (200, 303), (role, url, r.status_code)
            if r.status_code == 303:
                assert "flash-error" not in c.get(r.headers["Location"]).get_data(as_text=True), (role, url)
        else:
            assert r.status_code == 403, (role, url, r.status_code)
    nav = c.get("/integrity/" if allowed(user_role, "integrity.view") else "/login").get_data(as_text=True)
    assert ("廉政意见回复</a>" in nav) == allowed(user_role, "integrity.view")


def test_allowed_posts_do_what_they_say(web, ib):
    before = batch_count(web)
    officer = web.client("officer")
    r = officer.post("/integrity/upload", data={
        "csrf_token": token(officer), "title": "上传批次", "requesting_org": "县委组织部",
        "file": (io.BytesIO(csv_bytes([ib.cast.veto, ib.cast.notes, ib.cast.clean])), "拟提拔人选.csv")})
    assert r.status_code == 303
    assert batch_count(web) == before + 1
    page = officer.get(r.headers["Location"]).get_data(as_text=True)
    assert "已上传名单 拟提拔人选.csv（3人）" in page
    for p in (ib.cast.veto, ib.cast.notes, ib.cast.clean):
        assert p.name in page and p.id in page
    assert "一票否决" in page
    assert f'/findings/{ib.cast.veto_finding}"' in page and f'/findings/{ib.cast.notes_finding}"' in page
    assert "审核签署</button>" not in page     # the officer does not sign
    assert "导出PDF" in page


def test_out_of_scope_and_missing_ids_are_404(web, ib):
    _, (signable,) = make_batch(web, [ib.inside], "本单位待签")
    _, out_replies = make_batch(web, [ib.inside, ib.outside], "跨单位待签")
    c = web.client("insp_narrow")
    for url in (f"/integrity/{ib.out_batch}", "/integrity/999999"):
        assert c.get(url).status_code == 404, url
    for url in (f"/integrity/{ib.out_batch}/draft", f"/integrity/{ib.out_batch}/export.docx",
                f"/integrity/replies/{out_replies[0]}/sign", "/integrity/replies/999999/sign",
                "/integrity/999999/export.pdf", f"/integrity/{ib.in_batch}/export.xls"):
        r = c.post(url, data={"csrf_token": token(c), "result": "no_objection"})
        assert r.status_code == 404, url
    assert reply(web, out_replies[0])["signed_by"] is None
    listed = c.get("/integrity/").get_data(as_text=True)
    assert f"/integrity/{ib.in_batch}\"" in listed and f"/integrity/{ib.out_batch}\"" not in listed
    assert c.get(f"/integrity/{ib.in_batch}").status_code == 200
    r = c.post(f"/integrity/replies/{signable}/sign", data={
        "csrf_token": token(c), "result": "no_objection", "version": reply(web, signable)["version"]})
    assert r.status_code == 303 and reply(web, signable)["signed_by"] == web_user(web, "insp_narrow")


def web_user(web, username: str) -> int:
    from riskgraph.services.users import by_name

    with web.sessions() as s:
        return by_name(s, username).id


def test_candidates_outside_the_scope_are_refused(web, ib):
    c = web.client("org_narrow")
    before = batch_count(web)
    r = c.post("/integrity/upload", data={
        "csrf_token": token(c), "title": "越权名单", "requesting_org": "县委组织部",
        "file": (io.BytesIO(csv_bytes([ib.inside, ib.outside])), "名单.csv")})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "名单有 1 处问题" in html and "不在您的干部管理权限范围内" in html
    assert "<td>名单.csv</td><td class=\"num\">3</td><td>身份证号</td>" in html
    r = c.post("/integrity/new", data={"csrf_token": token(c), "title": "越权表单",
                                       "requesting_org": "县委组织部", "person_id": ib.outside.id})
    assert r.status_code == 422 and "不在您的干部管理权限范围内" in r.get_data(as_text=True)
    assert batch_count(web) == before
    search = c.get(f"/integrity/new?q={ib.outside.id}").get_data(as_text=True)
    assert "在您的权限范围内未找到" in search
    search = c.get(f"/integrity/new?q={ib.inside.id}").get_data(as_text=True)
    assert "加入名单" in search


def test_posts_without_csrf_token_are_400(web, ib):
    c = web.client("insp")
    officer = web.client("officer")
    for method, url, permission, form in routes(web, ib):
        if method != "POST":
            continue
        client = officer if permission == "integrity.submit" else c
        assert client.post(url, data=form() if form else {}).status_code == 400, url
        assert client.post(url, data={**(form() if form else {}), "csrf_token": "forged"}).status_code == 400, url


def test_bad_upload_rows_are_reported_and_nothing_is_saved(web, ib):
    c = web.client("officer")
    before, uploads = batch_count(web), len(audit_rows(web, username="officer", action="upload"))
    good, bad_check = ib.cast.clean.id, ib.cast.clean.id[:-1] + ("0" if ib.cast.clean.id[-1] != "0" else "1")
    text = f"姓名,身份证号\n{ib.cast.clean.name},{good}\n,{ib.cast.veto.id}\n某人,{bad_check}\n重复,{good}\n"
    r = c.post("/integrity/upload", data={"csrf_token": token(c), "title": "有错的名单",
                                          "requesting_org": "县委组织部",
                                          "file": (io.BytesIO(text.encode()), "名单.csv")})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "名单有 3 处问题，未保存任何内容" in html
    rows = [("3", "姓名", "不能为空"), ("4", "身份证号", "校验码应为"), ("5", "身份证号", "与第2行重复")]
    for row, field, reason in rows:
        assert f'<td>名单.csv</td><td class="num">{row}</td><td>{field}</td><td>{reason}' in html, row
    assert batch_count(web) == before
    r = c.post("/integrity/upload", data={"csrf_token": token(c), "title": "格式不对", "requesting_org": "组织部",
                                          "file": (io.BytesIO(b"x"), "list.txt")})
    assert r.status_code == 422 and "只接受CSV或XLSX文件" in r.get_data(as_text=True)
    r = c.post("/integrity/upload", data={"csrf_token": token(c), "title": "", "requesting_org": "组织部",
                                          "file": (io.BytesIO(csv_bytes([ib.cast.clean])), "名单.csv")})
    assert r.status_code == 422 and "请填写批次名称和请求单位" in r.get_data(as_text=True)
    assert batch_count(web) == before
    rejected = sorted(audit_rows(web, username="officer", action="upload"), key=lambda e: e.id)
    assert len(rejected) == uploads + 3
    assert {"file": "名单.csv", "rejected": 3}.items() <= rejected[-3].detail.items()


def test_xlsx_upload_and_form_submit(web, ib):
    from openpyxl import Workbook

    c = web.client("officer")
    book = Workbook()
    book.active.append(["身份证号", "姓名"])
    book.active.append([ib.cast.clean.id, ib.cast.clean.name])
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    r = c.post("/integrity/upload", data={"csrf_token": token(c), "title": "表格名单", "requesting_org": "组织部",
                                          "due_date": "2026-02-01", "file": (buf, "名单.xlsx")})
    assert r.status_code == 303
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    assert "无不同意见" in page and "回复时限 2026-02-01" in page
    # the form: search, pick, submit (names come from the cadre records)
    search = c.get(f"/integrity/new?q={ib.cast.notes.name}").get_data(as_text=True)
    assert ib.cast.notes.id in search and "加入名单" in search
    picked = c.get(f"/integrity/new?pick={ib.cast.notes.id}&pick={ib.cast.clean.id}").get_data(as_text=True)
    assert "已加入（2人）" in picked
    r = c.post("/integrity/new", data={"csrf_token": token(c), "title": "表单名单", "requesting_org": "组织部",
                                       "person_id": [ib.cast.notes.id, ib.cast.clean.id]})
    assert r.status_code == 303
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    assert ib.cast.notes.name in page and "有说明事项" in page and "无不同意见" in page
    r = c.post("/integrity/new", data={"csrf_token": token(c), "title": "空", "requesting_org": "组织部"})
    assert r.status_code == 422 and "请先查找并加入候选人" in r.get_data(as_text=True)


def test_signing_amending_veto_and_lock(web, ib):
    from riskgraph.store.vocab import IntegrityResult as R

    batch, (veto, notes, clean) = make_batch(web, [ib.cast.veto, ib.cast.notes, ib.cast.clean], "签署测试")
    assert [reply(web, i)["draft"] for i in (veto, notes, clean)] == [R.OBJECTION, R.WITH_NOTES, R.NO_OBJECTION]
    c = web.client("insp")

    def sign(reply_id, result, note="", version=None):
        version = reply(web, reply_id)["version"] if version is None else version
        r = c.post(f"/integrity/replies/{reply_id}/sign", data={
            "csrf_token": token(c), "result": result, "note": note, "version": version})
        assert r.status_code == 303
        return c.get(r.headers["Location"]).get_data(as_text=True)

    page = c.get(f"/integrity/{batch}").get_data(as_text=True)
    assert page.count("审核签署</button>") == 3
    assert "一票否决" in page
    assert "一票否决" in sign(veto, "no_objection", note="情节轻微")        # the veto holds
    assert reply(web, veto)["signed_by"] is None
    assert "须填写说明" in sign(notes, "no_objection")                    # amending needs a note
    assert "请刷新后重试" in sign(notes, "with_notes", version=99)          # stale page
    assert reply(web, notes)["signed_by"] is None
    sign(veto, "objection")
    sign(notes, "no_objection", note="任职年限问题已按规定交流轮岗")
    sign(clean, "no_objection")
    signed = {i: reply(web, i) for i in (veto, notes, clean)}
    assert [signed[i]["final"] for i in (veto, notes, clean)] == [R.OBJECTION, R.NO_OBJECTION, R.NO_OBJECTION]
    assert signed[notes]["reasons"][-1] == {"kind": "reviewer", "effect": "note", "by": "insp用户",
                                            "text": "任职年限问题已按规定交流轮岗"}
    # signed replies cannot be changed, by anyone, and the page offers no form
    other = web.client("insp2")
    r = other.post(f"/integrity/replies/{veto}/sign", data={
        "csrf_token": token(other), "result": "objection", "note": "改签", "version": signed[veto]["version"]})
    assert "已签署，不能修改" in other.get(r.headers["Location"]).get_data(as_text=True)
    assert reply(web, veto) == signed[veto]
    r = c.post(f"/integrity/{batch}/draft", data={"csrf_token": token(c)})
    assert "全部回复已签署" in c.get(r.headers["Location"]).get_data(as_text=True)
    assert {i: reply(web, i) for i in (veto, notes, clean)} == signed
    page = c.get(f"/integrity/{batch}").get_data(as_text=True)
    assert "审核签署</button>" not in page and "回复已锁定" in page and "已全部签署（3/3）" in page
    assert page.count("（已签署，不能修改）") == 3
    listed = c.get("/integrity/").get_data(as_text=True)
    assert "已全部签署" in listed
    signs = audit_rows(web, username="insp", action="integrity_sign")
    assert {int(a.object_id) for a in signs} >= {veto, notes, clean}


def test_views_exports_and_uploads_are_audited(web, ib):
    c = web.client("admin")
    c.get("/integrity/")
    c.get(f"/integrity/{ib.in_batch}")
    assert audit_rows(web, username="admin", action="view", object_type="integrity_batches")
    assert audit_rows(web, username="admin", action="view", object_type="integrity_batch",
                      object_id=str(ib.in_batch))
    r = c.post(f"/integrity/{ib.in_batch}/export.docx", data={"csrf_token": token(c)})
    assert r.status_code == 200 and r.data[:2] == b"PK"
    assert "attachment" in r.headers["Content-Disposition"]
    r = c.post(f"/integrity/{ib.in_batch}/export.pdf", data={"csrf_token": token(c)})
    assert r.status_code == 200 and r.data[:5] == b"%PDF-" and r.mimetype == "application/pdf"
    exports = sorted(audit_rows(web, username="admin", action="export", object_type="integrity_batch"),
                     key=lambda e: e.id)
    assert [e.detail["format"] for e in exports[-2:]] == ["docx", "pdf"]
    assert "admin" in exports[-1].detail["watermark"]
    # entries the services write while serving a request carry the client's address
    assert {e.ip for e in exports[-2:]} == {"127.0.0.1"}
    auditor = web.client("auditor").get("/audit/?object_type=integrity_batch").get_data(as_text=True)
    assert "导出" in auditor and "查看" in auditor
