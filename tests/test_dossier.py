"""Dossiers: a signed meeting and an integrity batch exported as PDF (text extracted,
pages rendered to PNG with pdftoppm) and DOCX (content read back), watermarked and
audited."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader
from workflowkit import (
    AS_OF,
    CITY,
    HOME,
    PET,
    TWO,
    county_graph,
    make_users,
    region_findings,
    signed_meeting,
    two_faced_finding,
)

from riskgraph import integrity
from riskgraph.authz import PermissionDenied
from riskgraph.dossier import MARKING, export_batch, export_meeting
from riskgraph.dossier.browser import BrowserMissing, chromium_path
from riskgraph.store import AuditEntry, session_scope

pytestmark = [pytest.mark.integration, pytest.mark.slow]

try:
    chromium_path()
    HAVE_CHROMIUM = True
except BrowserMissing:
    HAVE_CHROMIUM = False
needs_chromium = pytest.mark.skipif(not HAVE_CHROMIUM, reason="Chromium is not installed")
AT = datetime(2026, 1, 5, 2, 30, tzinfo=UTC)


@pytest.fixture
def world(graph, store, settings):
    county_graph(graph)
    users = make_users(store)
    findings = region_findings(graph, store, settings)
    return users, findings, signed_meeting(store, users, findings)


# Chromium's PDF text layer would name some CJK glyphs by their radical's code point
# (干 as ⼲ U+2F32); the dossier fixes the text layer (riskgraph.dossier.tounicode), so
# the text is compared as extracted, and no radical may appear in it.
RADICAL_BLOCKS = range(0x2E80, 0x2FE0)


def pdf_text(path) -> list[str]:
    pages = [page.extract_text() for page in PdfReader(str(path)).pages]
    radicals = {c for page in pages for c in page if ord(c) in RADICAL_BLOCKS}
    assert not radicals, f"radicals in the PDF text layer: {sorted(radicals)}"
    return pages


def squash(text: str) -> str:
    """Without white space, for comparing."""
    return "".join(text.split())


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_meeting_pdf(world, store, tmp_path):
    users, _findings, mid = world
    out = tmp_path / "meeting.pdf"
    with session_scope(store) as s:
        export_meeting(s, users["insp"], mid, "pdf", out, now=AT)
    pages = pdf_text(out)
    text = squash("".join(pages))
    for expected in ["2025年第4次干部监督会商会", "组织部李科长", "纪委周主任", "审计局列席代表",
                     "建议暂缓提拔，由纪委先行谈话", "地域回避问题属实，建议谈话函询", "谈话函询",
                     "予以了结", "县纪委第二监督检查室", "2026-01-31", "张建国", "李明",
                     "党政领导干部任职回避暂行规定", "occupancies.csv:", "改为暂存待查",
                     "导出人：纪委周主任（insp）", "2026-01-0510:30（北京时间）"]:
        assert squash(expected) in text, expected
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert squash(MARKING) in squash(page)
        assert f"第{n}页共{len(pages)}页" in squash(page)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(pages)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in pngs)
    with session_scope(store) as s:
        entry = s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")).one()
        assert (entry.username, entry.object_id, entry.detail["format"]) == ("insp", str(mid), "pdf")


@needs_chromium
def test_meeting_docx(world, store, tmp_path):
    users, _findings, mid = world
    out = tmp_path / "meeting.docx"
    with session_scope(store) as s:
        export_meeting(s, users["sec"], mid, "docx", out, now=AT)
        with pytest.raises(PermissionDenied):
            export_meeting(s, users["auditor"], mid, "docx", tmp_path / "no.docx")
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "2025年第4次干部监督会商会" in body and "导出人：王秘书（sec）" in body
    for expected in ["建议暂缓提拔，由纪委先行谈话", "谈话函询", "予以了结", "张建国",
                     "改为暂存待查", "组织部李科长", "纪委周主任"]:
        assert expected in cells, expected
    header = doc.sections[0].header._element.xml
    footer = doc.sections[0].footer._element.xml
    assert MARKING in header and "v:textpath" in header and "导出人：王秘书" in header
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert len(doc.inline_shapes) == 2            # the evidence graphs of both findings
    assert not (tmp_path / "no.docx").exists()


@needs_chromium
def test_batch_pdf_and_docx(graph, store, settings, tmp_path):
    county_graph(graph)
    users = make_users(store)
    region_findings(graph, store, settings)
    two_faced_finding(store)
    with session_scope(store) as s:
        batch = integrity.submit_batch(
            s, users["org"], title="2026年1月拟提拔人选", requesting_org="县委组织部",
            candidates=[{"姓名": "王二", "身份证号": TWO}, {"姓名": "陈四", "身份证号": PET},
                        {"姓名": "张建国", "身份证号": HOME}, {"姓名": "李明", "身份证号": CITY}])
        integrity.draft_batch(s, graph, users["insp"], batch.id, as_of=AS_OF)
        integrity.sign_reply(s, users["insp"], batch.replies[0].id, "objection")
        export_batch(s, users["insp"], batch.id, "pdf", tmp_path / "b.pdf", now=AT)
        export_batch(s, users["org"], batch.id, "docx", tmp_path / "b.docx", now=AT)
        bid = batch.id
    text = squash("".join(pdf_text(tmp_path / "b.pdf")))
    for expected in ["党风廉政意见回复", "王二", "一票否决", "有不同意见", "反映其收受工程老板礼金",
                     "草稿：有说明事项", "内部资料注意保密", "导出人：纪委周主任"]:
        assert squash(expected) in text, expected
    doc = Document(str(tmp_path / "b.docx"))
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "一票否决" in cells and "陈四" in cells and "纪委周主任" in cells
    with session_scope(store) as s:
        rows = s.execute(sa.select(AuditEntry.username, AuditEntry.detail).where(
            AuditEntry.action == "export", AuditEntry.object_id == str(bid))).all()
        assert sorted((u, d["format"]) for u, d in rows) == [("insp", "pdf"), ("org", "docx")]
