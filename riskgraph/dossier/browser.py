"""Headless Chromium (through Playwright) for printing dossiers to PDF and drawing SVG
figures as PNG images for DOCX files.

Uses the system Chromium (``apt-get install chromium fonts-noto-cjk``; never
``playwright install``), found at ``CHROMIUM_PATHS`` or on the ``PATH``.
Pages are loaded with ``set_content`` and make no network requests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"


class BrowserMissing(RuntimeError):
    pass


def chromium_path() -> str:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    found = shutil.which("chromium")
    if found:
        return found
    raise BrowserMissing("未找到 Chromium 浏览器（导出 PDF 需要）：请运行 "
                         "apt-get install -y chromium fonts-noto-cjk")


@contextmanager
def browser() -> Iterator:
    """A headless Chromium, closed when the block ends."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserMissing("未安装 playwright：pip install playwright") from None
    path = chromium_path()
    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chrome
        finally:
            chrome.close()


def _header(marking: str, title: str) -> str:
    return (f'<div style="font-family:{FONT};font-size:8px;width:100%;margin:0 18mm;'
            'display:flex;justify-content:space-between;color:#b00;">'
            f'<span style="font-weight:bold">{escape(marking)}</span>'
            f'<span style="color:#555">{escape(title)}</span></div>')


def _footer(watermark: str) -> str:
    return (f'<div style="font-family:{FONT};font-size:8px;width:100%;margin:0 18mm;'
            'display:flex;justify-content:space-between;color:#444;">'
            f'<span>{escape(watermark)}</span>'
            '<span>第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页</span>'
            '</div>')


def html_to_pdf(html: str, out: Path, *, title: str, marking: str, watermark: str) -> Path:
    """Print ``html`` to an A4 PDF with the marking in the header and page numbers
    ("第 N 页 共 M 页") and the watermark line in the footer of every page. Its text
    layer is fixed so that CJK text extracts as written (`riskgraph.dossier.tounicode`)."""
    from riskgraph.dossier.tounicode import fix_pdf

    with browser() as chrome:
        page = chrome.new_page()
        page.set_content(html, wait_until="load")
        page.emulate_media(media="print")
        data = page.pdf(format="A4", print_background=True,
                        display_header_footer=True, header_template=_header(marking, title),
                        footer_template=_footer(watermark),
                        margin={"top": "20mm", "bottom": "18mm", "left": "18mm", "right": "18mm"})
    out.write_bytes(fix_pdf(data))
    return out


def svgs_to_png(svgs: list[str], scale: float = 2.0) -> list[bytes]:
    """Each SVG document drawn as a PNG image (device scale ``scale`` for sharp print)."""
    if not svgs:
        return []
    out = []
    with browser() as chrome:
        page = chrome.new_page(device_scale_factor=scale)
        for svg in svgs:
            page.set_content(f'<html><body style="margin:0;background:#fff">{svg}</body></html>')
            out.append(page.locator("svg").first.screenshot(type="png"))
    return out
