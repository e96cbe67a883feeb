"""A whole consultation meeting (会商) through the UI in real headless Chromium, each
person in their own browser: the secretary creates it, puts two findings on the agenda
and circulates it; the organisation officer and the discipline officer record their
opinions; the secretary records the decisions; both sides sign; the minutes are locked
and a stale edit is refused; the PDF and DOCX dossiers are downloaded and checked (PDF
text extracted with pdftotext, pages rendered to PNG with pdftoppm)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib

import pytest
from docx import Document
from pypdf import PdfReader

from meetingkit import spare_findings
from test_web_browser import browser, server, shot, sign_in  # noqa: F401
from webkit import web  # noqa: F401  (fixture)

from riskgraph.dossier import MARKING

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TITLE = "2025年第四次干部监督会商会"
DECISIONS = {"talk_inquiry": "谈话函询", "preliminary_verification": "初步核实"}


@pytest.fixture
def people(browser, server):
    """A signed-in page per person, each in its own browser context."""
    contexts, pages = [], {}
    for name in ("secretary", "officer", "insp"):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                 accept_downloads=True)
        pg = ctx.new_page()
        pg.errors = []
        pg.on("pageerror", lambda exc, pg=pg: pg.errors.append(str(exc)))
        pg.on("console", lambda msg, pg=pg: msg.type == "error" and pg.errors.append(msg.text))
        pg.base = server
        sign_in(pg, name)
        contexts.append(ctx)
        pages[name] = pg
    yield pages
    for ctx in contexts:
        ctx.close()


def open_meeting(page) -> None:
    page.click("nav.mainnav >> text=会商")
    page.click(f"table.meetings >> text={TITLE}")


def findings_info(web, ids):
    from riskgraph.store import Finding

    with web.sessions() as s:
        out = []
        for fid in ids:
            f = s.get(Finding, fid)
            names = [e["name"] for e in f.entities if e["id"] in f.subject_ids and e.get("name")]
            out.append({"id": fid, "title": f.title, "citation": f.citation, "names": names})
        return out


def squash(text: str) -> str:
    return "".join(text.split())


def png_pixels(path) -> bytes:
    """The decompressed image data of a PNG (filter bytes included)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                    reason="poppler-utils not installed")
