"""任职回避 (post avoidance): statutory relatives in one organisation where one directly
supervises the other (incl. a leadership-team member over the heads of the units one
level below), both answer to the same leader or sit in the same leadership team, or one
leads the organisation while the other works there in organisation/personnel,
discipline, audit or finance; and the head of an organisation that regulates industries
whose spouse, child or child's spouse owns a large share of, or represents, a company
it regulates in its region (暂行规定 Art. 4).

Pairs are found relatives first: the current post holders' statutory relatives among
the current post holders (``riskgraph.kin_screen`` over the kinship skeleton), then the posts of those few pairs
are checked in Cypher, and their exact relation is read with ``riskgraph.family``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from riskgraph.detectors._posts import post_title
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.detectors.kin_business import (Match, leader_businesses, match_hit,
                                              relation_start, tie_words)
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence
from riskgraph.kin_screen import related_pairs, related_pairs_of
from riskgraph.kin_skeleton import skeleton
from riskgraph.kinship import Family
from riskgraph.values import native

GROUND_ZH = {"direct": "直接上下级", "level_below": "上下相邻两级正副职",
             "same_leader": "隶属同一领导", "team": "同一领导班子", "sensitive": "敏感岗位"}


def grounds(row: dict, sensitive: set[str], level_below: bool) -> list[tuple[str, str | None]]:
    """The post-avoidance grounds two posts of one organisation meet, each with the
    person who is the superior or leader (None when neither is).

    >>> row = {"a": "A", "b": "B", "org_id": "O", "a_post": "P1", "b_post": "P2",
    ...        "a_leader": True, "b_leader": False, "a_head": True, "b_head": False,
    ...        "a_category": "leadership", "b_category": "finance", "a_sup": None,
    ...        "b_sup": "P9", "b_sup_leader": True, "b_sup_org": "O", "a_sup_org": None}
    >>> grounds(row, {"finance"}, True)
    [('level_below', 'A'), ('sensitive', 'A')]
    """
    out: list[tuple[str, str | None]] = []
    for x, y in (("a", "b"), ("b", "a")):
        if row[f"{y}_sup"] == row[f"{x}_post"]:
            out.append(("direct", row[x]))
        elif (level_below and row[f"{x}_leader"] and not row[f"{y}_leader"]
              and row[f"{y}_sup_leader"] and row[f"{y}_sup_org"] == row["org_id"]):
            out.append(("level_below", row[x]))
    if row["a_leader"] and row["b_leader"]:
        head = row["a"] if row["a_head"] else row["b"] if row["b_head"] else None
        out.append(("team", head))
    elif row["a_sup"] and row["a_sup"] == row["b_sup"]:
        out.append(("same_leader", None))
    for x, y in (("a", "b"), ("b", "a")):
        if row[f"{x}_leader"] and not row[f"{y}_leader"] and row[f"{y}_category"] in sensitive:
            out.append(("sensitive", row[x]))
    return out


def run(ctx: Context) -> Iterator[Hit]:
    yield from kin_in_one_org(ctx)
    matches = leader_businesses(ctx, heads_only=True,
                                min_percent=ctx.threshold("large_share_percent"),
                                roles=list(ctx.threshold("regulated_roles")),
                                any_industry=lambda row: False)
    industries = ctx.graph.schema.enums["industry"]
    for m in matches:
        yield _business_hit(m, industries)


def kin_in_one_org(ctx: Context) -> Iterator[Hit]:
    if ctx.scope is None:
        holders = {i for r in ctx.graph.read("detectors/current_cadres", {"as_of": ctx.as_of})
                   for i in r["ids"]}
        pairs = related_pairs(ctx.graph, holders, ctx.as_of)
    else:       # the cached kinship skeleton, caught up with the imports since
        kin = skeleton(ctx.graph, ctx.sessions, ctx.shared)
        pairs = related_pairs_of(kin, kin.holders(ctx.as_of), ctx.as_of, set(ctx.scope))
    if not pairs:
        return
    rows = ctx.graph.read("detectors/post_avoidance_pairs", {
        "pairs": [{"a": a, "b": b} for a, b in sorted(pairs)], "as_of": ctx.as_of})
    sensitive = set(ctx.config["scope"].get("sensitive_categories") or ())
    level_below = bool(ctx.config["scope"].get("level_below", True))
    groups: dict[tuple[str, str, str], list[tuple[dict, list]]] = defaultdict(list)
    for row in rows:
        found = grounds(row, sensitive, level_below)
        if found:
            groups[(row["a"], row["b"], row["org_id"])].append((row, found))
    if not groups:
        return
    fam = load_family(ctx.graph, {p for a, b, _ in groups for p in (a, b)})
    categories = ctx.graph.schema.enums["post_category"]
    for _key, found in sorted(groups.items()):
        hit = _pair_hit(found, fam, ctx.as_of, categories)
        if hit is not None:
            yield hit


def _pair_hit(found: list[tuple[dict, list]], fam: Family, day, categories: dict) -> Hit | None:
    first = found[0][0]
    leaders = [who for _, gs in found for _, who in gs if who]
    boss = leaders[0] if leaders else first["a"]
    other = first["b"] if boss == first["a"] else first["a"]
    # Named from the superior's side when that direction is statutory.
    rel = fam.relation(boss, other, day) or fam.relation(other, boss, day)
    if rel is None:
        return None
    names = {first["a"]: first["a_name"], first["b"]: first["b_name"]}
    posts = {}
    ev = Evidence()
    relation_evidence(ev, fam, rel)
    ev.node("Organization", first["org_id"], first["org_name"], first["org_source"])
    days, clauses, kinds = [], [], []
    for row, gs in found:
        for x in ("a", "b"):
            posts.setdefault(row[x], row[f"{x}_post_name"])
            ev.node("Post", row[f"{x}_post"], row[f"{x}_post_name"], row[f"{x}_post_source"],
                    category=row[f"{x}_category"], is_head=row[f"{x}_head"],
                    in_leadership=row[f"{x}_leader"])
            ev.edge("HOLDS", row[x], row[f"{x}_post"], row[f"{x}_start"], source=row[f"{x}_holds_source"])
            ev.edge("IN_ORG", row[f"{x}_post"], row["org_id"])
            if row[f"{x}_sup"]:
                ev.node("Post", row[f"{x}_sup"], row[f"{x}_sup_name"])
                ev.edge("REPORTS_TO", row[f"{x}_post"], row[f"{x}_sup"], source=row[f"{x}_sup_source"])
        days.append(max(d for d in (native(row["a_start"]), native(row["b_start"]),
                                    relation_start(rel)) if d))
        for kind, who in gs:
            kinds.append(kind)
            clauses.append(_clause(kind, who, row, names, categories))
    since = min(days)
    org = first["org_name"]
    kin = (f"{names[rel.source]}（{posts[rel.source]}）与其{rel.name}"
           f"{names[rel.target]}（{posts[rel.target]}）")
    explanation = (f"{kin}为{rel.category_zh}，自{since.isoformat()}起同在{org}任职："
                   f"{'；'.join(dict.fromkeys(clauses))}，属于应当实行任职回避的情形。")
    ev.note(explanation)
    return Hit(
        entities=[Entity("Person", boss, names[boss]), Entity("Person", other, names[other]),
                  Entity("Organization", first["org_id"], org)],
        subjects=[boss, other], orgs=[first["org_id"]],
        title=f"任职回避：{names[rel.source]}与其{rel.name}{names[rel.target]}同在{org}"
              f"（{'、'.join(GROUND_ZH[k] for k in dict.fromkeys(kinds))}）",
        explanation=explanation, evidence=ev, date=since,
        facts={"variant": "kin_in_org", "grounds": sorted(set(kinds)), "relation": rel.walk,
               "category": rel.category},
    )


def _clause(kind: str, who: str | None, row: dict, names: dict, categories: dict) -> str:
    x = "a" if who == row["a"] else "b"
    y = "b" if x == "a" else "a"
    if kind == "direct":
        return f"{names[row[x]]}是{names[row[y]]}的直接上级"
    if kind == "level_below":
        return (f"{names[row[x]]}为领导班子成员，{names[row[y]]}任下一级正副职"
                f"（直接上级为{row[f'{y}_sup_name']}），属上下相邻两级正副职的直接上下级领导关系")
    if kind == "team":
        return "二人同为该单位领导班子成员"
    if kind == "same_leader":
        return f"二人直接隶属于同一领导岗位（{row['a_sup_name']}）"
    cat = categories.get(row[f"{y}_category"], row[f"{y}_category"])
    return f"{names[row[x]]}在该单位担任领导职务，{names[row[y]]}在该单位从事{cat}工作"


def _business_hit(m: Match, industries: dict[str, str]) -> Hit:
    r, c, rel = m.leader, m.company, m.relation
    a_name = r["person_name"]
    r_name = m.relative_name
    explanation = (f"{a_name}任{post_title(r['org_name'], r['post_name'])}（正职），该单位监管的行业包括"
                   f"{industries.get(c['company_industry'], c['company_industry'])}；其{rel.name}{r_name}（{rel.category_zh}）在该单位管辖区域内的"
                   f"{c['company_name']}{tie_words(m)}，自{m.since.isoformat()}起属于"
                   f"领导干部不得担任其配偶、子女及其配偶经营企业的主管部门正职的任职回避情形。")
    return match_hit(
        m, title=f"任职回避：{a_name}主管其{rel.name}{r_name}经营的{c['company_name']}",
        explanation=explanation,
        facts={"variant": "regulated_business", "relation": rel.walk, "percent": m.percent,
               "roles": m.roles, "industry": c["company_industry"]},
    )


DETECTOR = Detector(
    name="post_avoidance",
    title="任职回避",
    family="avoidance",
    rule=("有夫妻关系、直系血亲关系、三代以内旁系血亲关系以及近姻亲关系的，不得在同一单位担任"
          "双方直接隶属于同一领导人员的职务或者有直接上下级领导关系的职务（包括上下相邻两级"
          "正副职），不得在同一领导班子任职，也不得在其中一方担任领导职务的单位从事组织人事、"
          "纪检监察、审计、财务工作；领导干部不得担任其配偶、子女及其配偶独资经营、合伙经营"
          "或者较大份额参股经营的企业的主管部门正职。"),
    citation="《中华人民共和国公务员法》第七十四条；《党政领导干部任职回避暂行规定》第三条、第四条",
    version="1",
    run=run,
    scoped=True,
    description="Statutory relatives in supervising/team/sensitive posts of one organisation; "
                "heads regulating a close relative's company.",
)
