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
  wrote): the posts of the approvers of every project in the same pool of split awards
  (owner, winner), and the posts of its owner that approve projects (they share the
  owner's project count). A project, award or owner written itself may have left its
  pool: then the approvers of all its owner's projects count;
- posts a confirmed finding names, directly or through a holder, and posts whose last
  score counted confirmed findings (reviews change without imports).

Every other post keeps its stored row: the ranking equals a full rescoring as long as
the last stored ranking was computed for the same day (``as_of``) and configuration,
which the re-check after an import assumes for every detector (a configuration change
is followed by a whole sweep). When there is no such ranking, or a batch wrote a
project the projects table does not hold (awarded after ``as_of``: it may have left the
table), the caller scores every post.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.graph import GraphClient
from riskgraph.postrisk import Factor, PostFacts, Scored, level_of, rank_posts
from riskgraph.postscores import Tables, gather, window
from riskgraph.reach import Changes
from riskgraph.store import PostScore, Run, session_scope
from riskgraph.store.vocab import RunStatus

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


def touched_posts(graph: GraphClient, changes: Changes, reads: frozenset[str], tables: Tables,
                  findings: list[dict], previous: list[Scored],
                  params: dict[str, date]) -> set[str] | None:
    """The posts whose score the batches can have changed (see the module docstring);
    ``reads``: the labels and types the score reads. None when only a full rescoring is
    safe."""
    w = written(changes, reads)
    posts, persons, orgs = set(w["Post"]), set(w["Person"]), set(w["Organization"])
    projects = {p["project_id"]: p for p in tables.projects}
    # A project written itself, or its award or owner, may have left its pool of split
    # awards (owner, winner): all its owner's projects count. Bids and approvals only
    # change their project and the pool it is in.
    moved = written(changes, reads & {"Project", "AWARDED_TO", "OWNED_BY"})["Project"]
    hit = set(w["Project"])
    if hit - projects.keys():
        return None
    companies = w["Company"]
    hit |= {p["project_id"] for p in tables.projects
            if p["winner_id"] in companies or any(b["id"] in companies for b in p["bids"])}
    owners = {projects[i]["owner_id"] for i in hit}
    pools = {(projects[i]["owner_id"], projects[i]["winner_id"]) for i in hit}
    owners_moved = {projects[i]["owner_id"] for i in moved}
    for p in tables.projects:
        if p["owner_id"] in owners_moved or (p["owner_id"], p["winner_id"]) in pools:
            persons.update(a["id"] for a in p["approvers"])
    payments, petitions = w["Payment"], w["Petition"]
    persons.update(r["person_id"] for r in tables.payments if r["payment_id"] in payments)
    persons.update(r["person_id"] for r in tables.petitions if r["petition_id"] in petitions)
    # Posts named on the acts of these persons (approving a project, paying).
    for p in tables.projects:
        posts.update(a["post"] for a in p["approvers"] if a["id"] in persons and a["post"])
    posts.update(r["post_id"] for r in tables.payments if r["person_id"] in persons and r["post_id"])
    # An owner's project count changes the concentration of its posts that approved
    # projects (a post that starts approving is reached through its approver above).
    counted = {s.post.post_id for s in previous if s.post.org_id in owners
               and any(f.factor == "projects" for f in s.factors)}
    posts |= counted
    # Confirmed findings: the posts they name, and those of the persons they name.
    named = {i for f in findings for i in f["ids"]}
    posts |= named
    posts.update(s.post.post_id for s in previous if any(f.factor == "findings" for f in s.factors))
    if persons | named:
        posts.update(r["post_id"] for r in graph.read(
            "postrisk/holds_of", {"ids": sorted(persons | named), **params}))
    if orgs:
        posts.update(r["post_id"] for r in graph.read("postrisk/posts_in_orgs", {"ids": sorted(orgs)}))
    return posts


def last_ranking(session: Session, as_of: date) -> list[Scored] | None:
    """The ranking stored by the last successful post_risk run that stored one, when it
    scored the same day ``as_of``; None otherwise."""
    # A later run may have had nothing to rescore (the batches wrote nothing the score
    # reads) and stored no ranking: the last stored one still holds.
    run = session.execute(
        sa.select(Run.sweep_id, Run.as_of).where(
            Run.detector == "post_risk", Run.status == RunStatus.SUCCEEDED,
            sa.exists().where(PostScore.sweep_id == Run.sweep_id))
        .order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).first()
    if run is None or run.as_of != as_of:
        return None
    cols = (PostScore.post_id, PostScore.post_name, PostScore.org_id, PostScore.org_name,
            PostScore.holder_id, PostScore.holder_name, PostScore.tenure, PostScore.score,
            PostScore.factors, PostScore.rank, PostScore.level)
    rows = session.execute(sa.select(*cols).where(PostScore.sweep_id == run.sweep_id)).all()
    return [Scored(PostFacts(r.post_id, r.post_name, r.org_id, r.org_name, holder_id=r.holder_id,
                             holder_name=r.holder_name, tenure=dict(r.tenure or {})),
                   r.score, [Factor(**f) for f in r.factors or ()], r.rank, r.level)
            for r in rows]


def merge(scored: list[Scored], levels: dict[str, float]) -> list[Scored]:
    """Rank kept and rescored posts together as ``rank_posts`` ranks them."""
    scored = sorted(scored, key=lambda s: (-s.score, s.post.post_id))
    for i, s in enumerate(scored, 1):
        s.rank = i
        s.level = level_of(s.score, levels)
    return scored


def ranking_after(graph: GraphClient, sessions: sessionmaker[Session], changes: Changes,
                  risk: dict, tenure: dict, flags: dict, as_of: date, findings: list[dict],
                  tables: Tables) -> list[Scored] | None:
    """The whole ranking after the batches of ``changes``: the posts they can have
    changed rescored, the others as last stored. None when a full rescoring is needed."""
    with session_scope(sessions) as session:
        previous = last_ranking(session, as_of)
    if previous is None:
        return None
    reads = frozenset((risk.get("incremental") or {}).get("reads") or ())
    weights = risk.get("weights") or {}
    if not reads or "projects" not in weights:
        return None         # no declared reads, or no way to tell which posts approve
    posts = touched_posts(graph, changes, reads, tables, findings, previous, window(risk, as_of))
    if posts is None:
        return None
    fresh = rank_posts(gather(graph, as_of, risk, tenure, flags, findings, only=posts,
                              tables=tables),
                       risk.get("weights") or {}, risk.get("levels") or {})
    kept = [s for s in previous if s.post.post_id not in posts]
    log.info("post_risk: %d posts rescored, %d kept from the last ranking", len(fresh), len(kept))
    return merge(kept + fresh, risk.get("levels") or {})
