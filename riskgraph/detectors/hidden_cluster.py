"""隐性关联群 (hidden cluster): cadres, their statutory relatives and contractors (companies
that won public projects) knit together — relatives holding shares in, directing or
working for several of the companies, the companies holding shares in each other,
sharing an address or phone, paying each other.

The Cypher extraction reads only contractors and their ties; relatives come from
``riskgraph.kinship`` on the as-of day; ``riskgraph.hidden_links.dense_clusters`` finds
the communities (Louvain, seeded from config) and keeps the large, dense ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import networkx as nx

from riskgraph.detectors._posts import BATCH, current_posts, post_evidence
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence
from riskgraph.hidden_links import Cluster, dense_clusters
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
    t = ctx.config["thresholds"]
    since = date(ctx.as_of.year - t["lookback_years"], 1, 1)
    companies: dict[str, dict] = {}
    projects: dict[str, list[dict]] = defaultdict(list)
    for r in ctx.graph.read("detectors/hidden_cluster_contractors", {"since": since, "as_of": ctx.as_of}):
        companies.setdefault(r["company_id"], r)
        projects[r["company_id"]].append(r)
    ids = sorted(companies)
    ties = []
    for i in range(0, len(ids), BATCH):
        ties += ctx.graph.read("detectors/hidden_cluster_ties",
                               {"ids": ids[i:i + BATCH], "as_of": ctx.as_of, "since": since})
    persons = {r["src"] for r in ties if r["src_is_person"]}
    if not persons:
        return
    fam = load_family(ctx.graph, persons)
    posts = current_posts(ctx.graph, fam.gender.keys(), ctx.as_of)
    G, relations = cluster_graph(companies, ties, persons, posts, fam, ctx.as_of)
    for cluster in dense_clusters(G, t["seed"], t["min_counts"], t["min_density"],
                                  t["min_cross_ties"], t["resolution"]):
        cadres = sorted(n for n in cluster.nodes if G.nodes[n]["kind"] == "cadre")
        if ctx.scope is not None and not ctx.scope & set(cadres):
            continue
        yield _hit(G, cluster, cadres, companies, projects, relations, fam, posts)


def cluster_graph(companies: dict, ties: list[dict], persons: set[str], posts: dict,
                  fam, day: date):
    """The undirected graph of cadres, their relatives tied to contractors, and the
    contractors, each edge with its ``ties``; and the relation behind each kin edge."""
    G = nx.Graph()
    relations = {}

    def tie(a: str, b: str, **info) -> None:
        if not G.has_edge(a, b):
            G.add_edge(a, b, ties=[])
        G.edges[a, b]["ties"].append(info)

    cadres = {p for p in posts if posts[p]}
    people = persons & cadres
    for c in sorted(cadres):
        for r, rel in fam.relatives(c, day).items():
            if r in persons:
                people.add(r)
                relations[(c, r)] = rel
                G.add_node(c, kind="cadre", name=fam.names.get(c, c))
                G.add_node(r, kind="cadre" if r in cadres else "relative", name=fam.names.get(r, r))
                tie(c, r, type="KIN", detail=rel.name, src=c, dst=r)
    for p in people:
        G.add_node(p, kind="cadre" if p in cadres else "relative", name=fam.names.get(p, p))
    for r in ties:
        src, dst = r["src"], r["dst"]
        if (src in people) or (not r["src_is_person"] and src in companies and src != dst):
            G.add_node(dst, kind="company", name=companies[dst]["company_name"])
            if src in companies:
                G.add_node(src, kind="company", name=companies[src]["company_name"])
            tie(src, dst, type=r["type"], detail=r["detail"], start=native(r["start"]),
                source=r["source"], src=src, dst=dst)
    for field, kind in (("address", "ADDRESS"), ("phone", "PHONE")):
        groups = defaultdict(list)
        for cid in G:
            if G.nodes[cid]["kind"] == "company" and companies[cid][field]:
                groups[companies[cid][field]].append(cid)
        for value, group in groups.items():
            for i, a in enumerate(sorted(group)):
                for b in sorted(group)[i + 1:]:
                    tie(a, b, type=kind, detail=value)
    return G, relations


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
                lines.append(f"{G.nodes[r]['name']}是{G.nodes[c]['name']}的{t['detail']}")
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
