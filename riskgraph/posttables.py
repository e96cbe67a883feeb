"""The posts, projects, payments and petitions tables of the post risk score held by
the process and patched from the import batches (the re-check after an import rescores
a few posts from them without reading whole tables: ``riskgraph.postscope``).

The tables are what the whole reads give (``postscores.Tables.read``: every project
awarded or open by ``as_of`` with its owner, winner, bids and approvals; the window's
payments with their approver and named post; the window's petitions with the person
they are about; every post with its organisation), row for row, kept by id. They are read whole the first time a process
needs them for a day and configuration (``Key``) — or taken from a whole run's own
read (``seed``) — and caught up with each import batch
finished since (``riskgraph.held``: the ledger validation they share with the kinship
skeleton; the census is the count of projects, payments, petitions and posts). A batch is
applied by reading again, through the id indexes, every row that can hold something it
wrote (``_batch`` is stamped on every write):

- a project row: the project written, or one end of an OWNED_BY, AWARDED_TO, BID_ON or
  ACTED_ON it wrote; the projects of an organisation it wrote (the owner's name), that
  a company it wrote bid on or won (name, address, phone), that a person it wrote acted
  on in an approving role (the approver's name);
- a payment row: the payment written, or the payment end of an APPROVED_BY or ACTED_ON
  it wrote (the approver and the post their pay act names);
- a petition row: the petition written, or the petition end of an ABOUT it wrote;
- a post row: the post written, the post end of an IN_ORG it wrote, the posts of an
  organisation it wrote.

A row read again that no longer qualifies (awarded after ``as_of``, out of the window)
leaves the table. What the batches wrote comes from the re-check's ``Changes`` when it
covers them, otherwise from the ``_batch`` indexes of the labels and types above.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy.orm import Session

from riskgraph.detectors.procurement_flags import Memo, read_projects
from riskgraph.graph import GraphClient
from riskgraph.held import Held
from riskgraph.postscores import Tables, window
from riskgraph.reach import Changes

PROJECT_NODES = ("Project", "Organization", "Company", "Person")
PROJECT_TYPES = ("OWNED_BY", "AWARDED_TO", "BID_ON", "ACTED_ON")
ROW_NODES = (*PROJECT_NODES, "Payment", "Petition", "Post")
ROW_TYPES = (*PROJECT_TYPES, "APPROVED_BY", "ABOUT", "IN_ORG")


class Key(NamedTuple):
    """What the tables are read for: the day and the roles the score counts."""

    as_of: date
    since: date
    approve: tuple[str, ...]
    pay: tuple[str, ...]

    @classmethod
    def of(cls, risk: dict, as_of: date) -> Key:
        t = risk["thresholds"]
        return cls(as_of, window(risk, as_of)["since"], tuple(t["approve_roles"]),
                   tuple(t["pay_roles"]))

    @property
    def params(self) -> dict[str, date]:
        return {"since": self.since, "as_of": self.as_of}


@dataclass
class PostTables:
    """The tables by row id (a payment or petition id may have several rows)."""

    projects: dict[str, dict] = field(default_factory=dict)
    payments: dict[str, list[dict]] = field(default_factory=dict)
    petitions: dict[str, list[dict]] = field(default_factory=dict)
    posts: dict[str, dict] = field(default_factory=dict)
    # The red flags of the rows, for the rules they were found with (a row read again
    # is a new object: its flags are found again).
    flagged: tuple[dict, Memo] = field(default_factory=lambda: ({}, {}))

    def memo(self, rules: dict) -> Memo:
        """The red flags found so far with ``rules`` (``procurement_flags.cases``)."""
        if self.flagged[0] != rules:
            self.flagged = (copy.deepcopy(rules), {})
        return self.flagged[1]

    def project_rows(self) -> list[dict]:
        """The projects as ``procurement_flags.read_projects`` gives them (by id)."""
        return [self.projects[k] for k in sorted(self.projects)]

    def tables(self) -> Tables:
        """As ``postscores.Tables.read`` gives them (each ordered by id)."""
        return Tables(self.project_rows(),
                      [r for k in sorted(self.payments) for r in self.payments[k]],
                      [r for k in sorted(self.petitions) for r in self.petitions[k]],
                      posts=[self.posts[k] for k in sorted(self.posts)])

    def put(self, projects: list[dict], payments: list[dict], petitions: list[dict],
            posts: list[dict]) -> None:
        for p in projects:
            self.projects[p["project_id"]] = p
        for p in posts:
            self.posts[p["post_id"]] = p
        for r in payments:
            self.payments.setdefault(r["payment_id"], []).append(r)
        for r in petitions:
            self.petitions.setdefault(r["petition_id"], []).append(r)


def read(graph: GraphClient, key: Key) -> PostTables:
    """The tables read whole."""
    held = PostTables()
    held.put(read_projects(graph, key.as_of, list(key.approve)),
             graph.read("postrisk/payments", {**key.params, "pay_roles": list(key.pay)}),
             graph.read("postrisk/petitions", key.params), graph.read("postrisk/posts"))
    return held


def written(graph: GraphClient, batches: list[str], hint: Changes | None) -> Changes:
    """What ``batches`` wrote of the labels and types the rows hold: ``hint`` when it
    covers them, otherwise read through the ``_batch`` indexes."""
    if hint is not None and set(batches) <= set(hint.batches):
        return hint
    out = Changes(batches=tuple(batches))
    for label in ROW_NODES:
        rows = graph.read("incremental/batch_nodes", {"batches": batches}, Label=label)
        out.nodes[label].update(i for r in rows for i in r["ids"])
    for rel_type in ROW_TYPES:
        rows = graph.read("incremental/batch_edges", {"batches": batches}, TYPE=rel_type)
        out.edges[rel_type].extend((src, frozenset(sl), dst, frozenset(dl))
                                   for r in rows for src, sl, dst, dl in r["rows"])
    return out


def _ends(changes: Changes, types: Iterable[str], label: str) -> set[str]:
    return {i for t in types for src, sl, dst, dl in changes.edges.get(t, ())
            for i, labels in ((src, sl), (dst, dl)) if label in labels}


def ids_of(graph: GraphClient, name: str, ids: Iterable[str], **params) -> set[str]:
    """The ids a query collects (rows of ``ids`` lists) for some ids, read in chunks."""
    return {i for r in graph.read_chunked(name, "ids", sorted(ids), params) for i in r["ids"]}


def apply(graph: GraphClient, held: PostTables, batches: list[str], key: Key,
          hint: Changes | None) -> None:
    """Read again every row that can hold something ``batches`` wrote (module docstring)."""
    w = written(graph, batches, hint)
    nodes = {label: w.nodes.get(label, set()) for label in ROW_NODES}
    projects = nodes["Project"] | _ends(w, PROJECT_TYPES, "Project")
    if nodes["Organization"]:
        projects |= ids_of(graph, "postrisk/project_ids_of_owners", nodes["Organization"])
    if nodes["Company"]:
        projects |= ids_of(graph, "incremental/company_projects", nodes["Company"])
    if nodes["Person"]:
        projects |= ids_of(graph, "postrisk/project_ids_approved_by", nodes["Person"],
                         roles=list(key.approve))
    payments = nodes["Payment"] | _ends(w, ("APPROVED_BY", "ACTED_ON"), "Payment")
    petitions = nodes["Petition"] | _ends(w, ("ABOUT",), "Petition")
    posts = nodes["Post"] | _ends(w, ("IN_ORG",), "Post")
    if nodes["Organization"]:
        posts.update(r["post_id"] for r in graph.read(
            "postrisk/posts_in_orgs", {"ids": sorted(nodes["Organization"])}))
    for ids, table in ((projects, held.projects), (payments, held.payments),
                       (petitions, held.petitions), (posts, held.posts)):
        for i in ids:
            table.pop(i, None)
    params = {**key.params, "persons": []}
    held.put(read_projects(graph, key.as_of, list(key.approve), sorted(projects)) if projects else [],
             graph.read_chunked("postrisk/payments_among", "ids", sorted(payments),
                                {**params, "pay_roles": list(key.pay)}) if payments else [],
             graph.read_chunked("postrisk/petitions_among", "ids", sorted(petitions), params)
             if petitions else [],
             graph.read_chunked("postrisk/posts_among", "ids", sorted(posts)) if posts else [])


_HELD: Held[PostTables] = Held(read, apply, ("Project", "Payment", "Petition", "Post"))


def held(graph: GraphClient, session: Session, risk: dict, as_of: date,
         changes: Changes | None = None) -> PostTables:
    """The tables for ``as_of`` and the configuration ``risk`` (post_risk's), caught up
    with the batches finished since they were read; ``changes``: what the re-check's
    batches wrote, if known. Treat them as read-only."""
    return _HELD.get(graph, session, Key.of(risk, as_of), changes)


def seed(graph: GraphClient, session: Session, risk: dict, as_of: date,
         read_whole: Callable[[], Tables]) -> Tables:
    """A whole run's tables (``read_whole()``, read after the ledger is looked at), held
    from then on for ``as_of`` and ``risk``: the next re-check only catches them up."""
    out: list[Tables] = []

    def value() -> PostTables:
        out.append(read_whole())
        held = PostTables()
        posts = out[0].posts if out[0].posts is not None else graph.read("postrisk/posts")
        held.put(out[0].projects, out[0].payments, out[0].petitions, posts)
        return held

    _HELD.seed(graph, session, Key.of(risk, as_of), value)
    return out[0]


def forget() -> None:
    """Drop the held tables (what a new process starts with)."""
    _HELD.forget()


def by_person(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Payment or petition rows by the person they name."""
    out: dict[str, list[dict]] = defaultdict(list)
    for group in rows.values():
        for r in group:
            out[r["person_id"]].append(r)
    return out


def unapply(batches: list[str]) -> None:
    """Make the next call apply ``batches`` again (for benchmarks)."""
    _HELD.unapply(batches)
