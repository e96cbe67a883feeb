"""The account pages (/accounts/): administrators only (others 403, anonymous to sign
in), CSRF on every form, each change audited, one-time passwords shown once, scope
changes taking effect, disable/enable, unlock, and the last administrator kept.

Tests make their own accounts: the web environment is shared with other modules."""

from __future__ import annotations

import re

import pytest
from webkit import PASSWORD, audit_rows, login, token, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def user_id(web, username):
    from riskgraph.services.users import by_name

    with web.sessions() as s:
        u = by_name(s, username)
        return u and u.id


def account(web, username):
    from riskgraph.services.users import by_name

    with web.sessions() as s:
        u = by_name(s, username)
        s.expunge(u)
        return u


def changes(web, username) -> list:
    """The audited changes of an account, oldest first."""
    return sorted(audit_rows(web, action="change", object_type="user", object_id=username),
                  key=lambda e: e.id)


def create(c, username, role="inspector", **form):
    data = {"csrf_token": token(c), "username": username, "display_name": f"{username}姓名",
            "role": role, **form}
    return c.post("/accounts/new", data=data)


def routes(web):
    uid = web.users["insp2"]
    return [("GET", "/accounts/"), ("GET", "/accounts/new"), ("POST", "/accounts/new"),
            ("GET", f"/accounts/{uid}"), ("POST", f"/accounts/{uid}/access"),
            ("POST", f"/accounts/{uid}/password"), ("POST", f"/accounts/{uid}/active"),
            ("POST", f"/accounts/{uid}/unlock")]


def test_anonymous_users_are_sent_to_sign_in(web):
    c = web.client()
    for method, url in routes(web):
        r = c.open(url, method=method, data={"csrf_token": "x"} if method == "POST" else None)
        assert r.status_code == (400 if method == "POST" else 302), url
        if method == "GET":
            assert "/login" in r.headers["Location"]


@pytest.mark.parametrize("role", ("insp", "officer", "secretary", "auditor"))
def test_other_roles_get_403(web, role):
    c = web.client(role)
    for method, url in routes(web):
        data = {"csrf_token": token(c), "username": "intruder", "role": "admin",
                "all_orgs": "1", "active": "0"} if method == "POST" else None
        assert c.open(url, method=method, data=data).status_code == 403, (role, url)
    assert "账户管理" not in c.get("/findings/" if role != "auditor" else "/audit/").get_data(as_text=True)
    assert user_id(web, "intruder") is None
    assert account(web, "insp2").active


def test_forms_without_csrf_token_are_400(web):
    c = web.client("admin")
    for method, url in routes(web):
        if method == "POST":
            assert c.post(url, data={"username": "forged", "role": "admin", "active": "0"}).status_code == 400, url
            assert c.post(url, data={"csrf_token": "forged", "active": "0"}).status_code == 400, url
    assert user_id(web, "forged") is None and account(web, "insp2").active


def test_list_shows_role_scope_status_and_last_login(web):
    c = web.client("admin")
    html = c.get("/accounts/").get_data(as_text=True)
    for username in ("insp", "narrow", "officer", "secretary", "admin", "auditor"):
        assert f"<code>{username}</code>" in html
    for text in ("纪检监察", "组织部门", "会商秘书", "系统管理员", "安全审计员", "全部单位", "（含下级）", "正常"):
        assert text in html
    assert re.search(r"<code>auditor</code>.*?(\d{4}-\d\d-\d\d \d\d:\d\d|从未登录)", html, re.S)
    assert audit_rows(web, username="admin", action="view", object_type="users")
    assert "账户管理" in c.get("/").get_data(as_text=True)     # the nav entry


