"""Browser tests in real headless Chromium (Playwright driving /usr/bin/chromium) against
the app served by waitress on loopback, with the real embedded database and generated
data. Screenshots of each page go to tests/.screenshots/."""

from __future__ import annotations

import shutil
import socket
import threading

import pytest

from webkit import PASSWORD, SCREENSHOTS, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip("chromium is not installed (scripts/setup --test)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(web):
    from waitress.server import create_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = create_server(web.app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    srv.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: msg.type == "error" and pg.errors.append(msg.text))
    pg.base = server
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# Pairs of nodes whose boxes (label included) overlap in the drawn graph.
OVERLAPS = """() => { const ns = window.riskgraphCy.nodes(); const out = [];
  for (let i = 0; i < ns.length; i++) for (let j = i + 1; j < ns.length; j++) {
    const a = ns[i].boundingBox({includeLabels: true}), b = ns[j].boundingBox({includeLabels: true});
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push([ns[i].id(), ns[j].id()]); }
  return out; }"""


def sign_in(page, username="insp", lands="/"):
    page.goto(page.base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(page.base + lands)


def test_login_and_dashboard(page):
    page.goto(page.base + "/")
    assert "/login" in page.url
    shot(page, "01-login")
    page.fill("input[name=username]", "insp")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").inner_text() == "用户名或密码错误"
    sign_in(page)
    assert page.locator("h1").inner_text() == "总览"
    assert page.locator(".tile-red .tile-num").inner_text() != "0"
    shot(page, "02-dashboard")
    assert page.errors == []


def test_queue_filter_and_review_action(page, web):
    sign_in(page)
    page.click("nav.mainnav >> text=预警线索")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() >= 2
    page.select_option("select[name=severity]", "medium")
    page.click("text=筛选")
    assert "severity=medium" in page.url
    assert page.locator("table.queue tbody tr").count() >= 1
    shot(page, "03-queue")
    page.goto(page.base + f"/findings/{web.out_scope_finding}")
    page.fill("form:has(input[value=escalate]) input[name=comment]", "移交初核")
    page.select_option("select[name=handling]", "preliminary_verification")
    page.click("form:has(input[value=escalate]) button")
    assert "已保存" in page.locator(".flash-ok").inner_text()
    assert "初步核实" in page.locator(".meta").inner_text()
    assert "移交处置" in page.locator("ol.history").inner_text()
    shot(page, "04-finding-reviewed")
    assert page.errors == []


def test_finding_graph_renders(page, web):
    sign_in(page)
    page.goto(page.base + f"/findings/{web.in_scope_finding}")
    page.wait_for_selector("#graph[data-ready]")
    drawn = int(page.get_attribute("#graph", "data-ready"))
    assert drawn >= 2
    assert page.locator("#graph canvas").count() >= 1
    # the nodes are where cytoscape says, and the drawing is not blank
    box = page.locator("#graph").bounding_box()
    assert box["height"] > 300
    assert page.evaluate("window.riskgraphCy.nodes().length") == drawn
    assert page.locator("table.evidence tbody tr").count() >= 1
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate("typeof cytoscape('layout', 'fcose')") == "function"
    shot(page, "05-finding-graph")
    assert page.errors == []


def test_cadre_file(page, web):
    sign_in(page)
    from riskgraph.store import Finding

    with web.sessions() as s:
        cadre = s.get(Finding, web.in_scope_finding).subject_ids[0]
    page.goto(page.base + f"/cadres/{cadre}")
    assert page.locator("#posts tbody tr").count() >= 1
    assert "法定" in page.locator("#kin h2").inner_text()
    assert page.locator("ol.timeline li").count() >= 2
    assert page.locator("#findings a").count() >= 1
    shot(page, "06-cadre-file")
    assert page.errors == []


def test_expanding_keeps_the_graph_in_place(page, web):
    sign_in(page)
    page.goto(page.base + f"/links/?a=Person:{web.link_cadre}&b={web.link_company}&hops=6")
    page.wait_for_selector("#graph[data-ready]")
    where = "Object.fromEntries(window.riskgraphCy.nodes().map(n => [n.id(), n.position()]))"
    before = page.evaluate(where)
    page.evaluate("window.riskgraphCy.nodes()[0].emit('dbltap')")
    page.wait_for_selector(f"#graph:not([data-ready='{len(before)}'])", timeout=15000)
    page.wait_for_timeout(800)
    after = page.evaluate(where)
    moved = [abs(after[k]["x"] - p["x"]) + abs(after[k]["y"] - p["y"]) for k, p in before.items()]
    assert len(after) > len(before) and max(moved) < 150, moved   # no restart from scratch
    assert page.evaluate(OVERLAPS) == []
    assert page.errors == []


def test_link_search_paths_and_expand(page, web):
    sign_in(page)
    page.goto(page.base + "/links/")
    page.fill("input[name=q]", web.link_cadre)
    page.click("button:has-text('查找')")
    page.click("table.results >> text=设为起点")
    page.fill("input[name=q]", web.link_company.split(":")[1])
    page.click("button:has-text('查找')")
    page.click("table.results >> text=设为终点")
    page.select_option("select[name=hops]", "6")
    page.click("button:has-text('查询路径')")
    page.wait_for_selector("#graph[data-ready]")
    assert int(page.get_attribute("#graph", "data-ready")) >= 2
    shot(page, "07-link-paths")
    before = page.evaluate("window.riskgraphCy.nodes().length")
    page.evaluate("window.riskgraphCy.nodes()[0].emit('dbltap')")
    page.wait_for_selector(f"#graph:not([data-ready='{before}'])", timeout=15000)
    assert "已展开" in page.locator("#graph-info").inner_text()
    page.wait_for_timeout(800)            # the incremental layout animates
    assert page.evaluate(OVERLAPS) == []
    page.fill("input[name=title]", "浏览器研判")
    page.click("button:has-text('保存研判')")
    assert "研判已保存" in page.locator(".flash-ok").inner_text()
    page.wait_for_selector("#graph[data-ready]")
    assert int(page.get_attribute("#graph", "data-ready")) > before
    shot(page, "08-investigation")
    assert page.errors == []


def test_posts_and_error_pages(page):
    page.goto(page.base + "/login")
    page.fill("input[name=username]", "insp")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").inner_text() == "用户名或密码错误"
    shot(page, "09-login-wrong-password")
    sign_in(page)
    page.goto(page.base + "/posts/")
    assert "高风险" in page.locator("table").inner_text()
    shot(page, "10-posts")
    page.goto(page.base + "/no-such-page")
    assert page.locator(".big-code").inner_text() == "404"
    shot(page, "11-not-found")


def test_audit_page(page):
    sign_in(page, "auditor", lands="/audit/")    # auditors land on the audit log
    assert page.locator("table tbody tr").count() >= 1
    assert "登录" in page.locator("table").inner_text()
    shot(page, "12-audit")
    assert page.errors == []


def test_accounts_page(page, web):
    sign_in(page, "admin")
    page.click("nav.mainnav >> text=账户管理")
    assert page.locator("table.accounts tbody tr").count() >= 6
    assert "安全审计员" in page.locator("table.accounts").inner_text()
    shot(page, "13-accounts")
    page.click("text=新建账户")
    page.fill("input[name=username]", "browser_new")
    page.fill("input[name=display_name]", "浏览器新用户")
    page.select_option("select[name=role]", "org_officer")
    page.locator(".orgtree input[name=org]").first.check()
    page.locator("input[name=rank][value=section]").check()
    shot(page, "14-account-new")
    page.click("button:has-text('创建账户')")
    otp = page.locator("#one-time-password").inner_text()
    assert len(otp) == 14
    shot(page, "15-account-created")
    page.click("text=返回账户")
    assert "组织部门" in page.locator(".meta").inner_text()
    shot(page, "16-account-edit")
    page.click("header >> text=退出")
    page.fill("input[name=username]", "browser_new")
    page.fill("input[name=password]", otp)
    page.click("button[type=submit]")
    page.wait_for_url(page.base + "/password")       # a one-time password opens only this
    shot(page, "17-own-password")
    page.fill("input[name=current]", otp)
    page.fill("input[name=password]", "browser-own-1")
    page.fill("input[name=password2]", "browser-own-1")
    page.click("button:has-text('保存新密码')")
    page.wait_for_url(page.base + "/")
    assert "密码已修改" in page.locator(".flash-ok").inner_text()
    assert page.errors == []
