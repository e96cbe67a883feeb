"""Small, readable fixture graphs on the real database, written by the real import writer.

Ids may be short names ("A", "O1") because rows skip the field parsers (which would ask
for valid ID numbers and credit codes); everything else is exactly what an import writes:
the same labels, keys, reference edges, edge keys and ``_source``/``_batch``.

    kit = Kit(graph)
    kit.add("Region", id="R1", name="甲县", level="county")
    kit.add("Cadre", id="A", name="张三", managed_by="O1", grew_up_in="R1")
    kit.add("Spouse", person="A", spouse="W", start_date="1995-05-01")
    kit.write()

Required fields left out get a plain default (names default to the id, dates to
1970-01-01, enums to their first value); references must be given.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from riskgraph.graph import GraphClient
from riskgraph.ingest.rows import RowValidator
from riskgraph.ingest.writer import BatchWriter
from riskgraph.schema import EntityType

DEFAULT_DATE = dt.date(1970, 1, 1)


class Kit:
    def __init__(self, graph: GraphClient, batch: str = "fixture"):
        self.graph = graph
        self.batch = batch
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, type_name: str, **values: Any) -> dict[str, Any]:
        etype = self.graph.schema.by_name(type_name)
        unknown = set(values) - {f.name for f in etype.columns}
        if unknown:
            raise KeyError(f"{type_name} has no field(s) {sorted(unknown)}")
        row = {f.name: self._value(etype, f, values) for f in etype.columns}
        self.rows[type_name].append(row)
        return row

    def write(self) -> None:
        """Write every added row, node types before edge types (schema order)."""
        types = sorted((self.graph.schema.by_name(n) for n in self.rows), key=lambda t: t.order)
        for etype in types:
            rows = self.rows.pop(etype.name)
            validator = RowValidator(etype, None, f"{etype.template}.csv", self.batch)
            built = [validator.build(i + 2, row) for i, row in enumerate(rows)]
            result = BatchWriter(self.graph, etype, f"{etype.template}.csv").write(built)
            if result.rejections:
                raise ValueError(f"fixture rows rejected: {result.rejections}")

    def _value(self, etype: EntityType, f, values: dict[str, Any]) -> Any:
        if f.name in values and values[f.name] is not None:
            return _coerce(f.type, values[f.name])
        if not f.required:
            return [] if f.type == "list" else None
        if f.type == "ref":
            raise KeyError(f"{etype.name}.{f.name} is a required reference")
        if f.type == "date":
            return DEFAULT_DATE
        if f.type == "enum":
            return next(iter(self.graph.schema.enums[f.values]))
        if f.type == "bool":
            return False
        if f.type in ("int", "float", "money", "percent", "area"):
            return 0
        return str(values.get("id", "x"))


def _coerce(ftype: str, value: Any) -> Any:
    if ftype == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
