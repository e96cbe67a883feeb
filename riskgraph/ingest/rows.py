"""Validate one raw row against its template: every field, then the cross-field rules.

A row is accepted whole or rejected whole; a rejected row yields one `Rejection` per
problem found, each naming file, row, field and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from riskgraph.idcodes import birth_date_of
from riskgraph.ingest.fields import FieldParser, FieldProblem
from riskgraph.ingest.readers import RawRow
from riskgraph.schema import DUPLICATE_KEY_PROPERTY, EntityType

# (earlier, later) field pairs: the later date may not precede the earlier one.
DATE_ORDER = (("start_date", "end_date"), ("departed", "returned"),
              ("call_date", "bid_deadline"))


@dataclass(frozen=True)
class Rejection:
    file: str
    row: int
    field: str
    value: str
    reason: str


@dataclass(slots=True)
class ValidRow:
    number: int
    key: str | None                     # node key (nodes only)
    props: dict[str, Any]
    refs: dict[str, str | None] = field(default_factory=dict)   # ref field -> target key
    source: str | None = None           # edge endpoints (edges only)
    target: str | None = None
    edge_key: str = ""


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:197] + "..."


class RowValidator:
    def __init__(self, etype: EntityType, parser: FieldParser | None, file_name: str, batch_id: str):
        self.etype = etype
        self.parser = parser
        self.file_name = file_name
        self.batch_id = batch_id
        # What each row needs, worked out once per file.
        self._columns = ([(f, parser.parser_for(f)) for f in etype.columns]
                         if parser is not None else [])
        names = {f.name for f in etype.fields}
        self._date_order = [(a, b) for a, b in DATE_ORDER if a in names and b in names]
        key = etype.key
        self._birth_in_key = bool(key and etype.field(key).type == "resident_id" and "birth_date" in names)
        self._props = [f.name for f in etype.fields
                       if etype.kind == "edge" or (f.type != "ref" and f.name != key)]
        self._refs = [f.name for f in etype.refs] if etype.kind == "node" else []

    def reject(self, row: int, field_name: str, value: Any, reason: str) -> Rejection:
        return Rejection(self.file_name, row, field_name, _shown(value), reason)

    def validate(self, raw: RawRow) -> ValidRow | list[Rejection]:
        problems: list[Rejection] = []
        if raw.extra:
            problems.append(self.reject(raw.number, "", "", "数据列数多于表头列数"))
        values: dict[str, Any] = {}
        cells = raw.cells
        for f, parse in self._columns:
            cell = cells.get(f.name)
            if cell is None or (isinstance(cell, str) and (not cell or cell.isspace())):  # blank
                if f.required:
                    problems.append(self.reject(raw.number, f.name, "", f"必填字段“{f.zh}”为空"))
                values[f.name] = None
                continue
            try:
                values[f.name] = parse(cell)
            except FieldProblem as exc:
                problems.append(self.reject(raw.number, f.name, cell, f"{f.zh}：{exc}"))
        if not problems:
            problems.extend(self._cross_checks(raw.number, values))
        if problems:
            return problems
        return self.build(raw.number, values)

    def _cross_checks(self, number: int, values: dict[str, Any]) -> list[Rejection]:
        out = []
        for earlier, later in self._date_order:
            a, b = values.get(earlier), values.get(later)
            if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
                fa, fb = self.etype.field(earlier), self.etype.field(later)
                out.append(self.reject(number, later, b, f"{fb.zh}（{b}）早于{fa.zh}（{a}）"))
        if self._birth_in_key and values.get("birth_date"):
            encoded = birth_date_of(values[self.etype.key])
            if encoded != values["birth_date"]:
                out.append(self.reject(number, "birth_date", values["birth_date"],
                                       f"出生日期与公民身份号码中的出生日期{encoded}不一致"))
        return out

    def build(self, number: int, values: dict[str, Any]) -> ValidRow:
        """The row to write from parsed ``values`` (one per column, None when blank)."""
        et = self.etype
        props = {name: values[name] for name in self._props}
        if et.kind == "node":
            if et.duplicate_key:
                props[DUPLICATE_KEY_PROPERTY] = "|".join(str(values[k]) for k in et.duplicate_key)
            props["_source"] = f"{self.file_name}:{number}"
            props["_batch"] = self.batch_id
            return ValidRow(number, values[et.key], props, {name: values[name] for name in self._refs})
        props["_source"] = f"{self.file_name}:{number}"
        props["_batch"] = self.batch_id
        edge_key = "|".join(str(values[k]) for k in et.edge_key)
        return ValidRow(number, None, props, source=values[et.source.name],
                        target=values[et.target.name], edge_key=edge_key)
