"""Validate one raw row against its template: every field, then the cross-field rules.

A row is accepted whole or rejected whole; a rejected row yields one `Rejection` per
problem found, each naming file, row, field and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from riskgraph.idcodes import birth_date_of
from riskgraph.ingest.fields import FieldParser, FieldProblem, is_blank
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


@dataclass
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
    def __init__(self, etype: EntityType, parser: FieldParser, file_name: str, batch_id: str):
        self.etype = etype
        self.parser = parser
        self.file_name = file_name
        self.batch_id = batch_id

    def reject(self, row: int, field_name: str, value: Any, reason: str) -> Rejection:
        return Rejection(self.file_name, row, field_name, _shown(value), reason)

    def validate(self, raw: RawRow) -> ValidRow | list[Rejection]:
        problems: list[Rejection] = []
        if raw.extra:
            problems.append(self.reject(raw.number, "", "", "数据列数多于表头列数"))
        values: dict[str, Any] = {}
        for f in self.etype.columns:
            cell = raw.cells.get(f.name)
            if is_blank(cell):
                if f.required:
                    problems.append(self.reject(raw.number, f.name, "", f"必填字段“{f.zh}”为空"))
                values[f.name] = None
                continue
            try:
                values[f.name] = self.parser.parse(f, cell)
            except FieldProblem as exc:
                problems.append(self.reject(raw.number, f.name, cell, f"{f.zh}：{exc}"))
        if not problems:
            problems.extend(self._cross_checks(raw.number, values))
        if problems:
            return problems
        return self.build(raw.number, values)

    def _cross_checks(self, number: int, values: dict[str, Any]) -> list[Rejection]:
        out = []
        for earlier, later in DATE_ORDER:
            a, b = values.get(earlier), values.get(later)
            if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
                fa, fb = self.etype.field(earlier), self.etype.field(later)
                out.append(self.reject(number, later, b, f"{fb.zh}（{b}）早于{fa.zh}（{a}）"))
        key = self.etype.key
        if key and self.etype.field(key).type == "resident_id" and values.get("birth_date"):
            encoded = birth_date_of(values[key])
            if encoded != values["birth_date"]:
                out.append(self.reject(number, "birth_date", values["birth_date"],
                                       f"出生日期与公民身份号码中的出生日期{encoded}不一致"))
        return out

    def build(self, number: int, values: dict[str, Any]) -> ValidRow:
        """The row to write from parsed ``values`` (one per column, None when blank)."""
        et = self.etype
        provenance = {"_source": f"{self.file_name}:{number}", "_batch": self.batch_id}
        if et.kind == "node":
            props = {f.name: values[f.name] for f in et.fields if f.type != "ref" and f.name != et.key}
            refs = {f.name: values[f.name] for f in et.refs}
            if et.duplicate_key:
                props[DUPLICATE_KEY_PROPERTY] = "|".join(str(values[k]) for k in et.duplicate_key)
            return ValidRow(number, values[et.key], {**props, **provenance}, refs)
        props = {f.name: values[f.name] for f in et.fields}
        edge_key = "|".join(str(values[k]) for k in et.edge_key)
        return ValidRow(number, None, {**props, **provenance}, source=values[et.source.name],
                        target=values[et.target.name], edge_key=edge_key)
