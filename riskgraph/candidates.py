"""The list of promotion candidates the organisation department sends for integrity
opinions: an uploaded CSV/XLSX file (first sheet) or rows typed into a form.

Columns (header names in Chinese or English, any order; others are ignored):
身份证号 / id (required, a valid 18-digit resident ID number) and 姓名 / name (required).

Every bad row is reported at once, each with file, row and field
(``CandidateFileError.problems``).

>>> rows = [{"身份证号": "11010519491231002X", "姓名": "张三"}]
>>> [c.person_id for c in parse_candidates(rows, "表单")]
['11010519491231002X']
>>> parse_candidates([{"身份证号": "110105194912310021", "姓名": ""}], "表单")
Traceback (most recent call last):
...
riskgraph.candidates.CandidateFileError: 表单 第2行 身份证号：校验码应为X，实为1；表单 第2行 姓名：不能为空
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskgraph.idcodes import resident_id_problem
from riskgraph.ingest.readers import FileProblem, table_rows

HEADERS = {
    "person_id": ("身份证号", "公民身份号码", "身份证号码", "id", "person_id", "resident_id"),
    "name": ("姓名", "name"),
}
FIELD_ZH = {"person_id": "身份证号", "name": "姓名"}
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    # The row of the file or form it came from (for messages about it; not compared).
    row: int = dataclasses.field(default=0, compare=False)


@dataclass(frozen=True)
class Problem:
    where: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where} 第{self.row}行 {FIELD_ZH.get(self.field, self.field)}：{self.message}"


class CandidateFileError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "；".join(str(p) for p in problems[:20])
        more = f"；另有{len(problems) - 20}处问题" if len(problems) > 20 else ""
        super().__init__(shown + more)


def _field(header: Any) -> str | None:
    text = str(header or "").strip().lower().replace(" ", "")
    for field, names in HEADERS.items():
        if text in names:
            return field
    return None


def read_candidates(path: Path) -> list[Candidate]:
    """Read an uploaded CSV or XLSX list of candidates (row numbers as in the file)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CandidateFileError([Problem(path.name, 1, "文件", "只接受CSV或XLSX文件")])
    try:
        rows = list(table_rows(path))
    except FileProblem as exc:
        raise CandidateFileError([Problem(path.name, exc.row or 1, "文件", exc.reason)]) from None
    if not rows:
        raise CandidateFileError([Problem(path.name, 1, "文件", "文件为空")])
    (_, header), body = rows[0], rows[1:]
    fields = [_field(h) for h in header]
    missing = [f for f in ("person_id", "name") if f not in fields]
    if missing:
        raise CandidateFileError([Problem(path.name, 1, f, "缺少此列（表头）") for f in missing])
    records = []
    for number, cells in body:
        if not any(str(c or "").strip() for c in cells):
            continue
        records.append((number, {f: cells[i] for i, f in enumerate(fields)
                                 if f and i < len(cells)}))
    return _validate(records, path.name)


def parse_candidates(rows: Iterable[Mapping[str, Any]], where: str = "名单") -> list[Candidate]:
    """Validate rows from a form (keys: field names or Chinese headers); row numbers
    count from 2 as in a spreadsheet with a header row."""
    records = []
    for number, row in enumerate(rows, start=2):
        records.append((number, {_field(k) or k: v for k, v in row.items()}))
    return _validate(records, where)


def _validate(records: list[tuple[int, dict[str, Any]]], where: str) -> list[Candidate]:
    problems, out, seen = [], [], {}
    if len(records) > MAX_CANDIDATES:
        raise CandidateFileError([Problem(where, 1, "文件", f"一次最多{MAX_CANDIDATES}人")])
    for number, values in records:
        pid = str(values.get("person_id") or "").strip().upper()
        name = str(values.get("name") or "").strip()
        if not pid:
            problems.append(Problem(where, number, "person_id", "不能为空"))
        elif (why := resident_id_problem(pid)) is not None:
            problems.append(Problem(where, number, "person_id", why))
        elif pid in seen:
            problems.append(Problem(where, number, "person_id", f"与第{seen[pid]}行重复"))
        else:
            seen[pid] = number
        if not name:
            problems.append(Problem(where, number, "name", "不能为空"))
        out.append(Candidate(pid, name, number))
    if not records:
        problems.append(Problem(where, 1, "文件", "名单中没有人员"))
    if problems:
        raise CandidateFileError(problems)
    return out