def test_add_with_one_time_password_shown_once(web):
    c = web.client("admin")
    root = _org(web)
    r = create(c, "acc_new", org=[root], rank=["section", "vice_section"])
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    otp = re.search(r'id="one-time-password">([^<]+)<', html).group(1)
    u = account(web, "acc_new")
    assert (u.role, u.scope_org_ids, u.scope_ranks) == ("inspector", [root], ["section", "vice_section"])
    assert otp not in c.get("/accounts/").get_data(as_text=True)
    assert otp not in c.get(f"/accounts/{u.id}").get_data(as_text=True)
    newcomer = web.app.test_client()
    login(newcomer, "acc_new", otp)
    assert "待改一次性密码" in c.get("/accounts/").get_data(as_text=True)
    # a one-time password opens nothing but the page to choose one's own
    for url in ("/", "/findings/"):
        assert newcomer.get(url).headers["Location"] == "/password"
    assert newcomer.get("/api/findings").status_code == 403
    page = newcomer.get("/password").get_data(as_text=True)
    assert "一次性密码" in page
    form = {"csrf_token": token(newcomer), "current": otp, "password": "my-own-pass-1"}
    r = newcomer.post("/password", data={**form, "password2": "my-own-pass-2"})
    assert r.status_code == 400 and "不一致" in r.get_data(as_text=True)
    r = newcomer.post("/password", data={**form, "current": "wrong", "password2": "my-own-pass-1"})
    assert r.status_code == 400 and "当前密码不正确" in r.get_data(as_text=True)
    assert newcomer.post("/password", data={**form, "password2": "my-own-pass-1"}).status_code == 303
    home = newcomer.get("/")
    assert home.status_code == 200
    assert 'href="/password">修改密码</a>' in home.get_data(as_text=True)    # any time later
    login(web.app.test_client(), "acc_new", "my-own-pass-1")
    assert not account(web, "acc_new").must_change_password
    added, own = changes(web, "acc_new")
    assert (added.username, added.detail["op"], added.detail["one_time"]) == ("admin", "add", True)
    assert (own.username, own.detail["op"]) == ("acc_new", "own_password")
    assert otp not in str(added.detail)


def test_add_refuses_bad_input_and_keeps_what_was_typed(web):
    c = web.client("admin")
    for form, message in (({"password": "short"}, "至少需要8位"),
                          ({"org": ["NO-SUCH-ORG"]}, "未知的单位"),
                          ({"role": "root"}, "未知的角色")):
        r = create(c, "acc_bad", **form)
        html = r.get_data(as_text=True)
        assert r.status_code == 400 and message in html and 'value="acc_bad"' in html
    assert create(c, "insp").status_code == 400           # taken
    assert user_id(web, "acc_bad") is None


def test_change_role_and_scope_takes_effect(web):
    c = web.client("admin")
    create(c, "acc_scope", password=PASSWORD, all_orgs="1")
    uid = user_id(web, "acc_scope")
    target = web.client("acc_scope")
    assert target.get(f"/findings/{web.out_scope_finding}").status_code == 200
    narrow_root = account(web, "narrow").scope_org_ids
    r = c.post(f"/accounts/{uid}/access", data={"csrf_token": token(c), "role": "inspector",
                                                "org": narrow_root, "display_name": "改名"})
    assert r.status_code == 303
    assert "已保存角色与数据范围" in c.get(r.headers["Location"]).get_data(as_text=True)
    assert target.get(f"/findings/{web.out_scope_finding}").status_code == 404
    assert target.get(f"/findings/{web.in_scope_finding}").status_code == 200
    c.post(f"/accounts/{uid}/access", data={"csrf_token": token(c), "role": "auditor"})
    assert target.get(f"/findings/{web.in_scope_finding}").status_code == 403
    u = account(web, "acc_scope")
    assert (u.role, u.scope_org_ids, u.display_name) == ("auditor", [], "改名")
    ops = [e.detail["op"] for e in changes(web, "acc_scope")]
    assert ops == ["add", "access", "access"]


