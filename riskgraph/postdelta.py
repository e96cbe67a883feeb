"""The post risk ranking after an import, rescoring only the posts the import can have
changed (``ranking_after``) and keeping the other posts' rows of the last stored ranking.

A post's score reads (``riskgraph.postscores.gather``): the post and its organisation;
its current holder and their tenure clock; the projects and payments approved under it
(named on the act, or by the post the approver held that day); the red flags of those
projects; how many projects its organisation approved; petitions about the persons who
held it at the time; confirmed findings naming it or its holders. So a batch can change
the score of (``touched_posts``):

- a post it wrote, or whose organisation it wrote (every post of that organisation);
- every post a person it wrote held in the window, or named on one of their acts or
  payment approvals (a person is "written" when their node, occupancy, act, payment
  approval or petition is: persons reached through a written payment or petition too);
- for a written project (or a written company that bid on or won it): every post of
  its owner organisation (their shared project count), and, for every project of that
  organisation (the red flag of split awards pools an organisation's projects), the
  posts its approvers held or named;
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


def written(changes: Changes) -> dict[str, set[str]]:
    """Ids of the nodes the batches wrote and of both ends of their relationships, by
    label."""
    out: dict[str, set[str]] = defaultdict(set)
    for label, ids in changes.nodes.items():
        out[label] |= ids
    for rows in changes.edges.values():
        for src, src_labels, dst, dst_labels in rows:
            for label in src_labels:
                out[label].add(src)
            for label in dst_labels:
                out[label].add(dst)
    return out


def touched_posts(graph: GraphClient, changes: Changes, tables: Tables, findings: list[dict],
                  previous: list[Scored], params: dict[str, date]) -> set[str] | None:
    """The posts whose score the batches can have changed (see the module docstring);
    None when only a full rescoring is safe."""
    w = written(changes)
    posts, persons, orgs = set(w["Post"]), set(w["Person"]), set(w["Organization"])
    projects = {p["project_id"]: p for p in tables.projects}
    companies = w["Company"]
    hit = set(w["Project"])
    if hit - projects.keys():
        return None
    hit |= {p["project_id"] for p in tables.projects
            if p["winner_id"] in companies or any(b["id"] in companies for b in p["bids"])}
    owners = {projects[i]["owner_id"] for i in hit}
    orgs |= owners
    for p in tables.projects:
        if p["owner_id"] in owners:
            persons.update(a["id"] for a in p["approvers"])
    payments, petitions = w["Payment"], w["Petition"]
    persons.update(r["person_id"] for r in tables.payments if r["payment_id"] in payments)
    persons.update(r["person_id"] for r in tables.petitions if r["petition_id"] in petitions)
    # Posts named on the acts of these persons (approving a project, paying).
    for p in tables.projects:
        posts.update(a["post"] for a in p["approvers"] if a["id"] in persons and a["post"])
    posts.update(r["post_id"] for r in tables.payments if r["person_id"] in persons and r["post_id"])
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
    rows = session.scalars(sa.select(PostScore).where(PostScore.sweep_id == run.sweep_id)).all()
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
    posts = touched_posts(graph, changes, tables, findings, previous, window(risk, as_of))
    if posts is None:
        return None
    fresh = rank_posts(gather(graph, as_of, risk, tenure, flags, findings, only=posts,
                              tables=tables),
                       risk.get("weights") or {}, risk.get("levels") or {})
    kept = [s for s in previous if s.post.post_id not in posts]
    log.info("post_risk: %d posts rescored, %d kept from the last ranking", len(fresh), len(kept))
    return merge(kept + fresh, risk.get("levels") or {})
