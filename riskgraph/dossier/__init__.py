"""Dossiers: a consultation meeting's minutes and an integrity-opinion batch, exported
as PDF (HTML from Jinja2 templates printed by headless Chromium) and DOCX (python-docx).

- ``records``: the content as plain dicts (shared with the web pages).
- ``svg``: evidence graphs drawn as SVG by our own layout.
- ``export``: ``export_meeting`` / ``export_batch`` (role check, watermark, audit).
- ``browser``: Chromium via Playwright; ``word``: the DOCX writer.
"""

from riskgraph.dossier.export import MARKING, export_batch, export_meeting, render_html

__all__ = ["MARKING", "export_batch", "export_meeting", "render_html"]
