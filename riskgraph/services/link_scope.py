"""Which entities a user may see in a link investigation (search, path ends, paths,
neighbourhoods).

The rule, from the user's data scope (`riskgraph.access.Scope`):

- A user without restriction, or whose scope holds every cadre, sees every entity.
- For a restricted user, a cadre is visible only when in scope. Out-of-scope cadres are
  never shown, counted or linked: a path search never steps onto one, so paths through
  them are cut, and nothing says how many were left out.
- Any other entity (a relative, a company, a project, a payment, a post ...) is visible
  to a restricted user only when it is linked to an in-scope cadre: within
  ``hops`` relationships of the investigation's default types, on a chain that passes
  neither an out-of-scope cadre nor a hub (a node with more than ``max_degree`` such
  relationships, e.g. a whole department). That set is the scope's *reach*; a path
  search and a neighbourhood stay inside it.

The reach is computed by breadth-first search from the in-scope cadres, once per scope,
and kept until the next import (`riskgraph.services.graph_cache.StampedCache`).

>>> view = LinkScope(False, frozenset({"C1", "R1", "CO1"}))
>>> view.visible("CO1"), view.visible("CO2"), LinkScope(True, frozenset()).visible("CO2")
(True, False, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from riskgraph.access import Scope
from riskgraph.graph import GraphClient
from riskgraph.services.link_nodes import query_label

BATCH = 2000


@dataclass(frozen=True)
class LinkScope:
    everything: bool
    reach: frozenset[str]

    def visible(self, node_id: str) -> bool:
        return self.everything or node_id in self.reach


def reach(graph: GraphClient, scope: Scope, types: list[str], hops: int,
          max_degree: int) -> frozenset[str]:
    """The ids within ``hops`` steps of the in-scope cadres (those included), never
    stepping onto an out-of-scope cadre nor through a hub."""
    params = {"types": types, "max_degree": max_degree}

    def walk(tx) -> frozenset[str]:
        seen: set[str] = set(scope.cadre_ids)
        frontier = {cid: "Person" for cid in scope.cadre_ids}
        for _ in range(hops):
            by_label: dict[str, list[str]] = {}
            for nid, label in frontier.items():
                by_label.setdefault(label, []).append(nid)
            found: dict[str, str] = {}
            for label, ids in sorted(by_label.items()):
                ids.sort()
                for i in range(0, len(ids), BATCH):
                    for r in graph.run(tx, "ui/reach_step", {**params, "ids": ids[i:i + BATCH]},
                                       Label=label):
                        nid = r["id"]
                        if nid in seen or nid in found:
                            continue
                        if "Cadre" in r["labels"] and not scope.has_cadre(nid):
                            continue
                        found[nid] = query_label(r["labels"])
            seen.update(found)
            frontier = found
            if not frontier:
                break
        return frozenset(seen)

    return graph.read_tx(walk)