def test_whole_meeting_in_the_browser(people, web, tmp_path):
    from riskgraph.store import Finding

    sec, org, insp = people["secretary"], people["officer"], people["insp"]
    (f1, _), (f2, _) = spare_findings(web, 2, skip=4)
    info = findings_info(web, [f1, f2])

    # the secretary creates the meeting
    sec.click("nav.mainnav >> text=会商")
    sec.click("text=新建会商")
    sec.fill("input[name=title]", TITLE)
    sec.fill("input[name=date]", "2025-12-26")
    sec.check("fieldset.side-organisation >> label:has-text('officer用户') >> input")
    sec.check("fieldset.side-discipline >> label:has-text('insp用户') >> input")
    shot(sec, "m01-new-meeting")
    sec.click("button:has-text('创建会议')")
    assert "会议已创建" in sec.locator(".flash-ok").inner_text()
    # ... puts both findings on the agenda through the picker
    for f in info:
        sec.select_option("#picker select[name=kind]", "finding")
        sec.fill("#picker input[name=q]", str(f["id"]))
        sec.click("#picker button:has-text('查找')")
        sec.click("table.candidates >> button:has-text('加入议程')")
        assert "议题已加入议程" in sec.locator(".flash-ok").inner_text()
    assert sec.locator("section.item").count() == 2
    sec.wait_for_selector("section.item .graph[data-ready]")
    shot(sec, "m02-agenda")
    sec.click("#circulate-button")
    assert sec.locator("#meeting-status").inner_text() == "已分发"

    # both sides record their opinions, each on their own page
    for page, side, text in ((org, "organisation", "组织部门意见：建议先行谈话"),
                             (insp, "discipline", "纪检监察意见：问题基本属实")):
        open_meeting(page)
        assert page.locator(f".opinion-{'discipline' if side == 'organisation' else 'organisation'} form").count() == 0
        for n in range(2):
            page.locator(f"section.item >> nth={n} >> .opinion-{side} textarea").fill(f"{text}（议题{n + 1}）")
            page.locator(f"section.item >> nth={n} >> .opinion-{side} button").click()
            assert "意见已记录" in page.locator(".flash-ok").inner_text()
        shot(page, f"m03-opinions-{side}")

    # the secretary records the decisions
    sec.reload()
    for n, code in enumerate(DECISIONS):
        item = sec.locator(f"section.item >> nth={n}")
        item.locator("select[name=decision]").select_option(code)
        item.locator("input[name=owner]").fill("县纪委第二监督检查室")
        item.locator("input[name=due_date]").fill("2026-01-31")
        item.locator("button:has-text('记录决定')").click()
        assert "决定已记录" in sec.locator(".flash-ok").inner_text()
    shot(sec, "m04-decisions")

    # both sides sign; the secretary still has the page open with the decision forms
    for page in (org, insp):
        page.reload()
        page.click("#sign-button")
        assert "已签字" in page.locator(".flash-ok").inner_text()
    assert insp.locator("#locked-banner").is_visible()
    assert "已签字" in insp.locator("#meeting-status").inner_text()
    assert insp.locator("section.item form").count() == 0 and insp.locator("#sign-button").count() == 0
    shot(insp, "m05-locked")
    with web.sessions() as s:
        first, second = s.get(Finding, f1), s.get(Finding, f2)
        assert (first.review_status, first.handling) == ("confirmed", "talk_inquiry")
        assert second.handling == "preliminary_verification"

    # the stale form is refused and changes nothing
    stale = sec.locator("section.item >> nth=0")
    stale.locator("select[name=decision]").select_option("close")
    stale.locator("button:has-text('记录决定')").click()
    assert sec.locator(".big-code").inner_text() == "409"
    assert "已经双方签字锁定" in sec.locator("main").inner_text()
    shot(sec, "m06-edit-refused")
    with web.sessions() as s:
        assert s.get(Finding, f1).handling == "talk_inquiry"
    sec.go_back()
    sec.reload()
    assert sec.locator("#locked-banner").is_visible()
    assert sec.locator("section.item").first.locator(".decision-text").inner_text() == "谈话函询"

    # the dossiers, downloaded through the buttons
    with sec.expect_download(timeout=180_000) as dl:
        sec.click("button:has-text('导出PDF')")
    pdf = tmp_path / "meeting.pdf"
    dl.value.save_as(pdf)
    with sec.expect_download(timeout=180_000) as dl:
        sec.click("button:has-text('导出Word')")
    docx = tmp_path / "meeting.docx"
    dl.value.save_as(docx)
    assert dl.value.suggested_filename.endswith(".docx")

    def pdftotext(*options) -> list[str]:
        out = subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True,
                             capture_output=True, text=True).stdout.split("\f")
        return [p for p in out if p.strip()]

    pages = pdftotext()
    # -nodiag leaves out the diagonal watermark, which would cut into the lines
    text = squash("".join(pdftotext("-nodiag")))
    expected = [TITLE, "谈话函询", "初步核实", "县纪委第二监督检查室", "2026-01-31",
                "组织部门意见：建议先行谈话", "纪检监察意见：问题基本属实", "officer用户", "insp用户",
                "导出人：secretary用户（secretary）"]
    for f in info:
        expected += [f["title"], f["citation"], *f["names"]]
    for e in expected:
        assert squash(e) in text, e
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert squash(MARKING) in squash(page)
        assert f"第{n}页共{len(pages)}页" in squash(page)

    # pdftotext folds compatibility characters itself; the text layer as written in the
    # PDF must name ideographs, not the radicals Chromium picks (riskgraph.dossier.tounicode)
    layer = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert TITLE in layer and not [c for c in layer if 0x2E80 <= ord(c) < 0x2FE0]

    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(pages)
    for png in pngs:
        pixels = png_pixels(png)
        assert len(set(pixels)) > 16, png.name          # not one colour: text and lines drawn
        shutil.copy(png, shot_path(f"m07-pdf-{png.stem}"))

    doc = Document(str(docx))
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert TITLE in "\n".join(p.text for p in doc.paragraphs)
    assert "谈话函询" in cells and info[0]["title"] in cells

    refused = "status of 409"                       # the stale edit above, and nothing else
    for page in (sec, org, insp):
        assert [e for e in page.errors if refused not in e] == [], page.errors


def shot_path(name: str):
    from webkit import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
