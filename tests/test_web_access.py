"""Every route: anonymous users are sent to sign in (API: 401), roles without the
permission get 403, out-of-scope ids 404, POSTs without a CSRF token 400, and views
are written to the audit log."""

from __future__ import annotations

import pytest

from webkit import audit_rows, token, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration

ROLES = ("insp", "officer", "secretary", "admin", "auditor")


def routes(web, user="insp"):
    """(method, url, permission) for every page and API route with sample ids (the
    investigation is ``user``'s own)."""
    fid, cadre = web.in_scope_finding, web.in_scope_cadre
    inv = web.investigations[user]
    a, b = f"Person:{cadre}", web.company_key
    return [
        ("GET", "/", "dashboard"),
        ("GET", "/findings/", "findings.view"),
        ("GET", "/findings/export.csv", "findings.view"),
        ("GET", f"/findings/{fid}", "findings.view"),
        ("POST", f"/findings/{fid}/act", "findings.review"),
        ("POST", "/findings/seen", "findings.view"),
        ("GET", f"/cadres/{cadre}", "cadres.view"),
        ("GET", "/posts/", "posts.view"),
        ("GET", "/links/?q=建设", "links.view"),
        ("GET", f"/links/?a={a}&b={b}", "links.view"),
        ("POST", "/links/investigations", "links.view"),
        ("GET", f"/links/investigations/{inv}", "links.view"),
        ("POST", f"/links/investigations/{inv}/attach", "links.view"),
        ("GET", "/audit/", "audit.view"),
        ("GET", "/api/findings", "findings.view"),
        ("GET", f"/api/findings/{fid}", "findings.view"),
        ("GET", "/api/entities?q=建设", "links.view"),
        ("GET", f"/api/entities/{a}/neighbours", "links.view"),
        ("GET", f"/api/paths?a={a}&b={b}", "links.view"),
    ]


def test_anonymous_is_sent_to_sign_in(web):
    c = web.client()
    for method, url, _ in routes(web):
        r = c.open(url, method=method, data={"csrf_token": "x"} if method == "POST" else None)
        if method == "POST":
            assert r.status_code == 400, url   # no session, so no valid token either
        elif url.startswith("/api/"):
            assert r.status_code == 401, url
        else:
            assert r.status_code == 302 and "/login" in r.headers["Location"], url
    assert c.get("/api/openapi.json").status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_roles_get_403_without_permission(web, role):
    from riskgraph.access import allowed

    user_role = web.role_of(role)
    c = web.client(role)
    for method, url, permission in routes(web, role):
        data = {"csrf_token": token(c), "action": "comment", "comment": "测试"} if method == "POST" else None
        if url.endswith("/act"):
            permission = "findings.comment"
        r = c.open(url, method=method, data=data)
        if allowed(user_role, permission):
            assert r.status_code in (200, 302, 303), (role, url, r.status_code)
        else:
            assert r.status_code == 403, (role, url, r.status_code)


def test_error_pages_explain_in_chinese(web):
    """A refusal says why in Chinese, not in werkzeug's English; a missing (or
    out-of-scope) page says only that it was not found."""
    c = web.client("admin")
    r = c.get("/audit/")                     # the auditor's page: not an administrator's
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and "无权访问" in page and "联系系统管理员" in page
    assert "permission" not in page
    r = c.get("/findings/999999")
    page = r.get_data(as_text=True)
    assert r.status_code == 404 and "未找到" in page and "requested URL" not in page


def test_review_actions_need_the_review_role(web):
    c = web.client("officer")
    fid = web.in_scope_finding
    r = c.post(f"/findings/{fid}/act", data={"csrf_token": token(c), "action": "confirm", "version": 1})
    assert r.status_code == 403


def test_out_of_scope_ids_are_404(web):
    c = web.client("narrow")
    out, cadre = web.out_scope_finding, web.out_scope_cadre
    for url in (f"/findings/{out}", f"/api/findings/{out}", f"/cadres/{cadre}",
                f"/api/entities/Person:{cadre}/neighbours",
                f"/api/paths?a=Person:{cadre}&b={web.company_key}",
                f"/links/?a=Person:{cadre}&b={web.company_key}",
                "/findings/999999", "/cadres/nobody", "/links/investigations/999999",
                f"/links/investigations/{web.investigations['insp']}"):
        assert c.get(url).status_code == 404, url
    r = c.post(f"/findings/{out}/act", data={"csrf_token": token(c), "action": "comment", "comment": "x"})
    assert r.status_code == 404
    r = c.post(f"/links/investigations/{web.investigations['insp']}/attach",
               data={"csrf_token": token(c), "finding_id": web.in_scope_finding})
    assert r.status_code == 404
    # and the in-scope ones are there
    assert c.get(f"/findings/{web.in_scope_finding}").status_code == 200
    assert c.get(f"/cadres/{web.in_scope_cadre}").status_code == 200


def test_out_of_scope_findings_are_not_listed_or_counted(web):
    c = web.client("narrow")
    listed = c.get("/api/findings?data=").get_json()
    ids = {f["id"] for f in listed["items"]}
    assert web.in_scope_finding in ids and web.out_scope_finding not in ids
    assert listed["total"] == len(ids)
    html = c.get("/findings/?data=").get_data(as_text=True)
    assert f"/findings/{web.out_scope_finding}\"" not in html
    everything = web.client("insp").get("/api/findings?data=").get_json()["total"]
    assert everything > listed["total"]
    search = c.get(f"/api/entities?q={web.out_scope_cadre}").get_json()["items"]
    assert search == []


