"""Write one batch of validated rows in one managed write transaction.

Every reference is checked inside the transaction that writes it, so it is checked
against exactly what it is written next to; rows that point nowhere are rejected. A
crash or a kill leaves the batch wholly committed or wholly absent. The work function
computes everything from its inputs, so the driver may safely retry it.

A batch is first written trusting its single-label references: the edge MERGE matches
both ends by key, so the count it returns proves, inside the transaction, that every
reference found its node. Only references that may point at several labels, and whose
value has the key format of more than one of them, are looked up beforehand (their
label must be known, and must be unique). If a count comes up
short, the transaction is rolled back and the batch is written again with every
reference looked up first, which names the rows that point nowhere. Valid data thus
costs no lookups of single-label references, and bad data gets the same rejections.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from neo4j import ManagedTransaction

from riskgraph.graph import GraphClient
from riskgraph.ingest.fields import fits_key
from riskgraph.ingest.rows import Rejection, ValidRow
from riskgraph.schema import EntityType, Field


@dataclass
class BatchResult:
    written: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)


def edge_merge_query(rows: list[dict]) -> str:
    """The edge MERGE to use for a batch: the one starting from the side with more
    distinct keys. The other side is the likely hub (one official in thousands of acts),
    and ArcadeDB expands a MERGE pattern from the node it names first, so starting at a
    hub costs its degree on every row."""
    hub_is_source = len({r["from"] for r in rows}) < len({r["to"] for r in rows})
    return "import/merge_edges_reversed" if hub_is_source else "import/merge_edges"


class _Unresolved(Exception):
    """A trusting write matched fewer reference targets than it had rows. Raised inside
    the transaction function, so the driver rolls the transaction back."""


class BatchWriter:
    def __init__(self, client: GraphClient, etype: EntityType, file_name: str):
        self.client = client
        self.etype = etype
        self.file_name = file_name
        self.rechecked = 0   # batches that needed the checked second pass
        self.key_types = {t.label: t.field(t.key).type for t in client.schema.node_types}

    def write(self, rows: list[ValidRow]) -> BatchResult:
        try:
            return self.client.write_tx(lambda tx: self._work(tx, rows, trusting=True))
        except _Unresolved:
            self.rechecked += 1
            return self.client.write_tx(lambda tx: self._work(tx, rows, trusting=False))

    # -- references ----------------------------------------------------------------
    def _existing(self, tx: ManagedTransaction, label: str, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        found = self.client.run(tx, "import/existing_ids", {"ids": list(ids)}, Label=label)
        return set(found[0]["ids"]) if found else set()

    def _existed(self, tx: ManagedTransaction, keys: set[str]) -> set[str]:
        """Which of this batch's own keys were already nodes (a count settles the
        common cases, a fresh load and a re-import, without shipping a list)."""
        found = self.client.run(tx, "import/count_existing", {"ids": list(keys)},
                                Label=self.etype.label)[0]["found"]
        if found == 0:
            return set()
        if found == len(keys):
            return set(keys)
        return self._existing(tx, self.etype.label, keys)

    def _ref_fields(self) -> list[tuple[Field, str]]:
        """(field, attribute of ValidRow) for every reference the rows carry."""
        et = self.etype
        if et.kind == "edge":
            return [(et.source, "source"), (et.target, "target")]
        return [(f, f.name) for f in et.refs]

    @staticmethod
    def _value(row: ValidRow, attr: str) -> str | None:
        return getattr(row, attr) if attr in ("source", "target") else row.refs.get(attr)

    def _resolve(self, tx: ManagedTransaction, rows: list[ValidRow], trusting: bool):
        """Label of every looked-up reference, and the rejections of rows whose
        references fail. Trusting, only references with several target labels are
        looked up (the write verifies the others)."""
        pending = {r.key for r in rows} if self.etype.kind == "node" else set()
        labels: dict[tuple[str, str], str] = {}   # (field, id) -> label
        bad: dict[int, Rejection] = {}
        for f, attr in self._ref_fields():
            if trusting and len(f.to) == 1:
                continue
            ids = {self._value(r, attr) for r in rows} - {None}
            if trusting:
                ids = self._trust_by_format(f, ids, labels)
            found: dict[str, list[str]] = defaultdict(list)
            for label in f.to:
                existing = self._existing(tx, label, ids)
                if label == self.etype.label:
                    existing |= ids & pending
                for key in existing:
                    found[key].append(label)
            for r in rows:
                key = self._value(r, attr)
                if key not in ids or r.number in bad:
                    continue
                hits = found.get(key, [])
                if len(hits) == 1:
                    labels[(f.name, key)] = hits[0]
                    continue
                reason = (f"{f.zh}：{key}不存在（应先导入{'或'.join(f.to)}）" if not hits
                          else f"{f.zh}：{key}同时匹配{'、'.join(hits)}，无法确定")
                bad[r.number] = Rejection(self.file_name, r.number, f.name, key, reason)
        return labels, bad

    def _trust_by_format(self, f: Field, ids: set[str], labels: dict[tuple[str, str], str]) -> set[str]:
        """Trust a reference to several labels like one to a single label when its value
        has the key format of only one of them (a resident ID number cannot be a
        company's credit code): every key in the graph passed its format check on import,
        so no node of the other labels can hold it, and the write's count verifies the
        one left. Returns the values that must still be looked up."""
        left = set()
        for key in ids:
            fits = [label for label in f.to if fits_key(self.key_types[label], key)]
            if len(fits) == 1:
                labels[(f.name, key)] = fits[0]
            else:
                left.add(key)
        return left

    @staticmethod
    def _label(labels: dict[tuple[str, str], str], f: Field, key: str) -> str:
        return f.to[0] if len(f.to) == 1 else labels[(f.name, key)]

    # -- the transaction -------------------------------------------------------------
    def _work(self, tx: ManagedTransaction, rows: list[ValidRow], trusting: bool) -> BatchResult:
        bad: dict[int, Rejection] = {}
        while True:  # a row pointing at a rejected row of the same batch fails in turn
            good = [r for r in rows if r.number not in bad]
            labels, more = self._resolve(tx, good, trusting)
            if not more:
                break
            bad.update(more)
        result = BatchResult(rejections=sorted(bad.values(), key=lambda r: r.row))
        if good:
            if self.etype.kind == "node":
                result.written, result.duplicates = self._write_nodes(tx, good, labels, trusting)
            else:
                result.written = self._write_edges(tx, good, labels, trusting)
        return result

    def _write_nodes(self, tx: ManagedTransaction, rows: list[ValidRow], labels,
                     trusting: bool) -> tuple[int, list[dict]]:
        """MERGE the nodes, then their references. The node MERGE itself reports which
        keys were nodes before (and, for labels with a duplicate key, the likely
        duplicates), so a batch costs no separate existence or duplicate round trip."""
        et = self.etype
        payload = [{"id": r.key, "props": r.props} for r in rows]
        existed: set[str] = set()
        if et.extra_labels:
            # The extra label must be settled before the MERGE (see create_labelled_nodes).
            keys = {r.key for r in rows}
            existed = self._existed(tx, keys)
            new = sorted(keys - existed)
            for extra in et.extra_labels:
                if existed:
                    self.client.run(tx, "import/promote_label", {"ids": sorted(existed)},
                                    Label=et.label, Extra=extra)
            if new:
                self.client.run(tx, "import/create_labelled_nodes", {"ids": new},
                                Label=et.label, Extra=et.extra_labels[0])
        query = ("import/merge_nodes_probed" if et.duplicate_key
                 else "import/merge_nodes_existed" if et.refs else "import/merge_nodes")
        out = self.client.run(tx, query, {"rows": payload}, Label=et.label)
        out = out[0] if out else {"written": 0}
        if not et.extra_labels:
            existed = set(out.get("existed", ()))
        for f in et.refs:
            # Only nodes that existed before this batch can hold a stale reference.
            stale = [{"from": r.key, "to": r.refs.get(f.name)} for r in rows if r.key in existed]
            if stale:
                self.client.run(tx, "import/drop_stale_refs", {"rows": stale},
                                From=et.label, TYPE=f.edge)
            by_label: dict[str, list[dict]] = defaultdict(list)
            for r in rows:
                target = r.refs.get(f.name)
                if target is not None:
                    provenance = {"_source": r.props["_source"], "_batch": r.props["_batch"]}
                    by_label[self._label(labels, f, target)].append(
                        {"from": r.key, "to": target, "key": "", "props": provenance})
            for label, edge_rows in by_label.items():
                self._merge_edges(tx, edge_rows, et.label, label, f.edge, trusting)
        return out["written"], self._duplicates(rows, out.get("duplicates") or ())

    def _write_edges(self, tx: ManagedTransaction, rows: list[ValidRow], labels, trusting: bool) -> int:
        et = self.etype
        groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in rows:
            pair = (self._label(labels, et.source, r.source), self._label(labels, et.target, r.target))
            groups[pair].append({"from": r.source, "to": r.target, "key": r.edge_key, "props": r.props})
        written = 0
        for (src, dst), edge_rows in groups.items():
            written += self._merge_edges(tx, edge_rows, src, dst, et.rel_type, trusting)
        return written

    def _merge_edges(self, tx: ManagedTransaction, rows: list[dict], src: str, dst: str,
                     rel_type: str, trusting: bool) -> int:
        """MERGE the edges; each row whose two ends both match yields one edge, so a
        short count means some reference points nowhere."""
        out = self.client.run(tx, edge_merge_query(rows), {"rows": rows}, From=src, To=dst, TYPE=rel_type)
        written = out[0]["written"] if out else 0
        if trusting and written != len(rows):
            raise _Unresolved(f"{rel_type}: {len(rows) - written} of {len(rows)} references unresolved")
        return written

    @staticmethod
    def _duplicates(rows: list[ValidRow], found: Iterable[list[dict]]) -> list[dict]:
        """Each likely-duplicate pair once, with the file row of the key that found it."""
        number = {r.key: r.number for r in rows}
        seen, out = set(), []
        for group in found:
            for d in group:
                pair = tuple(sorted((d["id"], d["other_id"])))
                if pair not in seen:
                    seen.add(pair)
                    out.append({**d, "row": number[d["id"]]})
        return out
