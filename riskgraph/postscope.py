"""Scope-first reads for rescoring some posts after an import (``riskgraph.postdelta``).

A full scoring reads whole tables (``riskgraph.postscores.Tables``: every project,
payment and petition of the window). Rescoring a few posts needs only what can be
attributed to them, read from the changed rows and the posts' holders through the id
indexes (``cypher/postrisk/*_among``, ``project_ids_*``):

- projects: those the posts' holders approved in the window, those whose approval
  names one of the posts, and the whole pools of split awards (owner, winner) of the
  awards among these just under the approval limit (the splitting red flag reads the
  pool; no other award is in one); each project row as the whole read gives it;
- the organisations' approved-project counts, counted in the database;
- payments approved by the holders or whose pay act names one of the posts;
- petitions about the holders.

A row that cannot be attributed to one of the posts changes nothing there, so reading
more than that is harmless, and nothing attributable is left out: an act, payment or
petition is attributed to a post by the post it names or by the post its person held
that day, and such a person held the post in the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from riskgraph.detectors.procurement_flags import DATES, shared_projects
from riskgraph.graph import GraphClient
from riskgraph.postscores import Tables, window
from riskgraph.procurement import in_band
from riskgraph.values import native


class Reader:
    """The reads of one rescoring; project rows are read once and kept."""

    def __init__(self, graph: GraphClient, as_of: date, risk: dict, flags: dict,
                 shared: dict | None = None):
        """``flags``: the procurement red flag rules (config/detectors/procurement_flags
        ``thresholds.flags``); ``shared``: the sweep's shared dict. Project rows come
        from the whole projects table kept there (``procurement_flags.shared_projects``)
        when the sweep has read it already, or when more than ``whole_table_share``
        (config/detectors/post_risk.yaml ``incremental``) of all projects are needed:
        reading them all is then cheaper, and later steps of the sweep share it."""
        t = risk["thresholds"]
        self.shared = shared
        self.whole_share = float((risk.get("incremental") or {}).get("whole_table_share", 1.0))
        self._total: int | None = None
        split = flags.get("splitting")
        self.split_band = split["band"] if split and split.get("enabled", True) is not False else None
        self.graph, self.as_of = graph, as_of
        self.params = window(risk, as_of)
        self.approve, self.pay = list(t["approve_roles"]), list(t["pay_roles"])
        self.roles = sorted(set(self.approve + self.pay))
        self._projects: dict[str, dict | None] = {}     # None: not in the projects table
        self._whole = False
        if shared is not None and self._key() in shared:
            self._read_whole()

    def _key(self) -> tuple:
        return ("procurement_projects", self.as_of, tuple(self.approve))   # shared_projects'

    def _read_whole(self) -> None:
        table = shared_projects(self.shared, self.graph, self.as_of, self.approve)
        self._projects = {p["project_id"]: p for p in table}
        self._whole = True

    def projects(self, ids: Iterable[str]) -> dict[str, dict]:
        """The rows of the projects table among ``ids`` (awarded or open by as_of)."""
        ids = set(ids)
        wanted = set() if self._whole else ids - self._projects.keys()
        if wanted and self.shared is not None and self.whole_share < 1:
            if self._total is None:
                self._total = self.graph.read("graph/count_label", Label="Project")[0]["count"]
            if len(wanted) + len(self._projects) > self.whole_share * self._total:
                self._read_whole()
                wanted = set()
        for row in self.graph.read_chunked("postrisk/projects_among", "ids", sorted(wanted),
                                           {"as_of": self.as_of, "approve_roles": self.approve}):
            for key in DATES:
                row[key] = native(row[key])
            for a in row["approvers"]:
                a["date"] = native(a["date"])
            self._projects[row["project_id"]] = row
        for i in wanted:
            self._projects.setdefault(i, None)
        return {i: p for i in ids if (p := self._projects.get(i)) is not None}

    def ids(self, name: str, ids: Iterable[str], **params) -> set[str]:
        return {i for r in self.graph.read_chunked(name, "ids", sorted(ids), params) for i in r["ids"]}

    def acted(self, persons: Iterable[str]) -> dict[str, dict]:
        """The projects (rows) some persons approved in the window."""
        return self.projects(self.ids("postrisk/project_ids_acted", persons, roles=self.approve,
                                      **self.params))

    def of_companies(self, companies: Iterable[str]) -> dict[str, dict]:
        return self.projects(self.ids("postrisk/project_ids_of_companies", companies))

    def of_owners(self, owners: Iterable[str]) -> dict[str, dict]:
        return self.projects(self.ids("postrisk/project_ids_of_owners", owners))

    def pools(self, pairs: Iterable[tuple[str, str]]) -> dict[str, dict]:
        """Every project of the pools (owner, winner)."""
        pairs = sorted({(o, w) for o, w in pairs})
        return self.projects({x for r in self.graph.read_chunked(
            "postrisk/project_ids_of_pools", "pairs", [list(p) for p in pairs]) for x in r["ids"]})

    def payments(self, ids: Iterable[str] = (), persons: Iterable[str] = ()) -> list[dict]:
        """Payments of the window by id or approver, in payment order (as the whole read)."""
        rows = self._rows("postrisk/payments_among", ids, persons, pay_roles=self.pay)
        return sorted(rows, key=lambda r: r["payment_id"])

    def petitions(self, ids: Iterable[str] = (), persons: Iterable[str] = ()) -> list[dict]:
        rows = self._rows("postrisk/petitions_among", ids, persons)
        return sorted(rows, key=lambda r: r["petition_id"])

    def _rows(self, name: str, ids: Iterable[str], persons: Iterable[str], **params) -> list[dict]:
        ids, persons = sorted(set(ids)), sorted(set(persons))
        if not ids and not persons:
            return []
        return self.graph.read(name, {"ids": ids, "persons": persons, **self.params, **params})

    def tables(self, posts: set[str], holders: set[str], orgs: set[str]) -> Tables:
        """What ``postscores.gather`` reads to score ``posts`` (held in the window by
        ``holders``, in the organisations ``orgs``): see the module docstring."""
        named = self.graph.read("postrisk/acts_naming_posts",
                                {"posts": sorted(posts), "roles": self.roles})
        named_projects = {i for r in named for i in r["projects"] if i}
        named_payments = {i for r in named for i in r["payments"] if i}
        rows = self.acted(holders)
        rows.update(self.projects(named_projects))
        if self.split_band is not None:
            # Only an award just under the approval limit is in a pool of split awards.
            rows.update(self.pools({(p["owner_id"], p["winner_id"]) for p in rows.values()
                                    if p["winner_id"] and p["award_date"]
                                    and in_band(p, self.split_band)}))
        counts = {r["org_id"]: r["projects"] for r in self.graph.read(
            "postrisk/org_project_counts",
            {"ids": sorted(orgs), **self.params, "approve_roles": self.approve})}
        return Tables([rows[k] for k in sorted(rows)],
                      self.payments(named_payments, holders), self.petitions((), holders),
                      org_projects=counts)
