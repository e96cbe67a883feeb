"""Dossiers as DOCX (python-docx), from the same records as the PDF.

Every page carries the confidentiality marking in the header, the exporting user and
time in the footer with "第 N 页 共 M 页" (PAGE / NUMPAGES fields), and a diagonal
text watermark (a VML text shape in the header, which Word and LibreOffice show behind
the text). Chinese text uses 宋体 / 黑体 as East-Asian fonts (what readers' machines have).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_FONT, HEAD_FONT = "宋体", "黑体"


def _east_asian(style_or_run: Any, name: str) -> None:
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _field(paragraph, code: str) -> None:
    run = paragraph.add_run()
    for tag, attr in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", None),
                      ("w:fldChar", {"w:fldCharType": "end"})):
        el = OxmlElement(tag)
        if attr:
            for k, v in attr.items():
                el.set(qn(k), v)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        run._r.append(el)


def _watermark(paragraph, text: str) -> None:
    xml = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<w:pict><v:shape id="riskgraphWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:460pt;height:46pt;'
        'rotation:315;z-index:-251654144;mso-position-horizontal:center;'
        'mso-position-horizontal-relative:margin;mso-position-vertical:center;'
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#c8c8c8" stroked="f">'
        '<v:fill opacity=".35"/>'
        f'<v:textpath style="font-family:&quot;{HEAD_FONT}&quot;;font-size:1pt" string="{_attr(text)}"/>'
        '</v:shape></w:pict></w:r>')
    paragraph._p.append(parse_xml(xml))


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _document(title: str, marking: str, watermark: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(10.5)
    _east_asian(normal, BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(doc.styles[name], HEAD_FONT)
        doc.styles[name].font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    head = section.header.paragraphs[0]
    run = head.add_run(marking)
    run.bold, run.font.color.rgb, run.font.size = True, RGBColor(0xB0, 0, 0), Pt(9)
    head.add_run("\t\t" + title).font.size = Pt(8)
    _watermark(head, watermark)
    foot = section.footer.paragraphs[0]
    foot.add_run(watermark + "\t\t").font.size = Pt(8)
    foot.add_run("第 ")
    _field(foot, "PAGE")
    foot.add_run(" 页 共 ")
    _field(foot, "NUMPAGES")
    foot.add_run(" 页")
    p = doc.add_paragraph()
    r = p.add_run(marking)
    r.bold, r.font.color.rgb = True, RGBColor(0xB0, 0, 0)
    return doc


def _table(doc, header: list[str] | None, rows: list[list[str]], widths: list[float] | None = None):
    table = doc.add_table(rows=0, cols=len(rows[0]) if rows else len(header or []))
    table.style = "Table Grid"
    for values, bold in ([(header, True)] if header else []) + [(r, False) for r in rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.bold, run.font.size = bold, Pt(9)
    if widths:
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Mm(w)
    doc.add_paragraph()
    return table


def _title(doc, text: str, meta: str) -> None:
    h = doc.add_heading(text, level=0)
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph(meta)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def meeting_docx(m: dict[str, Any], out: Path, *, marking: str, watermark: str,
                 images: dict[int, bytes] | None = None) -> Path:
    """``images``: PNG of the evidence graph per finding id (optional)."""
    doc = _document(m["title"], marking, watermark)
    _title(doc, m["title"], f"会商纪要 · 会议日期 {m['date']} · 状态：{m['status']} · 编号 {m['id']}")
    doc.add_heading("一、参会人员", level=1)
    rows = [[side, "、".join(f"{p['name']}（{p['unit']}）" for p in people)]
            for side, people in m["sides"].items()] + [["会商秘书", m["created_by"]]]
    _table(doc, ["所属方", "参会人员"], rows, [36, 134])
    doc.add_heading("二、议程", level=1)
    _table(doc, ["序号", "类别", "议题", "决定"],
           [[str(i["position"]), i["kind"], i["title"], i["current"]["decision"] or "未决定"]
            for i in m["items"]], [14, 24, 100, 32])
    doc.add_heading("三、议题详情", level=1)
    for it in m["items"]:
        doc.add_heading(f"议题{it['position']}：{it['title']}", level=2)
        for f in it["findings"]:
            _table(doc, None, [["问题线索", f"{f['id']}：{f['title']}"],
                               ["涉及干部", "、".join(f["subjects"])],
                               ["严重程度 / 审核状态", f"{f['severity']} / {f['review_status']}"],
                               ["情况说明", f["explanation"]], ["依据", f["citation"]]], [40, 130])
            if images and f["id"] in images:
                doc.add_picture(io.BytesIO(images[f["id"]]), width=Mm(165))
                cap = doc.add_paragraph(f"图：问题线索 {f['id']} 的证据关系")
                cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if f["notes"]:
                doc.add_paragraph("；".join(f["notes"]))
            if f["edges"]:
                _table(doc, ["关系", "从", "到", "起", "止", "数据来源"],
                       [[e["type_zh"], e["from"], e["to"], e["start"], e["end"], e["source"]]
                        for e in f["edges"]])
        rows = [["组织部门意见", it["org_opinion"] or "（未记录）"],
                ["纪检监察机关意见", it["discipline_opinion"] or "（未记录）"],
                ["会商决定", it["decision"] or "（未决定）"], ["承办人（单位）", it["owner"]],
                ["办结时限", it["due_date"]]]
        if it["amended"]:
            c = it["current"]
            rows.append(["会后变更", f"现决定：{c['decision']}；承办：{c['owner']}（见补充记录）"])
        _table(doc, None, rows, [40, 130])
    doc.add_heading("四、签字", level=1)
    _table(doc, ["所属方", "签字人", "签字时间"],
           [[s["side"], s["by"] or "（未签字）", s["at"]] for s in m["signatures"]], [40, 60, 70])
    if m["entries"]:
        doc.add_heading("五、补充记录（签字后）", level=1)
        _table(doc, ["时间", "记录人", "议题", "内容"],
               [[e["at"], e["by"], str(e["item"] or ""),
                 e["text"] + (f"（决定变更为：{e['decision']}）" if e["decision"] else "")]
                for e in m["entries"]], [36, 24, 14, 96])
    doc.add_paragraph(watermark)
    doc.save(str(out))
    return out


def batch_docx(b: dict[str, Any], out: Path, *, marking: str, watermark: str) -> Path:
    doc = _document(b["title"], marking, watermark)
    _title(doc, "党风廉政意见回复", f"{b['title']} · 请求单位：{b['requesting_org']} · "
                                   f"提交人：{b['created_by']} · {b['created_at']}")
    doc.add_heading("一、回复汇总", level=1)
    _table(doc, ["序号", "姓名", "身份证号", "回复意见", "签署人", "签署时间"],
           [[str(n), r["name"], r["person_id"],
             (r["final"] or "草稿：" + r["draft"]) + ("（一票否决）" if r["veto"] else ""),
             r["signed_by"] or "（未签署）", r["signed_at"]]
            for n, r in enumerate(b["replies"], start=1)], [10, 18, 38, 50, 20, 34])
    doc.add_heading("二、逐人意见", level=1)
    for n, r in enumerate(b["replies"], start=1):
        doc.add_heading(f"{n}. {r['name']}（{r['person_id']}）", level=2)
        reasons = "\n".join(f"{i}. 〔{x['effect']}〕{x['text']}" + (f"（{x['by']}）" if x["by"] else "")
                            for i, x in enumerate(r["reasons"], start=1))
        _table(doc, None, [["系统草拟", r["draft"]], ["签署意见", r["final"] or "（未签署）"],
                           ["依据", reasons or "未发现影响提拔使用的问题线索和信访举报。"]], [40, 130])
    doc.add_paragraph(watermark)
    doc.save(str(out))
    return out
