"""Stream the rows of an import file (CSV, XLSX or JSON lines) as field-name dicts.

Column headers may be the English field names or the Chinese labels of the template
(a trailing ``*`` marking a required column is ignored). CSV files may be UTF-8 (with or
without BOM) or GB18030/GBK, as Excel on Chinese Windows writes them.
"""

from __future__ import annotations

import codecs
import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from riskgraph.schema import EntityType, Schema

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class FileProblem(ValueError):
    """The whole file cannot be imported (unknown template, bad header, bad encoding)."""

    def __init__(self, path: Path, reason: str, row: int | None = None):
        self.path, self.reason, self.row = path, reason, row
        where = f"{path}" + (f" 第{row}行" if row else "")
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # Pickled whole (the validation process sends it to the importer).
        return (type(self), (self.path, self.reason, self.row))


@dataclass(frozen=True)
class RawRow:
    number: int                 # row or line number as the user sees it in the file
    cells: dict[str, Any]       # field name -> raw value
    extra: bool = False         # more cells than header columns


def template_for(path: Path, schema: Schema) -> EntityType:
    """The template a file belongs to, from its name: ``cadres.csv``,
    ``cadres-2025.xlsx`` and ``cadres.part1.jsonl`` are all cadre files."""
    stem = path.name.split(".")[0].lower()
    candidates = [t for t in schema.types
                  if stem == t.template or (stem.startswith(t.template) and stem[len(t.template)] in "-_ ")]
    candidates.sort(key=lambda t: len(t.template), reverse=True)
    if not candidates:
        known = ", ".join(t.template for t in schema.types)
        raise FileProblem(path, f"文件名不对应任何导入模板（应以模板名开头：{known}）")
    return candidates[0]


def _normalise(header: Any) -> str:
    text = str(header or "").replace("\ufeff", "").strip()
    for suffix in ("*", "（必填）", "(必填)"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
    return text


def map_header(path: Path, headers: list[Any], etype: EntityType) -> list[str | None]:
    """Field name for each column (None for a blank trailing column)."""
    by_name = {}
    for f in etype.columns:
        by_name[f.name.lower()] = f.name
        by_name[f.zh] = f.name
    mapped: list[str | None] = []
    for position, header in enumerate(headers, start=1):
        text = _normalise(header)
        if not text:
            mapped.append(None)
            continue
        name = by_name.get(text) or by_name.get(text.lower())
        if name is None:
            raise FileProblem(path, f"第{position}列表头“{text}”不是模板{etype.template}的字段"
                                    f"（可用：{'、'.join(f.zh for f in etype.columns)}）", row=1)
        if name in mapped:
            raise FileProblem(path, f"表头“{text}”重复（第{position}列）", row=1)
        mapped.append(name)
    missing = [f for f in etype.columns if f.required and f.name not in mapped]
    if missing:
        raise FileProblem(path, "缺少必填列：" + "、".join(f"{f.zh}（{f.name}）" for f in missing), row=1)
    return mapped


def _encoding(path: Path) -> str:
    """utf-8-sig unless the start of the file is not valid UTF-8, then gb18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        sample = fh.read(1 << 16)
    try:
        decoder.decode(sample, final=len(sample) < (1 << 16))
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        with open(path, encoding=_encoding(path), newline="") as fh:
            reader = csv.reader(fh)
            for cells in reader:
                yield reader.line_num, cells
    except UnicodeDecodeError as exc:
        raise FileProblem(path, f"文件编码无法识别（应为UTF-8或GBK）：{exc.reason}") from None
    except csv.Error as exc:
        raise FileProblem(path, f"CSV格式错误：{exc}") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(path, f"无法读取XLSX文件：{exc}") from None
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        book.close()


def table_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file or of an XLSX file's first sheet, header row included, as
    (row number as the user sees it, cells); the same encoding detection as the import.
    Raises `FileProblem` for another file type or an unreadable file.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt == "csv":
        return _csv_rows(path)
    if fmt == "xlsx":
        return _xlsx_rows(path)
    raise FileProblem(path, f"不支持的文件类型{path.suffix}（支持CSV、XLSX）")


def _blank_row(cells: list[Any]) -> bool:
    try:
        return not "".join(cells).strip()       # CSV: all strings
    except TypeError:                           # XLSX: numbers, dates, None
        return all(c is None or str(c).strip() == "" for c in cells)


def iter_rows(path: Path, etype: EntityType) -> Iterator[RawRow]:
    """The data rows of ``path``; blank rows are skipped."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileProblem(path, f"不支持的文件类型{path.suffix}（支持CSV、XLSX、JSONL）")
    if fmt == "jsonl":
        yield from _jsonl_rows(path, etype)
        return
    rows = table_rows(path)
    fields = None
    for number, cells in rows:
        if fields is None:
            fields = map_header(path, cells, etype)
            continue
        if _blank_row(cells):
            continue
        extra = len(cells) > len(fields) and any(str(c or "").strip() for c in cells[len(fields):])
        yield RawRow(number, {f: c for f, c in zip(fields, cells) if f is not None}, extra)
    if fields is None:
        raise FileProblem(path, "文件为空（没有表头行）")


def _jsonl_rows(path: Path, etype: EntityType) -> Iterator[RawRow]:
    known: dict[str, list[str | None]] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FileProblem(path, f"JSON格式错误：{exc.msg}（第{exc.colno}列）", row=number) from None
            if not isinstance(obj, dict):
                raise FileProblem(path, "每行应为一个JSON对象", row=number)
            keys = list(obj)
            signature = "\0".join(keys)
            if signature not in known:
                try:
                    known[signature] = map_header(path, keys, etype)
                except FileProblem as exc:
                    raise FileProblem(path, exc.reason, row=number) from None
            yield RawRow(number, {f: obj[k] for f, k in zip(known[signature], keys) if f is not None})


def count_rows(path: Path) -> int | None:
    """Roughly how many data rows a file has, for the progress bar (None if unknown)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt in ("csv", "jsonl"):
        with open(path, "rb") as fh:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        return max(0, lines - (1 if fmt == "csv" else 0))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            return max(0, (book.worksheets[0].max_row or 1) - 1)
        finally:
            book.close()
    return None
