"""The post risk sweep (``score_posts``): gather what the score reads from the graph
(and the confirmed findings from the store), score every post with the pure
``riskgraph.postrisk`` and store the ranking (``riskgraph.poststore``)."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.detectors.config import detector_config
from riskgraph.detectors.post_tenure import clock_of
from riskgraph.detectors.procurement_flags import Memo, cases, read_projects
from riskgraph.graph import GraphClient
from riskgraph.postrisk import PostFacts, Scored, rank_posts
from riskgraph.poststore import store_ranking
from riskgraph.settings import Settings
from riskgraph.store import Finding, session_scope
from riskgraph.store.vocab import ReviewStatus
from riskgraph.tenure import add_years, covers, elapsed_years, limit_years, rank_order
from riskgraph.values import native


class Holdings:
    """Who held which post when: answers "which post did this person hold that day"."""

    def __init__(self, rows: list[dict]):
        self.by_person: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
        self.holders: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            self.by_person[r["person_id"]].append(
                (native(r["start_date"]), native(r["end_date"]), r["post_id"]))
            self.holders[r["post_id"]].add(r["person_id"])
        for spans in self.by_person.values():
            spans.sort(key=lambda s: (s[0], s[2]))

    def post_at(self, person: str, day: date) -> str | None:
        spans = self.by_person.get(person, [])
        i = bisect_right([s[0] for s in spans], day)
        for start, end, post in reversed(spans[:i]):
            if end is None or end >= day:
                return post
        return None


def tenure_of(row: dict, rules: dict, gap: int, default_limit: float, as_of: date,
              ranks: dict[str, int]) -> dict[str, Any]:
    """The current holder's tenure clock against the tightest post rule covering them."""
    clock = clock_of(row, gap)
    applicable = sorted((limit_years(r), name) for name, r in rules.items()
                        if r.get("enabled", True) is not False and r.get("clock", "post") == "post"
                        and covers(r, clock, ranks))
    limit, rule = applicable[0] if applicable else (default_limit, None)
    years = round(elapsed_years(clock.started, as_of), 2)
    return {"started": clock.started.isoformat(), "years": years, "limit_years": limit,
            "overdue": add_years(clock.started, limit) <= as_of, "rule": rule}


def window(risk: dict, as_of: date) -> dict[str, date]:
    """The look-back window's parameters: since, as_of."""
    return {"since": add_years(as_of, -risk["thresholds"]["window_years"]), "as_of": as_of}


@dataclass
class Tables:
    """The whole-table reads the score shares with other steps (the procurement red
    flags read the same projects; the post set after an import reads payments and
    petitions to see which posts a batch touched)."""

    projects: list[dict]
    payments: list[dict]
    petitions: list[dict]
    # Projects approved in the window per owner organisation, when counted elsewhere
    # (a partial read); None: count them from ``projects`` (which then holds them all).
    org_projects: dict[str, int] | None = None
    # The projects' red flags found before (``procurement_flags.cases``), if kept.
    memo: Memo | None = None
    # Every post with its organisation (postrisk/posts), when read with the tables.
    posts: list[dict] | None = None

    @classmethod
    def read(cls, graph: GraphClient, as_of: date, risk: dict,
             projects: list[dict] | None = None) -> Tables:
        t, params = risk["thresholds"], window(risk, as_of)
        if projects is None:
            projects = read_projects(graph, as_of, t["approve_roles"])
        return cls(projects,
                   graph.read("postrisk/payments", {**params, "pay_roles": t["pay_roles"]}),
                   graph.read("postrisk/petitions", params),
                   posts=graph.read("postrisk/posts"))


class Part(Protocol):
    """The reads of rescoring some posts only (``riskgraph.postscope.Part``): the rows
    of what follows for those posts, each as the whole read gives it."""

    def post_rows(self) -> list[dict]:
        """postrisk/posts, of these posts."""

    def holds(self) -> list[dict]:
        """postrisk/holds, of everyone who held one of them in the window (an act,
        payment or petition they attribute to these posts is then attributed as in a
        gathering of all posts: an actor who never held one of them cannot be
        attributed to one of them by date)."""

    def current(self) -> tuple[list[dict], dict[str, PostFacts]]:
        """detectors/post_tenure's rows (as_of, post_before as_of) of some of them, and
        the current holder and tenure of the others, as known."""

    def tables(self, holders: set[str], orgs: set[str]) -> Tables:
        """What they need of the tables (holders: of the posts in the window; orgs:
        theirs)."""


