"""隐性关联群 (hidden cluster): cadres, their statutory relatives and contractors (companies
that won public projects) knit together — relatives holding shares in, directing or
working for several of the companies, the companies holding shares in each other,
sharing an address or phone, paying each other.

The Cypher extraction reads only contractors and their ties; relatives come from
``riskgraph.kinship`` on the as-of day; ``riskgraph.hidden_links.dense_clusters`` finds
the communities (Louvain, seeded from config) and keeps the large, dense ones.
A long-running process keeps the inputs and each component's hits between runs
(``riskgraph.cluster_state``): the re-check after an import re-reads what the batches
touched and re-runs only the components that changed.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from riskgraph import cluster_state
from riskgraph.cluster_inputs import (
    Inputs,
    by_company,
    clusters_of,
    contractors,
    kin_pairs,
    read_ties,
    since_of,
)
from riskgraph.detectors._posts import current_posts, post_evidence
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence
from riskgraph.hidden_links import Cluster
from riskgraph.ties import ROLE_ZH
from riskgraph.values import native


def tie_text(G: nx.Graph, a: str, b: str, t: dict) -> str:
    """One tie in words, e.g. 张三持有某公司股份."""
    name = {n: G.nodes[n]["name"] for n in (a, b)}
    if t["type"] in ("ADDRESS", "PHONE"):
        return f"{name[a]}与{name[b]}共用{'住所' if t['type'] == 'ADDRESS' else '电话'}"
    src, dst = G.nodes[t["src"]]["name"], G.nodes[t["dst"]]["name"]
    if t["type"] == "OWNS":
        return f"{src}持有{dst}股份"
    if t["type"] == "DIRECTOR_OF":
        return f"{src}任{dst}{ROLE_ZH.get(t['detail'], t['detail'] or '职务')}"
    if t["type"] == "EMPLOYED_BY":
        return f"{src}受雇于{dst}"
    return f"{src}向{dst}付款"


def run(ctx: Context) -> Iterator[Hit]:
    if ctx.scope is None and ctx.sessions is not None:
        # A long-running process keeps the contractor graph between runs: the re-check
        # after an import catches it up and re-runs only the components it touched.
        yield from cluster_state.run_held(ctx, whole_run, cluster_hit)
        return
    for cluster, hit in whole_run(ctx)[1]:
        if ctx.scope is None or ctx.scope & set(hit.subjects):
            yield hit


def whole_run(ctx: Context) -> tuple[Inputs, list[tuple[Cluster, Hit]], nx.Graph]:
    """Everything read afresh: the inputs, each cluster with its hit, and the graph."""
    since = since_of(ctx)
    companies, projects = contractors(ctx.graph.read(
        "detectors/hidden_cluster_contractors", {"since": since, "as_of": ctx.as_of}))
    inputs = Inputs(companies, projects, by_company(read_ties(ctx, companies)), {}, {})
    persons = inputs.persons
    if not persons:
        return inputs, [], nx.Graph()
    fam = load_family(ctx.graph, persons)
    posts = current_posts(ctx.graph, fam.gender.keys(), ctx.as_of)
    inputs.cadre = {p: bool(posts.get(p)) for p in fam.gender}
    cadres = {p for p in posts if posts[p]}
    inputs.kin = kin_pairs(fam, cadres, persons, ctx.as_of)
    G = inputs.graph(fam.names)
    found = [(cluster, cluster_hit(G, cluster, inputs, fam, posts))
             for cluster in clusters_of(G, ctx.config["thresholds"])]
    return inputs, found, G


def cluster_hit(G: nx.Graph, cluster: Cluster, inputs: Inputs, fam, posts) -> Hit:
    cadres = sorted(n for n in cluster.nodes if G.nodes[n]["kind"] == "cadre")
    return _hit(G, cluster, cadres, inputs.companies, inputs.projects, inputs.kin, fam, posts)


def _hit(G, cluster: Cluster, cadres, companies, projects, relations, fam, posts) -> Hit:
    ev = Evidence()
    kinds = {n: G.nodes[n]["kind"] for n in cluster.nodes}
    firms = sorted(n for n, k in kinds.items() if k == "company")
    rels = sorted(n for n, k in kinds.items() if k == "relative")
    for c in cadres:
        ev.node("Person", c, G.nodes[c]["name"], fam.person_sources.get(c))
        post_evidence(ev, posts.get(c, []))
    won = []
    for k in firms:
        info = companies[k]
        ev.node("Company", k, info["company_name"], info["company_source"],
                address=info["address"], phone=info["phone"])
        for p in projects[k]:
            ev.node("Project", p["project_id"], p["project_name"], p["project_source"])
            ev.edge("AWARDED_TO", p["project_id"], k, native(p["award_date"]), source=p["project_source"])
            won.append(p["project_id"])
    lines = []
    # Each tie with its ends in id order, so the evidence reads the same in every process
    # (a subgraph's edge direction follows set iteration order).
    ties = ((min(u, v), max(u, v), d) for u, v, d in G.subgraph(cluster.nodes).edges(data=True))
    for a, b, data in sorted(ties, key=lambda e: e[:2]):
        for t in data["ties"]:
            if t["type"] == "KIN":
                c, r = (a, b) if (a, b) in relations else (b, a)
                relation_evidence(ev, fam, relations[(c, r)])
                lines.append(f"{G.nodes[r]['name']}是{G.nodes[c]['name']}的{relations[(c, r)].name}")
                continue
            if t["type"] in ("ADDRESS", "PHONE"):
                ev.edge("SHARES_CONTACT", a, b, kind=t["type"].lower(), value=t["detail"])
            elif t["type"] == "PAID":
                ev.node("Payment", t["detail"], t["detail"], t["source"], date=t["start"])
                ev.edge("PAID_BY", t["detail"], t["src"], t["start"], source=t["source"])
                ev.edge("PAID_TO", t["detail"], t["dst"], t["start"], source=t["source"])
            else:
                ev.edge(t["type"], t["src"], t["dst"], t["start"], source=t["source"],
                        detail=t["detail"])
            lines.append(tie_text(G, a, b, t))
    names = "、".join(G.nodes[c]["name"] for c in cadres)
    explanation = (f"干部{names}的亲属{'、'.join(G.nodes[r]['name'] for r in rels)}与"
                   f"{'、'.join(G.nodes[k]['name'] for k in firms)}等{len(firms)}家承接政府项目"
                   f"（{len(won)}个）的企业形成紧密关联群（密度{cluster.density:.2f}，交叉关联"
                   f"{cluster.cross_ties}处）：{'；'.join(dict.fromkeys(lines))}。")
    ev.note(explanation)
    entities = [Entity("Person", n, G.nodes[n]["name"]) for n in cadres + rels]
    entities += [Entity("Company", k, G.nodes[k]["name"]) for k in firms]
    entities += [Entity("Project", p) for p in sorted(set(won))]
    return Hit(
        entities=entities, subjects=cadres,
        orgs=sorted({p["org_id"] for c in cadres for p in posts.get(c, [])}),
        title=f"隐性关联群：{names}的亲属与{len(firms)}家中标企业交叉关联",
        explanation=explanation, evidence=ev, date=None,
        facts={"counts": cluster.counts, "density": round(cluster.density, 3),
               "cross_ties": cluster.cross_ties, "projects": sorted(set(won))},
    )


DETECTOR = Detector(
    name="hidden_cluster",
    title="隐性关联群",
    family="two_faced",
    rule=("多名干部的法定亲属与多家承接政府项目的企业之间交叉持股、交叉任职、共用住所电话或"
          "相互资金往来，形成紧密关联群的，提示隐性利益关联风险。"),
    citation="《中华人民共和国公务员法》第七十六条；《中国共产党纪律处分条例》（2023年）第一百零三条",
    version="1",
    run=run,
    scoped=False,                 # whole-graph: see config incremental
    description="Louvain communities of cadres, relatives and contractors that are large and dense.",
)
