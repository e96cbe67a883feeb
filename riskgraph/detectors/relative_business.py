"""领导干部亲属经商办企业: the spouse, a child or a child's spouse of a leadership-team
member holds shares in, or runs (legal representative, manager, director), a company
registered in the leader's organisation's jurisdiction and in an industry the
organisation regulates (管辖的地区和业务范围).

The share threshold and the offices that count are configured; a stricter provincial
variant can make any business in the region count for some ranks or organisation kinds
(``scope.any_industry``).
"""

from __future__ import annotations

from collections.abc import Iterator

from riskgraph.detectors._posts import post_title
from riskgraph.detectors.base import Context, Detector, Hit
from riskgraph.detectors.kin_business import Match, leader_businesses, match_hit, tie_words


def any_industry_rule(ctx: Context):
    rule = ctx.config["scope"].get("any_industry") or {}
    ranks, kinds = set(rule.get("ranks") or ()), set(rule.get("org_kinds") or ())
    return lambda row: row["rank"] in ranks or row["org_kind"] in kinds


def run(ctx: Context) -> Iterator[Hit]:
    matches = leader_businesses(
        ctx, heads_only=False, min_percent=ctx.threshold("min_share_percent"),
        roles=list(ctx.threshold("roles")), any_industry=any_industry_rule(ctx))
    industries = ctx.graph.schema.enums["industry"]
    for m in matches:
        yield _hit(m, industries)


def _hit(m: Match, industries: dict[str, str]) -> Hit:
    r, c, rel = m.leader, m.company, m.relation
    a_name = r["person_name"]
    r_name = m.relative_name
    scope = ("其管辖地区" if r["any_industry"] and c["company_industry"] not in r["regulates"]
             else "其管辖地区和业务范围（" + industries.get(c["company_industry"], c["company_industry"]) + "）")
    explanation = (f"{a_name}任{post_title(r['org_name'], r['post_name'])}（领导班子成员），其{rel.name}"
                   f"{r_name}（{rel.category_zh}）在{scope}内的{c['company_name']}"
                   f"（登记地{c['company_region_name']}）{tie_words(m)}，"
                   f"自{m.since.isoformat()}起构成领导干部配偶、子女及其配偶在其管辖的地区和业务范围内"
                   f"经商办企业的情形。")
    return match_hit(
        m, title=f"亲属经商办企业：{a_name}的{rel.name}{r_name}经营{c['company_name']}",
        explanation=explanation,
        facts={"relation": rel.walk, "percent": m.percent, "roles": m.roles,
               "industry": c["company_industry"], "org": r["org_id"], "post": r["post_id"]},
    )


DETECTOR = Detector(
    name="relative_business",
    title="亲属经商办企业",
    family="avoidance",
    rule=("领导班子成员的配偶、子女及其配偶不得在该领导干部管辖的地区和业务范围内"
          "投资入股或担任法定代表人、董事、经理等职务经商办企业。"),
    citation="《中国共产党纪律处分条例》（2023年）第一百零七条",
    version="1",
    run=run,
    scoped=True,
    description="Leaders' spouses, children and children's spouses owning or running "
                "companies in the leader's region and regulated industries.",
)
