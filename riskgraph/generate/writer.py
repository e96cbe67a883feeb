"""Stream rows to one CSV file per import template, formatted as the importer reads them.

Rows are dicts keyed by the template's English field names; keys starting with "_" are
the generator's own bookkeeping and never written. A row with ``_drop`` set is skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterable

from riskgraph.schema import Schema


def fmt_number(value: float, places: int = 4) -> str:
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _formatter(ftype: str):
    if ftype == "date":
        return lambda v: v.isoformat()
    if ftype == "bool":
        return lambda v: "true" if v else "false"
    if ftype == "list":
        return lambda v: ";".join(v)
    if ftype in ("money", "percent"):
        return lambda v: fmt_number(v, 4)
    if ftype == "float":
        return lambda v: fmt_number(v, 2)
    if ftype == "int":
        return lambda v: str(int(v))
    return str


class Sink:
    """One open CSV writer per template; counts rows."""

    def __init__(self, out_dir: Path, schema: Schema):
        self.out_dir = out_dir
        self.schema = schema
        self.counts: dict[str, int] = {}
        self._files = {}
        self._writers = {}
        self._columns = {}
        for etype in schema.types:
            name = etype.template
            fh = open(out_dir / f"{name}.csv", "w", newline="", encoding="utf-8")
            writer = csv.writer(fh, lineterminator="\n")
            cols = [(f.name, _formatter(f.type)) for f in etype.columns]
            writer.writerow([c for c, _ in cols])
            self._files[name], self._writers[name], self._columns[name] = fh, writer, cols
            self.counts[name] = 0
        self._gt = open(out_dir / "ground_truth.jsonl", "w", encoding="utf-8")
        self.gt_count = 0

    def write(self, template: str, rows: Iterable[dict[str, Any]]) -> None:
        cols = self._columns[template]
        writer = self._writers[template]
        n = 0
        for row in rows:
            if row.get("_drop"):
                continue
            out = []
            for name, fmt in cols:
                value = row.get(name)
                out.append("" if value is None or value == "" else fmt(value))
            writer.writerow(out)
            n += 1
        self.counts[template] += n

    def ground_truth(self, cases: Iterable[dict[str, Any]]) -> None:
        for case in cases:
            self._gt.write(json.dumps(case, ensure_ascii=False, sort_keys=False) + "\n")
            self.gt_count += 1

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._gt.close()


def write_manifest(out_dir: Path, manifest: dict) -> None:
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
