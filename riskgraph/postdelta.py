"""The post risk ranking after an import, rescoring only the posts the import can have
changed (``ranking_after``) and keeping the other posts' rows of the last stored ranking.

A post's score reads (``riskgraph.postscores.gather``): the post and its organisation;
its current holder and their tenure clock; the projects and payments approved under it
(named on the act, or by the post the approver held that day); the red flags of those
projects; how many projects its organisation approved; petitions about the persons who
held it at the time; confirmed findings naming it or its holders. So a batch, through
what it wrote of the labels and types the score reads (``incremental.reads`` of
config/detectors/post_risk.yaml), can change the score of (``touched_posts``):

- a post it wrote, or whose organisation it wrote (every post of that organisation);
- every post a person it wrote held in the window, or named on one of their acts or
  payment approvals (a person is "written" when their node, occupancy, act, payment
  approval or petition is; persons reached through a written payment or petition too);
- for a project it wrote a bid or an approval of (or whose bidder or winner company it
  wrote): the posts of its approvers (its own red flags and attribution; the pool of
  split awards reads only the projects' owner, winner, award and amounts); for an
  approval also the posts of its owner that approve projects (they share the owner's
  project count), unless an approval of the project in the window that the batches did
  not write keeps it counted either way. A project, award or owner written itself may
  have left its pool or changed the count: then the approvers of all its owner's
  projects count, and the owner's approving posts;
- posts a confirmed finding names, directly or through a holder, and posts whose last
  score counted confirmed findings (reviews change without imports).

Every other post keeps its stored row: the ranking equals a full rescoring as long as
the last stored ranking was computed for the same day (``as_of``) and configuration,
which the re-check after an import assumes for every detector (a configuration change
is followed by a whole sweep). When there is no such ranking, or a batch wrote a
project the projects table does not hold (awarded after ``as_of``: it may have left the
table), the caller scores every post.

Nothing here reads a whole table: the projects, payments and petitions come from the
tables the process holds (``riskgraph.posttables``, caught up with the batches), who
held which post when from the process's kinship skeleton (``kin_skeleton``, which keeps
every post holding), the touched posts from the written rows, and the rescoring takes
what ``riskgraph.postscope`` says is attributable to them. Of the graph it reads the
touched posts, and the current holders of those whose holder or tenure clock the
batches can have changed (``kept_holders``: the others keep theirs from the last
ranking). The step after the sweep stores the changes of the rescored posts only
(``riskgraph.poststore.Base``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from riskgraph import kin_skeleton, posttables
from riskgraph.detectors.procurement_flags import shared_key
from riskgraph.graph import GraphClient
from riskgraph.postrisk import PostFacts, Scored, level_of, rank_posts
from riskgraph.postscope import Part, Reader
from riskgraph.postscores import gather
from riskgraph.poststore import Base, last_ranking
from riskgraph.reach import Changes
from riskgraph.store import session_scope

log = logging.getLogger(__name__)


def written(changes: Changes, kinds: set[str] | frozenset[str]) -> dict[str, set[str]]:
    """Ids of the nodes of ``kinds`` the batches wrote and of both ends of their
    relationships of ``kinds``, by label."""
    out: dict[str, set[str]] = defaultdict(set)
    for label, ids in changes.nodes.items():
        if label in kinds:
            out[label] |= ids
    for rel_type, rows in changes.edges.items():
        if rel_type not in kinds:
            continue
        for src, src_labels, dst, dst_labels in rows:
            for label in src_labels:
                out[label].add(src)
            for label in dst_labels:
                out[label].add(dst)
    return out


def touched_posts(graph: GraphClient, reader: Reader, changes: Changes, reads: frozenset[str],
                  findings: list[dict], previous: list[Scored]) -> set[str] | None:
    """The posts whose score the batches can have changed (see the module docstring);
    ``reads``: the labels and types the score reads. None when only a full rescoring is
    safe. More posts than that is harmless (they are rescored to what they were)."""
    w = written(changes, reads)
    posts, persons, orgs = set(w["Post"]), set(w["Person"]), set(w["Organization"])
    # A project written itself, or its award or owner, may have left its pool of split
    # awards (owner, winner) or changed the owner's project count: all its owner's
    # projects count. A bid (or a company) changes only its project's own red flags, an
    # approval its project's attribution and its owner's project count.
    moved = written(changes, reads & {"Project", "AWARDED_TO", "OWNED_BY"})["Project"]
    acted = written(changes, reads & {"ACTED_ON"})["Project"]
    hit = reader.projects(w["Project"])
    if w["Project"] - hit.keys():
        return None
    if w["Company"]:
        hit.update(reader.of_companies(w["Company"]))
    moved_owners = {hit[i]["owner_id"] for i in moved}
    # An approval changes its owner's count only when no approval of the project in the
    # window is older than the batches (such a project was counted before and after).
    kept = reader.ids("postrisk/project_ids_counted_before", acted - moved,
                      batches=sorted(changes.batches), approve_roles=reader.approve,
                      **reader.params) if changes.batches else set()
    counted = moved_owners | {hit[i]["owner_id"] for i in acted - kept}
    for p in [*hit.values(), *reader.of_owners(moved_owners).values()]:
        persons.update(a["id"] for a in p["approvers"])
    persons.update(r["person_id"] for r in reader.payments(ids=w["Payment"]))
    persons.update(r["person_id"] for r in reader.petitions(ids=w["Petition"]))
    # Posts named on the acts of these persons (approving a project, paying): read from
    # the graph, which holds every act (a payment row holds only its least named post,
    # and a post that stops being the least loses the payment).
    posts |= reader.ids("postrisk/posts_named_by", persons, roles=reader.roles)
    # An owner's project count changes the concentration of its posts that approved
    # projects (a post that starts approving is reached through its approver above).
    posts.update(s.post.post_id for s in previous if s.post.org_id in counted
                 and any(f.factor == "projects" for f in s.factors))
    # Confirmed findings: the posts they name, and those of the persons they name.
    named = {i for f in findings for i in f["ids"]}
    posts |= named
    posts.update(s.post.post_id for s in previous if any(f.factor == "findings" for f in s.factors))
    posts |= reader.posts_held(persons | named)
    if orgs:
        posts.update(r["post_id"] for r in graph.read("postrisk/posts_in_orgs", {"ids": sorted(orgs)}))
    return posts


def kept_holders(changes: Changes, reader: Reader, posts: set[str],
                 previous: list[Scored]) -> dict[str, PostFacts]:
    """The posts of ``posts`` whose current holder and tenure clock the batches cannot
    have changed, as last scored: none of their holdings, the post, its organisation
    or its current holder's node was written (the clock reads the holder's rank date and
    holdings of the post, the post's and organisation's kind)."""
    stale = written(changes, frozenset({"Post", "HOLDS", "IN_ORG"}))["Post"]
    stale |= reader.posts_holding(changes.nodes.get("Person", ()))
    orgs = changes.nodes.get("Organization", set())
    return {s.post.post_id: s.post for s in previous if s.post.post_id in posts
            and s.post.post_id not in stale and s.post.org_id not in orgs}


def merge(scored: list[Scored], levels: dict[str, float]) -> list[Scored]:
    """Rank kept and rescored posts together as ``rank_posts`` ranks them (a post
    whose rank or level moves gets a new object: the kept ones may be the last stored
    ranking's)."""
    scored = sorted(scored, key=lambda s: (-s.score, s.post.post_id))
    level: dict[float, str | None] = {}
    for s in scored:
        if s.score not in level:
            level[s.score] = level_of(s.score, levels)
    # A post whose rank and level stay keeps its object (nothing changes a Scored once
    # ranked): fewer new long-lived objects, fewer full garbage collections.
    return [s if (s.rank, s.level) == (i, level[s.score]) else
            Scored(s.post, s.score, s.factors, i, level[s.score]) for i, s in enumerate(scored, 1)]


def ranking_after(graph: GraphClient, sessions: sessionmaker[Session], changes: Changes,
                  risk: dict, tenure: dict, flags: dict, as_of: date, findings: list[dict],
                  shared: dict | None = None) -> tuple[list[Scored], Base] | None:
    """The whole ranking after the batches of ``changes``: the posts they can have
    changed rescored, the others as last stored; and what it was derived from. None
    when a full rescoring is needed. ``shared``: the sweep's shared dict, where the held
    projects table is left for procurement_flags (``shared_projects``: the same rows)."""
    with session_scope(sessions) as session:
        last = last_ranking(session, as_of)
        if last is None:
            return None
        reads = frozenset((risk.get("incremental") or {}).get("reads") or ())
        weights = risk.get("weights") or {}
        if not reads or "projects" not in weights:
            return None         # no declared reads, or no way to tell which posts approve
        held = posttables.held(graph, session, risk, as_of, changes)
        holdings = kin_skeleton.held(graph, session).holdings
    if shared is not None:
        shared.setdefault(shared_key(as_of, risk["thresholds"]["approve_roles"]),
                          held.project_rows())
    reader = Reader(graph, as_of, risk, flags["thresholds"]["flags"], held, holdings)
    posts = touched_posts(graph, reader, changes, reads, findings, last.ranking)
    if posts is None:
        return None
    part = Part(reader, posts, kept_holders(changes, reader, posts, last.ranking))
    fresh = rank_posts(gather(graph, as_of, risk, tenure, flags, findings, part=part),
                       weights, risk.get("levels") or {})
    kept = [s for s in last.ranking if s.post.post_id not in posts]
    log.info("post_risk: %d posts rescored, %d kept from the last ranking", len(fresh), len(kept))
    return merge(kept + fresh, risk.get("levels") or {}), Base(last, frozenset(posts))
