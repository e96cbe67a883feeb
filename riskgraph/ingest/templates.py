"""Write empty import templates and their documentation."""

from __future__ import annotations

import csv
from pathlib import Path

from riskgraph.schema import EntityType, Field, Schema

TYPE_NAMES = {
    "string": "文本", "code": "编码（字母、数字、-_./，≤64位）", "int": "整数", "float": "数字",
    "money": "金额（万元，≥0）", "percent": "百分比（0—100）", "date": "日期（YYYY-MM-DD）",
    "bool": "是/否", "enum": "枚举", "list": "枚举列表（以;分隔）",
    "resident_id": "18位公民身份号码（GB 11643校验）",
    "credit_code": "18位统一社会信用代码（GB 32100校验）",
    "region_code": "6位行政区划代码", "phone": "电话号码", "ref": "引用",
}


def _describe(field: Field, schema: Schema) -> str:
    text = TYPE_NAMES[field.type]
    if field.type in ("enum", "list"):
        text += "：" + "、".join(f"{c}（{l}）" for c, l in schema.enums[field.values].items())
    if field.type == "ref":
        text += "：" + "或".join(field.to) + "的编码"
    if field.min is not None or field.max is not None:
        text += f"，范围{field.min if field.min is not None else ''}—{field.max if field.max is not None else ''}"
    return text


def write_templates(out_dir: Path, schema: Schema, chinese_headers: bool = True) -> list[Path]:
    """One empty CSV per template (header row only; ``*`` marks required columns) and
    README.md describing every column."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for etype in schema.types:
        path = out_dir / f"{etype.template}.csv"
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerow(
                [(f.zh if chinese_headers else f.name) + ("*" if f.required else "") for f in etype.columns])
        written.append(path)
    readme = out_dir / "README.md"
    readme.write_text(templates_markdown(schema), encoding="utf-8")
    written.append(readme)
    return written


def _section(etype: EntityType, schema: Schema) -> list[str]:
    kind = f"节点 `{etype.label}`" if etype.kind == "node" else f"关系 `{etype.rel_type}`"
    lines = [f"## {etype.template} — {etype.zh}（{kind}）", "", etype.description, "",
             "| 英文表头 | 中文表头 | 必填 | 类型与取值 |", "|---|---|---|---|"]
    for f in etype.columns:
        lines.append(f"| {f.name} | {f.zh} | {'是' if f.required else ''} | {_describe(f, schema)} |")
    return lines + [""]


def templates_markdown(schema: Schema) -> str:
    lines = ["# 导入模板说明 / Import templates", "",
             "每类实体或关系一个模板。文件名以模板名开头（如 `cadres.csv`、`cadres-2025.xlsx`），",
             "支持 CSV（UTF-8 或 GBK）、XLSX（第一个工作表）和 JSON Lines；表头可用英文字段名或中文名，",
             "带 `*` 的列为必填。按以下顺序导入（`riskgraph import 目录` 会自动排序）。", ""]
    for etype in schema.types:
        lines.extend(_section(etype, schema))
    return "\n".join(lines)
