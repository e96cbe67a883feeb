"""``hidden_cluster``'s inputs and findings held by a long-running process, caught up with
each import by re-reading only what the batches touched.

Its clusters are computed per connected component (``riskgraph.hidden_links``), so a
component whose nodes (with their kinds), edges and contractors' projects are what they
were has the clusters — and the findings — it had. A whole run (no batch changes at hand,
e.g. a scheduled sweep) reads everything afresh and leaves the inputs and each
component's hits here. The re-check after an import (``reach.CHANGES`` in the sweep's
``shared``) takes them and:

1. re-reads the contractor rows of the companies the batches wrote, of the winners of
   the projects they wrote (before and after), and the ties into those companies and
   into the payees of the payments they wrote (before and after: a re-pointed payment
   drops its old edge);
2. re-derives, over the process's kinship skeleton (``riskgraph.kin_skeleton``), the
   statutory relations of the cadres within ``MAX_EDGE_HOPS - 1`` base edges of a
   written kinship edge, within ``MAX_EDGE_HOPS`` of a person who became or ceased to be
   tied to a contractor, and of persons whose post holdings were written (whether they
   hold a post is read again for them and for persons near a tied one seen for the
   first time);
3. rebuilds the graph (cheap: a few hundred nodes), finds its components, and runs
   Louvain and builds the evidence only for components not held; the others keep
   their hits.

The held state is validated like the kinship skeleton (``riskgraph.held``: keyed by graph
client and store, stamped with the finished batches and the counts of the labels it
reads) and must also have been computed for the same as-of day and thresholds; the
batches it does not reflect yet must be among those the re-check's changes come from
(or have written nothing the detector reads: a re-check skipped it for them), and none
may be running. Otherwise the run is a whole one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph import kin_skeleton
from riskgraph.cluster_inputs import (
    Inputs,
    by_company,
    clusters_of,
    read_ties,
    since_of,
)
from riskgraph.detectors._posts import current_posts
from riskgraph.detectors.base import Context, Hit
from riskgraph.family import load_family
from riskgraph.held import Holder
from riskgraph.hidden_links import components
from riskgraph.kinship import MAX_EDGE_HOPS
from riskgraph.reach import CHANGES, Changes, Reach
from riskgraph.store import ImportBatch, session_scope

TIES = ("OWNS", "DIRECTOR_OF", "EMPLOYED_BY")
COMPANY = "Company"


@dataclass
class State:
    key: tuple                          # as-of day and thresholds it was computed for
    inputs: Inputs
    winner: dict[str, str]              # contractor project -> company
    payee: dict[str, str]               # payment of a PAID tie -> the company paid
    hits: dict[tuple, list[Hit]] = field(default_factory=dict)   # by component signature


_holder: Holder[State] = Holder(("Person", COMPANY, "Project", "Payment"))


def forget() -> None:
    """Drop every held state (what a new process starts with)."""
    with _holder.lock:
        _holder.forget()


def unapply(batches: list[str]) -> None:
    """Make the next re-check catch up with ``batches`` again (for benchmarks)."""
    _holder.unapply(batches)


def signature(G: nx.Graph, nodes: set[str], inputs: Inputs) -> tuple[frozenset, frozenset]:
    """What a component's clusters and their finding keys depend on: its nodes with their
    kinds (and a contractor's projects), and its edges."""
    kinds = frozenset((n, kind, tuple(sorted(r["project_id"] for r in inputs.projects.get(n, ())))
                       if kind == "company" else ())
                      for n in nodes for kind in (G.nodes[n]["kind"],))
    edges = frozenset((a, b) if a < b else (b, a) for a, b in G.edges(nodes))
    return kinds, edges


def state_key(ctx: Context) -> tuple:
    return ctx.as_of, since_of(ctx), repr(sorted(ctx.config["thresholds"].items()))


WholeRun = Callable[[Context], tuple[Inputs, list, nx.Graph]]
HitOf = Callable[..., Hit]


def run_held(ctx: Context, whole_run: WholeRun, hit_of: HitOf) -> list[Hit]:
    """Every hit of a whole run, from the held state caught up when it can be (see the
    module docstring), else from a whole run that leaves a new state."""
    changes: Changes | None = ctx.shared.get(CHANGES)
    key = state_key(ctx)
    with session_scope(ctx.sessions) as session, _holder.lock:
        check = _holder.check(ctx.graph, session)
        state = check.value
        if (state is None or state.key != key or changes is None or check.running
                or not _unread(ctx, session, check.new - set(changes.batches))):
            state = None
        try:
            if state is None:
                state, hits = _whole(ctx, key, whole_run)
            else:
                skeleton = kin_skeleton.held(ctx.graph, session)
                hits = _caught_up(ctx, state, changes, skeleton, hit_of)
        except BaseException:
            _holder.drop(ctx.graph, session)
            raise
        _holder.keep(ctx.graph, session, state, check)
    return hits


def _unread(ctx: Context, session: Session, batches: set[str]) -> bool:
    """Whether none of ``batches`` wrote what the detector reads (a re-check it was
    skipped in, so the changes at hand do not come from them): judged by their
    templates, as ``incremental.detector_scope`` judged them."""
    if not batches:
        return True
    reach = Reach.from_config(ctx.config.get("incremental"))
    reads = reach.names() if reach is not None else frozenset()
    templates = set(session.scalars(sa.select(ImportBatch.template)
                                    .where(ImportBatch.id.in_(sorted(batches)))))
    if None in templates or not reads:
        return False
    try:
        types = [ctx.graph.schema.by_template(t) for t in templates]
    except KeyError:                        # a template this schema does not know
        return False
    return not any({t.label, t.rel_type, *t.extra_labels} & reads for t in types)


def _whole(ctx: Context, key: tuple, whole_run: WholeRun) -> tuple[State, list[Hit]]:
    inputs, found, G = whole_run(ctx)
    state = State(key, inputs, {p["project_id"]: k for k, rows in inputs.projects.items()
                                for p in rows},
                  {r["detail"]: k for k, rows in inputs.ties.items() for r in rows
                   if r["type"] == "PAID"})
    comps = components(G)
    by_node = {n: i for i, nodes in enumerate(comps) for n in nodes}
    grouped: dict[int, list[Hit]] = {}
    for cluster, hit in found:
        grouped.setdefault(by_node[next(iter(cluster.nodes))], []).append(hit)
    for i, nodes in enumerate(comps):
        state.hits[signature(G, nodes, inputs)] = grouped.get(i, [])
    return state, [hit for _, hit in found]


def _caught_up(ctx: Context, state: State, changes: Changes, skeleton, hit_of: HitOf
               ) -> list[Hit]:
    inputs = state.inputs
    before = inputs.persons
    firms = _contractors(ctx, state, changes)
    _ties(ctx, state, changes, firms)
    persons = inputs.persons
    _kin(ctx, inputs, changes, skeleton, before ^ persons, persons)
    if not persons:
        state.hits = {}
        return []
    G = inputs.graph({})        # persons are named for the components run again only
    kept: dict[tuple, list[Hit]] = {}
    fresh = []
    for nodes in components(G):
        sig = signature(G, nodes, inputs)
        if sig in state.hits:
            kept[sig] = state.hits[sig]
        else:
            fresh.append((sig, clusters_of(G, ctx.config["thresholds"], nodes)))
    for sig, hits in _fresh_hits(ctx, G, inputs, fresh, hit_of):
        kept[sig] = hits
    state.hits = kept
    return sorted((h for hits in kept.values() for h in hits),
                  key=lambda h: (-len(h.entities), h.entity_ids))


def _contractors(ctx: Context, state: State, changes: Changes) -> set[str]:
    """Re-read the contractor rows of the companies the batches touched; those ids."""
    inputs, nodes, edges = state.inputs, changes.nodes, changes.edges
    projects = set(nodes.get("Project", ())) | {e[0] for t in ("AWARDED_TO", "OWNED_BY")
                                                 for e in edges.get(t, ())}
    firms = set(nodes.get(COMPANY, ())) | {e[2] for e in edges.get("AWARDED_TO", ())}
    firms |= {state.winner[p] for p in projects if p in state.winner}
    if projects:
        firms.update(*(r["ids"] for r in ctx.graph.read_chunked(
            "detectors/hidden_cluster_winners", "ids", sorted(projects))))
    if not firms:
        return firms
    rows = ctx.graph.read_chunked("detectors/hidden_cluster_contractors_of", "ids",
                                  sorted(firms), {"since": since_of(ctx), "as_of": ctx.as_of})
    for k in firms:
        inputs.companies.pop(k, None)
        for p in inputs.projects.pop(k, ()):
            state.winner.pop(p["project_id"], None)
    for r in rows:
        inputs.companies.setdefault(r["company_id"], r)
        inputs.projects.setdefault(r["company_id"], []).append(r)
        state.winner[r["project_id"]] = r["company_id"]
    return firms


def _ties(ctx: Context, state: State, changes: Changes, firms: set[str]) -> None:
    """Re-read the ties into the companies the batches touched."""
    inputs, nodes, edges = state.inputs, changes.nodes, changes.edges
    into = set(firms) | {e[2] for t in TIES for e in edges.get(t, ()) if COMPANY in e[3]}
    pays = set(nodes.get("Payment", ())) | {e[0] for t in ("PAID_TO", "PAID_BY")
                                             for e in edges.get(t, ())}
    into |= {state.payee[p] for p in pays if p in state.payee}
    if pays:
        into.update(*(r["ids"] for r in ctx.graph.read_chunked(
            "detectors/hidden_cluster_payees", "ids", sorted(pays))))
    for k in into:
        for r in inputs.ties.pop(k, ()):
            if r["type"] == "PAID":
                state.payee.pop(r["detail"], None)
    for k, rows in by_company(read_ties(ctx, into & set(inputs.companies))).items():
        inputs.ties[k] = rows
        state.payee.update((r["detail"], k) for r in rows if r["type"] == "PAID")


def _kin(ctx: Context, inputs: Inputs, changes: Changes, skeleton, moved: set[str],
         persons: set[str]) -> None:
    """Re-derive who holds a post and the statutory relations of cadres near what the
    batches touched (``moved``: persons who became or ceased to be tied)."""
    edges, day = changes.edges, ctx.as_of
    ends = {i for t in kin_skeleton.TYPES for e in edges.get(t, ()) for i in (e[0], e[2])}
    posts = set(changes.nodes.get("Post", ())) | {e[0] for e in edges.get("IN_ORG", ())}
    holding = {e[0] for e in edges.get("HOLDS", ())}
    if posts:
        holding |= {person for person, post, _ in skeleton.holdings if post in posts}
    near = (skeleton.around(ends, MAX_EDGE_HOPS - 1) | skeleton.around(moved, MAX_EDGE_HOPS)
            | holding | moved)
    inputs.kin = {pair: rel for pair, rel in inputs.kin.items() if pair[0] not in near}
    # Only a cadre within MAX_EDGE_HOPS base edges of a tied person can have a relative
    # among them; whether the others hold a post is forgotten where it may have changed
    # (read again should they come near a tied person).
    reach = skeleton.around(persons, MAX_EDGE_HOPS)
    for p in holding - reach:
        inputs.cadre.pop(p, None)
    near &= reach
    holders = skeleton.holders(day)
    ask = sorted(p for p in near if p in holders and (p in holding or p not in inputs.cadre))
    held = current_posts(ctx.graph, ask, day) if ask else {}
    for p in near:
        if p not in holders:
            inputs.cadre[p] = False
        elif p in holding or p not in inputs.cadre:
            inputs.cadre[p] = bool(held.get(p))
    cadres = sorted(p for p in near if inputs.cadre[p])
    if not cadres:
        return
    fam = skeleton.family(skeleton.around(cadres, MAX_EDGE_HOPS - 1))
    for c in cadres:
        for r in fam.relatives(c, day):
            if r in persons:
                inputs.kin[(c, r)] = None       # its relation: read for the evidence


def _fresh_hits(ctx: Context, G: nx.Graph, inputs: Inputs, fresh: list, hit_of: HitOf):
    """The hits of the components re-run, their evidence read for their persons only."""
    clusters = [c for _, found in fresh for c in found]
    if not clusters:
        return [(sig, []) for sig, _ in fresh]
    members = {n for c in clusters for n in c.nodes if G.nodes[n]["kind"] != COMPANY.lower()}
    fam = load_family(ctx.graph, members)
    posts = current_posts(ctx.graph, [n for n in members if G.nodes[n]["kind"] == "cadre"],
                          ctx.as_of)
    for n in members:
        G.nodes[n]["name"] = fam.names.get(n, n)
    found = {c: fam.relatives(c, ctx.as_of) for c in {c for c, r in inputs.kin if c in members}}
    relations = {(c, r): found[c][r] for c, r in inputs.kin if c in members and r in members}
    view = Inputs(inputs.companies, inputs.projects, inputs.ties, inputs.cadre,
                  {**inputs.kin, **relations})
    return [(sig, [hit_of(G, c, view, fam, posts) for c in found]) for sig, found in fresh]


def held(graph, sessions) -> State | None:
    """The state held for this graph client and store, as it is (for tests)."""
    with session_scope(sessions) as session, _holder.lock:
        return _holder.peek(graph, session)