def test_posts_without_csrf_token_are_400(web):
    c = web.client("insp")
    for method, url, _ in routes(web):
        if method == "POST":
            assert c.post(url, data={"action": "comment", "comment": "x"}).status_code == 400, url
            assert c.post(url, data={"csrf_token": "forged", "action": "comment"}).status_code == 400, url
    assert c.post("/logout").status_code == 400
    fresh = web.app.test_client()
    fresh.get("/login")
    assert fresh.post("/login", data={"username": "insp", "password": "x"}).status_code == 400


def test_views_are_audited(web):
    c = web.client("insp")
    fid, cadre = web.in_scope_finding, web.in_scope_cadre
    before = len(audit_rows(web, username="insp"))
    c.get(f"/findings/{fid}")
    c.get(f"/cadres/{cadre}")
    c.get("/links/?q=建设")
    c.get(f"/api/findings/{fid}")
    assert audit_rows(web, username="insp", action="view", object_type="finding", object_id=str(fid))
    assert audit_rows(web, username="insp", action="view", object_type="cadre", object_id=cadre)
    assert audit_rows(web, username="insp", action="search", object_type="entity")
    assert len(audit_rows(web, username="insp")) >= before + 4
    a = web.client("auditor")
    html = a.get(f"/audit/?username=insp&object_type=cadre").get_data(as_text=True)
    assert cadre in html


def test_export_is_scoped_and_audited(web):
    c = web.client("narrow")
    r = c.get("/findings/export.csv?data=")
    text = r.get_data(as_text=True)
    assert r.mimetype == "text/csv"
    ids = {line.split(",")[0] for line in text.splitlines()[1:]}
    assert str(web.in_scope_finding) in ids and str(web.out_scope_finding) not in ids
    assert audit_rows(web, username="narrow", action="export", object_type="findings")


def test_security_headers_and_cookie_flags(web):
    c = web.client()
    r = c.get("/login")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_account_locks_after_repeated_failures(web):
    from riskgraph.services.users import add_user
    from riskgraph.store import session_scope

    with session_scope(web.sessions) as s:
        add_user(s, "victim", "correct-horse-9", "inspector", scope_org_ids=["*"])
    c = web.client()

    def attempt(password):
        c.get("/login")
        return c.post("/login", data={"username": "victim", "password": password,
                                      "csrf_token": token(c)}).get_data(as_text=True)

    for _ in range(4):
        assert "用户名或密码错误" in attempt("wrong")
    assert "已锁定" in attempt("wrong")            # the fifth failure locks
    assert "已锁定" in attempt("correct-horse-9")  # even the right password, for a while
    assert c.get("/").status_code == 302
    assert len(audit_rows(web, username="victim", action="login_failed")) == 6


def test_sign_in_attempts_are_limited_per_address(web):
    from webui.ratelimit import Limiter

    ext = web.app.extensions["riskgraph"]
    saved = ext.get("login_limiter")
    ext["login_limiter"] = Limiter(3, 600)
    try:
        c = web.client()
        codes = []
        for name in ("a1", "a2", "a3", "a4"):
            c.get("/login")
            codes.append(c.post("/login", data={"username": name, "password": "x",
                                                "csrf_token": token(c)}).status_code)
        assert codes == [200, 200, 200, 429]
    finally:
        ext["login_limiter"] = saved if saved is not None else Limiter(10_000, 60)


def test_openapi_document_lists_the_api(web):
    doc = web.client("insp").get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/findings", "/api/findings/{finding_id}", "/api/entities",
            "/api/entities/{key}/neighbours", "/api/paths"} <= set(doc["paths"])


def test_queue_filters(web):
    c = web.client("insp")
    first = c.get(f"/api/findings/{web.in_scope_finding}").get_json()
    org = first["org_ids"][0]
    ids = {f["id"] for f in c.get(f"/api/findings?data=&org={org}").get_json()["items"]}
    assert web.in_scope_finding in ids and web.out_scope_finding not in ids
    every = c.get("/api/findings?data=").get_json()["items"]
    by_detector = c.get("/api/findings?data=&detector=relative_business").get_json()["items"]
    assert by_detector and {f["id"] for f in by_detector} == {
        f["id"] for f in every if f["detector"] == "relative_business"}
    assert c.get("/api/findings?data=&colour=green").get_json()["total"] == 0
    assert c.get("/api/findings?data=&colour=red").get_json()["total"] >= 1
    html = c.get("/findings/?data=&sort=severity&page=1").get_data(as_text=True)
    assert "预警线索" in html


def test_vendor_assets_come_from_node_modules_only(web):
    c = web.client()
    r = c.get("/vendor/cytoscape.min.js")
    assert r.status_code == 200 and b"cytoscape" in r.data[:2000]
    assert c.get("/vendor/package.json").status_code == 404
    assert c.get("/vendor/..%2Fpackage.json").status_code == 404


def test_attaching_an_out_of_scope_finding_is_refused(web):
    c = web.client("narrow")
    inv = web.investigations["narrow"]
    r = c.post(f"/links/investigations/{inv}/attach",
               data={"csrf_token": token(c), "finding_id": web.out_scope_finding})
    assert r.status_code == 303
    assert "不在您的权限范围内" in c.get(r.headers["Location"]).get_data(as_text=True)
