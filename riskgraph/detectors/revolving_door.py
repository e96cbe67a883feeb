"""离职从业 (revolving door): a former cadre who, within the configured years after leaving
a post in an organisation that regulates industries, takes a job or a company office in
a company registered in that organisation's region and in an industry it regulates
(原任职务管辖的地区和业务范围). The window and the offices that count are configured
(regional rules: e.g. three years).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from riskgraph.detectors._posts import post_title
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.ties import ROLE_ZH
from riskgraph.values import native


def run(ctx: Context) -> Iterator[Hit]:
    params = {"as_of": ctx.as_of, "years": int(ctx.threshold("years")),
              "roles": list(ctx.threshold("roles"))}
    rows = ctx.read_scope_first("detectors/revolving_door", {**params, "ids": None})
    industries = ctx.graph.schema.enums["industry"]
    for _, group in groupby(sorted(rows, key=_pair), key=_pair):
        yield _hit(list(group), int(ctx.threshold("years")), industries)


def _pair(row: dict) -> tuple[str, str]:
    return row["person_id"], row["company_id"]


def _tie_zh(row: dict) -> str:
    if row["tie"] == "EMPLOYED_BY":
        return "受聘任职" + (f"（{row['position']}）" if row["position"] else "")
    return "担任" + ROLE_ZH.get(row["role"], row["role"])


def _hit(rows: list[dict], years: int, industries: dict[str, str]) -> Hit:
    # The tie that began first, measured from the latest post it follows.
    first = min(rows, key=lambda r: (native(r["tie_start"]), -native(r["left_on"]).toordinal()))
    pid, cid = first["person_id"], first["company_id"]
    ev = Evidence()
    ev.node("Person", pid, first["person_name"], first["person_source"])
    ev.node("Company", cid, first["company_name"], first["company_source"],
            industry=first["company_industry"])
    ev.node("Region", first["company_region"], first["company_region_name"])
    ev.edge("REGISTERED_IN", cid, first["company_region"])
    for r in rows:
        ev.node("Post", r["post_id"], r["post_name"], r["post_source"])
        ev.node("Organization", r["org_id"], r["org_name"], kind=r["org_kind"],
                regulates=list(r["regulates"] or []))
        ev.node("Region", r["region_id"], r["region_name"])
        ev.edge("HOLDS", pid, r["post_id"], r["holds_start"], r["left_on"], r["holds_source"])
        ev.edge("IN_ORG", r["post_id"], r["org_id"])
        ev.edge("JURISDICTION", r["org_id"], r["region_id"])
        if r["company_region"] != r["region_id"]:
            ev.edge("PART_OF", r["company_region"], r["region_id"])
        extra = {"role": r["role"]} if r["tie"] == "DIRECTOR_OF" else {"position": r["position"]}
        ev.edge(r["tie"], pid, cid, r["tie_start"], r["tie_end"], r["tie_source"], **extra)
    left, start = native(first["left_on"]), native(first["tie_start"])
    gap = (start - left).days / 365.25
    industry = industries.get(first["company_industry"], first["company_industry"])
    explanation = (f"{first['person_name']}于{left.isoformat()}离任"
                   f"{post_title(first['org_name'], first['post_name'])}，{gap:.1f}年后（{start.isoformat()}）在原管辖地区"
                   f"（{first['company_region_name']}）和监管行业（{industry}）的"
                   f"{first['company_name']}{_tie_zh(first)}，未满离职后{years}年的从业限制期。")
    ev.note(explanation)
    return Hit(
        entities=[Entity("Person", pid, first["person_name"]),
                  Entity("Company", cid, first["company_name"])],
        subjects=[pid], orgs=sorted({r["org_id"] for r in rows}),
        title=f"离职从业：{first['person_name']}离任{gap:.1f}年后到{first['company_name']}任职",
        explanation=explanation, evidence=ev, date=start,
        facts={"left_on": left.isoformat(), "tie": first["tie"], "role": first["role"],
               "days_after": (start - left).days, "org": first["org_id"]},
    )


DETECTOR = Detector(
    name="revolving_door",
    title="离职从业",
    family="avoidance",
    rule=("领导干部和公务员离职后在规定年限内，不得到原任职务管辖的地区和业务范围内的企业"
          "任职、担任董事或法定代表人等职务，或受聘从事与原工作业务直接相关的营利性活动。"),
    citation="《中华人民共和国公务员法》第一百零七条（从业限制年限依地方规定）",
    version="1",
    run=run,
    scoped=True,
    description="Former cadres taking jobs in companies they regulated, within the window.",
)
