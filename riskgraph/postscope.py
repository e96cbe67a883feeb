"""Scope-first reads for rescoring some posts after an import (``riskgraph.postdelta``),
answered from the tables the process holds (``riskgraph.posttables``: the whole reads,
caught up with the import batches), so rescoring reads no whole table from the graph.

A full scoring walks whole tables (``riskgraph.postscores.Tables``: every project,
payment and petition of the window). Rescoring a few posts needs only what can be
attributed to them:

- projects: those the posts' holders approved in the window, those whose approval
  names one of the posts, and the whole pools of split awards (owner, winner) of the
  awards among these just under the approval limit (the splitting red flag reads the
  pool; no other award is in one);
- the organisations' approved-project counts;
- payments approved by the holders or whose pay act names one of the posts;
- petitions about the holders.

A row that cannot be attributed to one of the posts changes nothing there, so taking
more than that is harmless, and nothing attributable is left out: an act, payment or
petition is attributed to a post by the post it names or by the post its person held
that day, and such a person held the post in the window.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cached_property

from riskgraph.graph import GraphClient
from riskgraph.postrisk import PostFacts
from riskgraph.postscores import Tables, window
from riskgraph.posttables import PostTables, by_person, ids_of
from riskgraph.procurement import in_band

Holdings = dict[tuple[str, str, date | None], date | None]


class Reader:
    """The look-ups of one rescoring over the held tables (indexes built on first use);
    ``ids`` runs an id-list query on the graph."""

    def __init__(self, graph: GraphClient, as_of: date, risk: dict, flags: dict,
                 held: PostTables, holdings: Holdings):
        """``flags``: the procurement red flag rules (config/detectors/procurement_flags
        ``thresholds.flags``); ``held``: the tables for ``as_of`` and ``risk``;
        ``holdings``: every post holding, (person, post, start) -> end (the process's
        kinship skeleton keeps them, ``kin_skeleton.Skeleton.holdings``)."""
        t = risk["thresholds"]
        split = flags.get("splitting")
        self.split_band = split["band"] if split and split.get("enabled", True) is not False else None
        self.flags = flags
        self.graph, self.as_of, self.held, self.holdings = graph, as_of, held, holdings
        self.params = window(risk, as_of)
        self.approve, self.pay = list(t["approve_roles"]), list(t["pay_roles"])
        self.roles = sorted(set(self.approve + self.pay))

    @cached_property
    def _index(self) -> dict[str, dict]:
        """Project ids by approver (acts in the window), company (winner or bidder),
        owner, pool (owner, winner) and named post; approved-project counts by owner."""
        since, as_of = self.params["since"], self.params["as_of"]
        idx: dict[str, dict] = {k: defaultdict(set) for k in
                                ("acted", "company", "owner", "pool", "named")}
        counts: dict[str, int] = defaultdict(int)
        for i, p in self.held.projects.items():
            idx["owner"][p["owner_id"]].add(i)
            if p["winner_id"]:
                idx["company"][p["winner_id"]].add(i)
                idx["pool"][(p["owner_id"], p["winner_id"])].add(i)
            for b in p["bids"]:
                idx["company"][b["id"]].add(i)
            counted = False
            for a in p["approvers"]:
                if a["post"]:
                    idx["named"][a["post"]].add(i)
                if a["date"] and since <= a["date"] <= as_of:
                    idx["acted"][a["id"]].add(i)
                    counted = True
            counts[p["owner_id"]] += counted
        idx["counts"] = counts
        return idx

    @cached_property
    def _window(self) -> tuple[dict[str, list[tuple]], dict[str, set[str]]]:
        """The holdings overlapping the window (as postrisk/holds reads them) by person,
        and their holders by post."""
        since, as_of = self.params["since"], self.params["as_of"]
        of_person: dict[str, list[tuple]] = defaultdict(list)
        of_post: dict[str, set[str]] = defaultdict(set)
        for (person, post, start), end in self.holdings.items():
            if start is not None and start <= as_of and (end is None or end >= since):
                of_person[person].append((post, start, end))
                of_post[post].add(person)
        return of_person, of_post

    def posts_held(self, persons: Iterable[str]) -> set[str]:
        """The posts some persons held in the window (postrisk/holds_of)."""
        of_person = self._window[0]
        return {h[0] for p in persons for h in of_person.get(p, ())}

    def posts_holding(self, persons: Iterable[str]) -> set[str]:
        """The posts some persons hold on ``as_of`` (as postrisk/current_holders_of)."""
        of_person, as_of = self._window[0], self.as_of
        return {post for p in persons for post, start, end in of_person.get(p, ())
                if end is None or end > as_of}

    def holds_around(self, posts: Iterable[str]) -> list[dict]:
        """Every holding in the window of the persons who held one of ``posts`` in it, as
        postrisk/holds_around gives them (without the person's name)."""
        of_person, of_post = self._window
        persons = sorted({p for post in posts for p in of_post.get(post, ())})
        return [{"person_id": p, "post_id": post, "start_date": start, "end_date": end}
                for p in persons for post, start, end in of_person[p]]

    @cached_property
    def _payments(self) -> tuple[dict[str, list[dict]], dict[str, set[str]]]:
        named: dict[str, set[str]] = defaultdict(set)
        for i, rows in self.held.payments.items():
            for r in rows:
                if r["post_id"]:
                    named[r["post_id"]].add(i)
        return by_person(self.held.payments), named

    def _of(self, kind: str, keys: Iterable) -> dict[str, dict]:
        index = self._index[kind]
        return self.projects({i for k in keys for i in index.get(k, ())})

    def projects(self, ids: Iterable[str]) -> dict[str, dict]:
        """The rows of the projects table among ``ids`` (awarded or open by as_of)."""
        table = self.held.projects
        return {i: table[i] for i in ids if i in table}

    def ids(self, name: str, ids: Iterable[str], **params) -> set[str]:
        return ids_of(self.graph, name, ids, **params)

    def acted(self, persons: Iterable[str]) -> dict[str, dict]:
        """The projects (rows) some persons approved in the window."""
        return self._of("acted", persons)

    def of_companies(self, companies: Iterable[str]) -> dict[str, dict]:
        return self._of("company", companies)

    def of_owners(self, owners: Iterable[str]) -> dict[str, dict]:
        return self._of("owner", owners)

    def pools(self, pairs: Iterable[tuple[str, str]]) -> dict[str, dict]:
        """Every project of the pools (owner, winner)."""
        return self._of("pool", set(pairs))

    def payments(self, ids: Iterable[str] = (), persons: Iterable[str] = ()) -> list[dict]:
        """Payments of the window by id or approver, in payment order (as the whole read)."""
        of_person = self._payments[0] if persons else {}
        return self._rows(self.held.payments, of_person, ids, persons, "payment_id")

    def petitions(self, ids: Iterable[str] = (), persons: Iterable[str] = ()) -> list[dict]:
        of_person = by_person(self.held.petitions) if persons else {}
        return self._rows(self.held.petitions, of_person, ids, persons, "petition_id")

    @staticmethod
    def _rows(table: dict[str, list[dict]], of_person: dict[str, list[dict]],
              ids: Iterable[str], persons: Iterable[str], key: str) -> list[dict]:
        wanted = {i for i in ids if i in table}
        wanted.update(r[key] for p in persons for r in of_person.get(p, ()))
        return [r for i in sorted(wanted) for r in table[i]]

    def tables(self, posts: set[str], holders: set[str], orgs: set[str]) -> Tables:
        """What ``postscores.gather`` reads to score ``posts`` (held in the window by
        ``holders``, in the organisations ``orgs``): see the module docstring."""
        named = self._payments[1]
        rows = self.acted(holders)
        rows.update(self._of("named", posts))
        if self.split_band is not None:
            # Only an award just under the approval limit is in a pool of split awards.
            rows.update(self.pools({(p["owner_id"], p["winner_id"]) for p in rows.values()
                                    if p["winner_id"] and p["award_date"]
                                    and in_band(p, self.split_band)}))
        counts = self._index["counts"]
        return Tables([rows[k] for k in sorted(rows)],
                      self.payments({i for p in posts for i in named.get(p, ())}, holders),
                      self.petitions((), holders),
                      org_projects={o: counts[o] for o in sorted(orgs) if counts.get(o)},
                      memo=self.held.memo(self.flags))


class Part:
    """The rescoring of ``posts`` (``postscores.Part``): their rows and holdings from
    the held tables and holdings, the current holders of those not in ``known`` (their
    holder and tenure as last scored) from the graph."""

    def __init__(self, reader: Reader, posts: set[str], known: dict[str, PostFacts]):
        self.reader, self.posts, self.known = reader, posts, known

    def post_rows(self) -> list[dict]:
        table = self.reader.held.posts
        return [table[i] for i in sorted(self.posts) if i in table]

    def holds(self) -> list[dict]:
        return self.reader.holds_around(self.posts)

    def current(self) -> tuple[list[dict], dict[str, PostFacts]]:
        rows = self.reader.graph.read("postrisk/current_holders_of", {
            "ids": sorted(self.posts - self.known.keys()), "as_of": self.reader.as_of})
        return rows, self.known

    def tables(self, holders: set[str], orgs: set[str]) -> Tables:
        return self.reader.tables(self.posts, holders, orgs)