def gather(graph: GraphClient, as_of: date, risk: dict, tenure: dict, flags: dict,
           findings: list[dict], tables: Tables | None = None,
           part: Part | None = None) -> list[PostFacts]:
    """Everything the score reads, per post — or, with ``part``, of some posts (their
    facts are the same as in a gathering of all posts). ``findings``: earlier confirmed
    findings (id, detector, title, ids) — the caller reads them from the store."""
    t = risk["thresholds"]
    params = window(risk, as_of)
    since = params["since"]
    known: dict[str, PostFacts] = {}
    if part is None:
        if tables is None:
            tables = Tables.read(graph, as_of, risk)
        post_rows = tables.posts if tables.posts is not None else graph.read("postrisk/posts")
        holds = graph.read("postrisk/holds", params)
        current = graph.read("detectors/post_tenure",
                             {"as_of": as_of, "post_before": as_of, "rank_before": None})
    else:
        post_rows, holds = part.post_rows(), part.holds()
        current, known = part.current()
    posts = {r["post_id"]: PostFacts(r["post_id"], r["post_name"], r["org_id"], r["org_name"],
                                     power_domains=list(r["power_domains"] or []))
             for r in post_rows}
    held = Holdings(holds)
    if part is not None:
        tables = part.tables(set(held.by_person), {p.org_id for p in posts.values()})
    for post_id, facts in known.items():
        if (p := posts.get(post_id)) is not None:
            p.holder_id, p.holder_name, p.tenure = facts.holder_id, facts.holder_name, facts.tenure
    rules, ranks = tenure["thresholds"]["rules"], rank_order()
    for row in current:
        p = posts.get(row["post_id"])
        if p is None or (p.holder_id and p.holder_id < row["person_id"]):
            continue        # several holders at once: keep the first id, deterministically
        p.holder_id, p.holder_name = row["person_id"], row["person_name"]
        p.tenure = tenure_of(row, rules, tenure["thresholds"]["merge_gap_days"],
                             t["default_limit_years"], as_of, ranks)

    projects = tables.projects
    flagged: dict[str, set[str]] = defaultdict(set)
    for case in cases(projects, flags["thresholds"]["flags"], tables.memo):
        for prj in case.projects:
            flagged[prj["project_id"]].update(f.name for f in case.flags)
    org_projects: dict[str, int] = defaultdict(int)
    for prj in projects:
        acts = [a for a in prj["approvers"] if a["date"] and since <= a["date"] <= as_of]
        if acts:
            org_projects[prj["owner_id"]] += 1
        for post_id in sorted({a["post"] or held.post_at(a["id"], a["date"]) for a in acts} - {None}):
            if post_id in posts:
                posts[post_id].projects.append({"id": prj["project_id"], "amount": prj["award_amount"],
                                                "winner": prj["winner_id"]})
                if prj["project_id"] in flagged:
                    posts[post_id].flagged[prj["project_id"]] = sorted(flagged[prj["project_id"]])
    if tables.org_projects is not None:
        org_projects = defaultdict(int, tables.org_projects)
    for p in posts.values():
        p.org_projects = org_projects.get(p.org_id, 0)

    for pay in tables.payments:
        post_id = pay["post_id"] or held.post_at(pay["person_id"], native(pay["date"]))
        if post_id in posts:
            posts[post_id].payments.append({"id": pay["payment_id"], "amount": pay["amount"]})
    for pet in tables.petitions:
        post_id = held.post_at(pet["person_id"], native(pet["received"]))
        if post_id in posts:
            posts[post_id].petitions.append({"id": pet["petition_id"], "outcome": pet["outcome"]})
    for p in posts.values():
        people = held.holders.get(p.post_id, set()) | {p.post_id}
        p.findings = [f for f in findings if people & set(f["ids"])]
    return [posts[k] for k in sorted(posts)]


def confirmed_findings(session: Session) -> list[dict]:
    """Findings reviewers confirmed (any detector), with their entity ids."""
    rows = session.execute(sa.select(Finding.id, Finding.detector, Finding.title, Finding.entities)
                           .where(Finding.review_status == ReviewStatus.CONFIRMED)
                           .order_by(Finding.id))
    return [{"id": r.id, "detector": r.detector, "title": r.title,
             "ids": [e["id"] for e in r.entities]} for r in rows]


def configs(province: str) -> tuple[dict, dict, dict]:
    return (detector_config("post_risk", province), detector_config("post_tenure", province),
            detector_config("procurement_flags", province))


def compute(graph: GraphClient, risk: dict, tenure: dict, flags: dict, as_of: date,
            findings: list[dict], tables: Tables | None = None) -> list[Scored]:
    facts = gather(graph, as_of, risk, tenure, flags, findings, tables=tables)
    return rank_posts(facts, risk.get("weights") or {}, risk.get("levels") or {})


def score_posts(graph: GraphClient, sessions: sessionmaker[Session], settings: Settings,
                sweep_id: str, as_of: date) -> list[Scored]:
    """Score and rank every post; store the ranking as the current one (scored by
    ``sweep_id``) and return it."""
    with session_scope(sessions) as session:
        findings = confirmed_findings(session)
    ranking = compute(graph, *configs(settings.get("detectors", "province")), as_of, findings)
    store_ranking(sessions, sweep_id, as_of, ranking)
    return ranking