def test_reset_password_one_time_or_chosen(web):
    c = web.client("admin")
    create(c, "acc_pw", password=PASSWORD, all_orgs="1")
    uid = user_id(web, "acc_pw")
    old_session = web.client("acc_pw")
    html = c.post(f"/accounts/{uid}/password", data={"csrf_token": token(c)}).get_data(as_text=True)
    otp = re.search(r'id="one-time-password">([^<]+)<', html).group(1)
    assert old_session.get("/").status_code == 302       # the old session ended
    login(web.app.test_client(), "acc_pw", otp)
    assert account(web, "acc_pw").must_change_password
    r = c.post(f"/accounts/{uid}/password", data={"csrf_token": token(c), "password": "too-short"[:5],
                                                  "password2": "too-short"[:5]})
    assert "至少需要8位" in c.get(r.headers["Location"]).get_data(as_text=True)
    r = c.post(f"/accounts/{uid}/password", data={"csrf_token": token(c), "password": "chosen-pass-1",
                                                  "password2": "other-pass-1"})
    assert "两次输入的密码不一致" in c.get(r.headers["Location"]).get_data(as_text=True)
    html = c.post(f"/accounts/{uid}/password", data={"csrf_token": token(c), "password": "chosen-pass-1",
                                                     "password2": "chosen-pass-1"}).get_data(as_text=True)
    assert "one-time-password" not in html and "已按管理员设定的值保存" in html
    login(web.app.test_client(), "acc_pw", "chosen-pass-1")
    assert not account(web, "acc_pw").must_change_password
    details = [e.detail for e in changes(web, "acc_pw")]
    assert [(d["op"], d.get("one_time")) for d in details[1:]] == [("password", True), ("password", False)]


def test_disable_enable_and_unlock(web):
    c = web.client("admin")
    create(c, "acc_state", password=PASSWORD, all_orgs="1")
    uid = user_id(web, "acc_state")
    signed_in = web.client("acc_state")
    c.post(f"/accounts/{uid}/active", data={"csrf_token": token(c), "active": "0"})
    assert signed_in.get("/").status_code == 302
    assert "已停用" in c.get("/accounts/").get_data(as_text=True)
    fresh = web.app.test_client()
    fresh.get("/login")
    r = fresh.post("/login", data={"csrf_token": token(fresh), "username": "acc_state", "password": PASSWORD})
    assert "账户已停用" in r.get_data(as_text=True)
    c.post(f"/accounts/{uid}/active", data={"csrf_token": token(c), "active": "1"})
    for _ in range(5):
        fresh.post("/login", data={"csrf_token": token(fresh), "username": "acc_state", "password": "wrong"})
    page = c.get(f"/accounts/{uid}").get_data(as_text=True)
    assert "锁定至" in page and "解除锁定" in page
    assert re.search(r"<code>acc_state</code>.*?锁定至", c.get("/accounts/").get_data(as_text=True), re.S)
    c.post(f"/accounts/{uid}/unlock", data={"csrf_token": token(c)})
    assert "锁定至" not in c.get(f"/accounts/{uid}").get_data(as_text=True)
    login(web.app.test_client(), "acc_state")
    ops = [e.detail["op"] for e in changes(web, "acc_state")]
    assert ops == ["add", "disable", "enable", "unlock"]


def test_the_last_administrator_cannot_disable_or_demote_themselves(web):
    c = web.client("admin")
    me = web.users["admin"]
    for url, data in ((f"/accounts/{me}/active", {"active": "0"}),
                      (f"/accounts/{me}/access", {"role": "inspector", "all_orgs": "1"})):
        r = c.post(url, data={"csrf_token": token(c), **data})
        assert "至少需要保留一名启用的系统管理员账户" in c.get(r.headers["Location"]).get_data(as_text=True)
    u = account(web, "admin")
    assert (u.role, u.active) == ("admin", True)
    # with a second administrator, one may step down (and lands on their new home page)
    create(c, "acc_admin2", role="admin", password=PASSWORD, all_orgs="1")
    second = web.client("acc_admin2")
    uid = user_id(web, "acc_admin2")
    r = second.post(f"/accounts/{uid}/access", data={"csrf_token": token(second), "role": "inspector",
                                                     "all_orgs": "1"})
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert second.get("/accounts/").status_code == 403
    assert account(web, "admin").role == "admin"


def _org(web) -> str:
    from riskgraph.access import org_tree

    tree = org_tree(web.graph)
    assert tree and tree[0]["depth"] == 0
    return tree[0]["id"]
