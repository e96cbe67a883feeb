"""Generated data passes its own import without a single rejection."""

from __future__ import annotations

import json

import pytest

from riskgraph.generate import generate
from riskgraph.ingest.ledger import StoreLedger
from riskgraph.ingest.runner import Importer

pytestmark = pytest.mark.integration


def test_generated_tiny_data_imports_cleanly(graph, store, tmp_path):
    out = tmp_path / "data"
    generate(out, "tiny", seed=11)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reports = Importer(graph, StoreLedger(store), graph.schema, tmp_path / "reports",
                       show_progress=False).import_paths([out])
    assert len(reports) == len(graph.schema.types)
    problems = {r.path.name: (r.status, r.rejected, r.error) for r in reports
                if r.status != "done" or r.rejected}
    assert problems == {}
    rows = {r.path.name: r.rows_read for r in reports}
    expected = {name: n for name, n in manifest["files"].items() if name.endswith(".csv")}
    assert rows == expected
    cadres = graph.read("graph/count_label", Label="Cadre")[0]["count"]
    assert cadres == rows["cadres.csv"]
