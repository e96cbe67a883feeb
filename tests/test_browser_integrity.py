"""Integrity-opinion replies (党风廉政意见回复) in real headless Chromium, launched as in
tests/test_web_browser.py: the organisation officer uploads a CSV candidate list (first
one with bad rows, which are shown and not saved), sees the drafts (a veto from a
confirmed two-faced finding, notes from an open finding, no objection), the discipline
officer signs each reply, and exports the PDF through the page; the PDF's text is
checked with pdftotext. Screenshots of each step (and the PDF's first page) go to
tests/.screenshots/."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from integritykit import cast, csv_bytes
from test_web_browser import browser, page, server, shot, sign_in  # noqa: F401  (fixtures)
from webkit import SCREENSHOTS, web  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def sign_out(page) -> None:
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/login")


def reply_card(page, name: str):
    return page.locator("section.reply", has=page.locator("h2", has_text=name))


def pdf_text(path) -> str:
    """The PDF's text; NFKC folds Kangxi radicals (⼈ U+2F08) some fonts map CJK to."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", text)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_upload_draft_sign_and_export(page, web, tmp_path):
    people = cast(web)
    bad = tmp_path / "有错的名单.csv"
    bad.write_text(f"姓名,身份证号\n{people.clean.name},{people.clean.id}\n,{people.veto.id}\n",
                   encoding="utf-8")
    good = tmp_path / "拟提拔人选名单.csv"
    good.write_bytes(csv_bytes([people.veto, people.notes, people.clean]))

    # 1. the organisation officer uploads the list: bad rows first
    sign_in(page, "officer")
    page.click("nav.mainnav >> text=廉政意见回复")
    page.click("text=提交人选名单")
    form = page.locator("#upload-form")
    form.locator("input[name=title]").fill("2026年1月拟提拔人选")
    form.locator("input[name=file]").set_input_files(str(bad))
    form.locator("button[type=submit]").click()
    problems = page.locator("#problems")
    assert "未保存任何内容" in problems.inner_text()
    assert problems.locator("tbody tr").count() == 1
    assert "有错的名单.csv\t3\t姓名\t不能为空" in problems.locator("tbody tr").inner_text()
    shot(page, "int-01-upload-bad-rows")
    page.fill("#search-form input[name=q]", people.clean.name)
    page.click("#search-form button")
    page.click(f"table.results tr:has-text('{people.clean.id}') >> text=加入名单")
    assert people.clean.id in page.locator("ol.picked").inner_text()
    shot(page, "int-01b-form-picked")
    form = page.locator("#upload-form")
    form.locator("input[name=title]").fill("2026年1月拟提拔人选")
    form.locator("input[name=due_date]").fill("2026-01-31")
    form.locator("input[name=file]").set_input_files(str(good))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("section.reply")
    assert "已上传名单 拟提拔人选名单.csv（3人）" in page.locator(".flash-ok").inner_text()
    batch_url = page.url.split("#")[0]

    # 2. the drafts
    veto = reply_card(page, people.veto.name)
    assert "有不同意见（不宜提拔）" in veto.locator(".reply-tags").inner_text()
    assert veto.locator(".tag.veto").inner_text() == "一票否决"
    assert veto.locator(f"a[href$='/findings/{people.veto_finding}']").count() == 1
    notes = reply_card(page, people.notes.name)
    assert "有说明事项" in notes.locator(".reply-tags").inner_text()
    assert notes.locator(f"a[href$='/findings/{people.notes_finding}']").count() == 1
    clean = reply_card(page, people.clean.name)
    assert "无不同意见" in clean.locator(".reply-tags").inner_text()
    assert page.locator("form.sign-form").count() == 0       # the officer does not sign
    shot(page, "int-02-drafts")
    page.click("nav.mainnav >> text=廉政意见回复")
    row = page.locator("table.batches tbody tr", has_text="2026年1月拟提拔人选").first
    assert "待签署" in row.inner_text()
    shot(page, "int-03-batch-list")
    sign_out(page)

    # 3. the discipline officer signs each reply (one amended, with a note)
    sign_in(page, "insp")
    page.goto(batch_url)
    veto = reply_card(page, people.veto.name)
    assert veto.locator("select[name=result] option").all_inner_texts() == ["有不同意见（不宜提拔）"]
    shot(page, "int-04-before-signing")
    veto.locator("button:has-text('审核签署')").click()
    assert "已签署" in page.locator(".flash-ok").inner_text()
    notes = reply_card(page, people.notes.name)
    notes.locator("select[name=result]").select_option("no_objection")
    notes.locator("button:has-text('审核签署')").click()
    assert "须填写说明" in page.locator(".flash-error").inner_text()
    notes = reply_card(page, people.notes.name)
    notes.locator("select[name=result]").select_option("no_objection")
    notes.locator("input[name=note]").fill("经核实，已按规定交流轮岗")
    notes.locator("button:has-text('审核签署')").click()
    reply_card(page, people.clean.name).locator("button:has-text('审核签署')").click()
    assert page.locator("form.sign-form").count() == 0
    assert "已全部签署（3/3）" in page.locator("#batch-status").inner_text()
    assert "经核实，已按规定交流轮岗" in reply_card(page, people.notes.name).inner_text()
    page.evaluate("window.scrollTo(0, 0)")      # the page was at the last reply's anchor
    shot(page, "int-05-signed")

    # 4. the PDF, through the export button
    with page.expect_download(timeout=120_000) as download:
        page.click("button:has-text('导出PDF')")
    pdf = tmp_path / "batch.pdf"
    download.value.save_as(pdf)
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(pdf)
    for person in (people.veto, people.notes, people.clean):
        assert person.name in text and person.id in text
    assert "一票否决" in text and "有不同意见(不宜提拔)" in text and "无不同意见" in text
    assert "经核实,已按规定交流轮岗" in text
    assert "内部资料 注意保密" in text and "insp用户" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                        str(SCREENSHOTS / "int-06-pdf")], check=True)
    # the one refused upload answers 422, which Chromium logs; nothing else may fail
    assert [e for e in page.errors if "422 (UNPROCESSABLE ENTITY)" not in e] == []
