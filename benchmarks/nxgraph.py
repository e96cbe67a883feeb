"""The same data in plain networkx: a MultiDiGraph built from the import files, parsed and
validated by riskgraph's own import code (no database). Benchmarks run detector logic on
it beside the database to compare times and to cross-check results.

Node attributes: ``labels`` (a set, e.g. {"Person", "Cadre"}) and the fields; edges carry
``type`` (the relationship type) and their fields; an edge's key is its type and edge key,
so parallel edges (two terms in one post) stay apart, as in the database. Like a graph
database's per-type edge storage, ``g.graph["by_type"]`` lists every edge of each type as
(source, target, attributes), and ``g.graph["out"]`` / ``g.graph["in"]`` map a type and a
node to its (other end, attributes) pairs, so a rule can follow one type of edge without
scanning a node's other edges (a city's personnel head has thousands of DECIDED_ON).
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import networkx as nx

from riskgraph.ingest.fields import FieldParser
from riskgraph.ingest.readers import iter_rows
from riskgraph.ingest.rows import RowValidator
from riskgraph.ingest.runner import expand
from riskgraph.schema import Schema, default_schema


def load(data_dir: Path, schema: Schema | None = None,
         templates: set[str] | None = None) -> tuple[nx.MultiDiGraph, float]:
    """(graph, seconds) for the import files of ``data_dir`` (only ``templates`` if given)."""
    schema = schema or default_schema()
    parser = FieldParser(schema)
    g = nx.MultiDiGraph()
    by_type: dict[str, list] = defaultdict(list)
    g.graph["by_type"] = by_type
    g.graph["out"] = defaultdict(lambda: defaultdict(list))
    g.graph["in"] = defaultdict(lambda: defaultdict(list))
    started = time.perf_counter()
    for path, etype in expand([data_dir], schema):
        if templates is not None and etype.template not in templates:
            continue
        validator = RowValidator(etype, parser, path.name, "nx")
        for raw in iter_rows(path, etype):
            row = validator.validate(raw)
            if isinstance(row, list):
                raise ValueError(f"{path.name}: {row[0]}")
            if etype.kind == "node":
                labels = {etype.label, *etype.extra_labels}
                if row.key in g:
                    g.nodes[row.key]["labels"] |= labels
                    g.nodes[row.key].update(row.props)
                else:
                    g.add_node(row.key, labels=labels, **row.props)
                for f in etype.refs:
                    target = row.refs.get(f.name)
                    if target is not None:
                        _add_edge(g, by_type, row.key, target, f.edge, f.edge, {})
            else:
                _add_edge(g, by_type, row.source, row.target, etype.rel_type,
                          f"{etype.rel_type}|{row.edge_key}", row.props)
    return g, time.perf_counter() - started


def _add_edge(g: nx.MultiDiGraph, by_type: dict, u: str, v: str, rel: str, key: str,
              props: dict) -> None:
    """Add (or, for a repeated key, update) an edge, listing it once under its type."""
    new = not g.has_edge(u, v, key)
    g.add_edge(u, v, key=key, type=rel, **props)
    if new:
        data = g[u][v][key]
        by_type[rel].append((u, v, data))
        g.graph["out"][rel][u].append((v, data))
        g.graph["in"][rel][v].append((u, data))


def out_edges(g: nx.MultiDiGraph, node: str, rel: str) -> list[tuple[str, dict]]:
    """(target, attributes) of ``node``'s outgoing edges of type ``rel``."""
    return g.graph["out"][rel].get(node, [])


def in_edges(g: nx.MultiDiGraph, node: str, rel: str) -> list[tuple[str, dict]]:
    """(source, attributes) of ``node``'s incoming edges of type ``rel``."""
    return g.graph["in"][rel].get(node, [])
