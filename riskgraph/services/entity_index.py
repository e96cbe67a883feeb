"""The entities a link investigation can start from, held in process memory: ids for
exact look-up and names for substring search, instead of a full scan of every searchable
label in the graph per search (a `CONTAINS` over ~70k county nodes cost ~250 ms of
database time for each search of each user).

Loaded on first use from the graph (one read transaction) and reloaded when an import
has run since (`riskgraph.services.graph_cache.StampedCache`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from riskgraph.graph import GraphClient
from riskgraph.services.graph_cache import StampedCache
from riskgraph.services.link_nodes import display_name, main_label

SEARCH_LABELS = ("Person", "Company", "Organization", "Post", "Project", "Payment")


@dataclass(frozen=True)
class Entity:
    id: str
    labels: tuple[str, ...]
    name: str | None          # the caption (name, or made from properties)

    @property
    def is_cadre(self) -> bool:
        return "Cadre" in self.labels


@dataclass
class _Snapshot:
    by_id: dict[str, list[Entity]]
    named: list[Entity]
    text: str            # the names, each followed by a newline (one string to search)
    starts: list[int]    # where each name starts in ``text``
    cadres: frozenset[str]


class EntityIndex:
    def __init__(self, graph: GraphClient, cache: StampedCache | None = None,
                 labels: tuple[str, ...] = SEARCH_LABELS) -> None:
        self.graph, self.labels = graph, labels
        self.cache = cache or StampedCache(None, ttl_s=600)

    def warm(self) -> None:
        """Load the index now (a web server does this at start, off the request path)."""
        self._snapshot()

    def _snapshot(self) -> _Snapshot:
        return self.cache.get("entities", self._load)

    def _load(self) -> _Snapshot:
        enums = self.graph.schema.enums

        def read(tx):
            return {label: self.graph.run(tx, "ui/entity_names", Label=label)
                    for label in self.labels}

        by_id: dict[str, list[Entity]] = {}
        named: list[Entity] = []
        for rows in self.graph.read_tx(read).values():
            for r in rows:
                labels = tuple(r["labels"])
                name = r["name"] or display_name(main_label(list(labels)), r, enums)
                e = Entity(r["id"], labels, name)
                by_id.setdefault(e.id, []).append(e)
                if r["name"]:
                    named.append(e)
        starts, pos = [], 0
        for e in named:
            starts.append(pos)
            pos += len(e.name.replace("\n", " ")) + 1
        text = "".join(e.name.replace("\n", " ") + "\n" for e in named)
        cadres = frozenset(e.id for e in named if e.is_cadre)
        return _Snapshot(by_id, named, text, starts, cadres)

    def by_id(self, q: str, labels: tuple[str, ...] | None = None) -> list[Entity]:
        """The entities whose id is ``q`` (of ``labels``, when given)."""
        found = self._snapshot().by_id.get(q, [])
        return [e for e in found if labels is None or set(labels) & set(e.labels)]

    def by_name(self, q: str) -> list[Entity]:
        """The entities whose name contains ``q`` (a scan of one string: a few ms for
        the county's ~70k names)."""
        snap = self._snapshot()
        q = q.replace("\n", " ")
        out: list[Entity] = []
        at = snap.text.find(q)
        while at >= 0:
            i = bisect_right(snap.starts, at) - 1
            out.append(snap.named[i])
            nxt = snap.starts[i + 1] if i + 1 < len(snap.starts) else len(snap.text)
            at = snap.text.find(q, nxt)
        return out

    def cadre_ids(self) -> frozenset[str]:
        """Every cadre in the graph."""
        return self._snapshot().cadres

    def clear(self) -> None:
        self.cache.clear()
