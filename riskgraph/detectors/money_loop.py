"""资金闭环 (closed money loop): a payment that cadre X approved from an organisation to
a company moves on, company to company, and ends with X or with a statutory relative
of X (related on the first and the last payment day), within a number of payments and
days from config. The chain search is ``riskgraph.hidden_links.money_chains`` over a
networkx graph of the payments the Cypher extraction returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import networkx as nx

from riskgraph.detectors._posts import current_posts, post_evidence
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence
from riskgraph.hidden_links import money_chains
from riskgraph.kinship import Family, Relation
from riskgraph.loop_reach import onward, scope_after
from riskgraph.values import native


def payment_graph(seeds: list[dict], flows: list[dict]) -> nx.MultiDiGraph:
    """Parties as nodes (``kind`` org, company or person), payments as keyed edges."""
    G = nx.MultiDiGraph()
    for r in seeds:
        G.add_node(r["payer_id"], kind="org", name=r["payer_name"])
        G.add_node(r["payee_id"], kind="company", name=r["payee_name"])
        G.add_edge(r["payer_id"], r["payee_id"], key=r["pay_id"], date=r["day"])
    for r in flows:
        G.add_node(r["payer_id"], kind="company", name=r["payer_name"])
        if r["payee_id"] not in G:
            G.add_node(r["payee_id"], kind="person" if r["payee_is_person"] else "company",
                       name=r["payee_name"])
        G.add_edge(r["payer_id"], r["payee_id"], key=r["pay_id"], date=r["day"])
    return G



def run(ctx: Context) -> Iterator[Hit]:
    t = ctx.config["thresholds"]
    since = date(ctx.as_of.year - t["lookback_years"], ctx.as_of.month, 1)
    if ctx.scope is None:
        seeds = ctx.graph.read("detectors/money_loop_seeds", {"since": since, "as_of": ctx.as_of})
    else:                        # the payments its approvers approved, read by approver
        seeds = ctx.graph.read_chunked("detectors/money_loop_seeds_of", "ids", sorted(ctx.scope),
                                       {"since": since, "as_of": ctx.as_of})
        seeds.sort(key=lambda r: r["pay_id"])
    seeds = [{**r, "day": native(r["day"])} for r in seeds]
    if not seeds:
        return
    if ctx.scope is None:
        flows = [{**r, "day": native(r["day"])} for r in ctx.graph.read(
            "detectors/money_loop_flows", {"since": since, "until": ctx.as_of})]
    else:                        # only what the chains from its seeds can reach
        flows = onward(ctx.graph, seeds, t["max_hops"], t["max_days"], ctx.as_of)
    G = payment_graph(seeds, flows)
    pays = {r["pay_id"]: r for r in seeds + flows}
    found = []
    for s in seeds:
        for chain in money_chains(G, (s["payer_id"], s["payee_id"], s["pay_id"]),
                                  t["max_hops"], t["max_days"], t["min_gap_days"]):
            found.append((s, chain))
    if not found:
        return
    fam = load_family(ctx.graph, {s["approver_id"] for s, _ in found})
    posts = current_posts(ctx.graph, {s["approver_id"] for s, _ in found}, ctx.as_of)
    for s, chain in found:
        x, end = s["approver_id"], chain[-1][1]
        days = {"first": pays[chain[0][2]]["day"], "last": pays[chain[-1][2]]["day"]}
        rel = None
        if end != x:
            rels = [fam.relation(x, end, days[w]) for w in t["related_on"]]
            if any(r is None for r in rels):
                continue
            rel = rels[-1]
        yield _hit(s, chain, pays, G, fam, rel, posts.get(x, []))


def _hit(seed: dict, chain: list, pays: dict, G: nx.MultiDiGraph, fam: Family,
         rel: Relation | None, posts: list[dict]) -> Hit:
    x, end = seed["approver_id"], chain[-1][1]
    xname = seed["approver_name"]
    ev = Evidence()
    ev.node("Person", x, xname, seed["approver_source"])
    post_evidence(ev, posts)
    ev.node("Organization", seed["payer_id"], seed["payer_name"])
    if seed["project_id"]:
        ev.node("Project", seed["project_id"], seed["project_name"])
    companies, steps = [], []
    for payer, payee, pid in chain:
        p = pays[pid]
        for node in (payer, payee):
            kind = G.nodes[node]["kind"]
            label = {"org": "Organization", "company": "Company", "person": "Person"}[kind]
            ev.node(label, node, G.nodes[node]["name"])
            if kind == "company" and node not in companies:
                companies.append(node)
        ev.node("Payment", pid, f"{p['purpose'] or '支付'}{p['amount']:g}万元", p["pay_source"],
                date=p["day"], amount=p["amount"], purpose=p["purpose"])
        ev.edge("PAID_BY", pid, payer, p["day"], source=p["pay_source"])
        ev.edge("PAID_TO", pid, payee, p["day"], source=p["pay_source"])
        steps.append(f"{p['day'].isoformat()}{G.nodes[payer]['name']}向{G.nodes[payee]['name']}"
                     f"支付{p['purpose'] or '款项'}{p['amount']:g}万元")
    ev.edge("APPROVED_BY", seed["pay_id"], x, seed["day"], source=seed["approved_source"])
    if seed["project_id"]:
        ev.edge("FOR_PROJECT", seed["pay_id"], seed["project_id"])
    if rel is not None:
        relation_evidence(ev, fam, rel)
    end_name = G.nodes[end]["name"]
    who = "本人" if rel is None else f"{rel.name}{end_name}（{rel.category_zh}）"
    explanation = (f"{xname}审批了{seed['payer_name']}向{seed['payee_name']}的拨付，资金经"
                   f"{len(chain)}笔支付、{(pays[chain[-1][2]]['day'] - seed['day']).days}天流回其{who}："
                   f"{'；'.join(steps)}。形成资金闭环，可能存在利益输送。")
    ev.note(explanation)
    entities = [Entity("Person", x, xname)]
    if end != x:
        entities.append(Entity("Person", end, end_name))
    entities += [Entity("Company", c, G.nodes[c]["name"]) for c in companies]
    entities += [Entity("Payment", pid) for _, _, pid in chain]
    return Hit(
        entities=entities, subjects=[x],
        orgs=sorted({seed["payer_id"]} | {p["org_id"] for p in posts}),
        title=f"资金闭环：{xname}审批的款项经{len(chain)}笔支付流入其{'本人' if rel is None else rel.name}账户",
        explanation=explanation, evidence=ev, date=seed["day"],
        facts={"chain": [pid for _, _, pid in chain], "end": end,
               "relation": rel.walk if rel else "self", "hops": len(chain)},
    )


DETECTOR = Detector(
    name="money_loop",
    title="资金闭环",
    family="two_faced",
    rule=("干部审批拨付给企业的资金，经一家或多家企业在规定期限和层级内转付，最终流入本人或"
          "其法定亲属账户的，提示利益输送风险。"),
    citation="《中华人民共和国公务员法》第七十六条；《中国共产党纪律处分条例》（2023年）第一百零二条",
    version="1",
    run=run,
    scoped=True,                  # by approver; see riskgraph.loop_reach
    description="Payment chains from a cadre-approved disbursement back to the cadre or a relative.",
    rescope=scope_after,
)
