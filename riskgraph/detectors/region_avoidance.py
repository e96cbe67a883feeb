"""地域回避 (regional avoidance): heads of the listed county- and city-level organisations
(and township principals) serving in the place where they grew up.

The levels, the organisation kinds of each and how strictly each applies (county: a
violation; city: "generally not", a warning) come from config/detectors.
"""

from __future__ import annotations

from collections.abc import Iterator

from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.schema import default_schema
from riskgraph.store.vocab import Severity
from riskgraph.values import native



def matches(rule: str, row: dict) -> bool:
    """Whether the home region meets the level's ``match`` rule.

    >>> row = {"home_id": "360102", "home_parent": "360100", "region_id": "360100",
    ...        "region_parent": "360000"}
    >>> matches("same_region", row), matches("within_region", row)
    (False, True)
    """
    home, region = row["home_id"], row["region_id"]
    if rule == "same_region":
        return home == region
    if rule == "within_region":
        return home == region or row["home_parent"] == region
    if rule == "around_region":
        return home == region or home == row["region_parent"]
    raise ValueError(f"unknown match rule {rule!r}")


def run(ctx: Context) -> Iterator[Hit]:
    levels = ctx.config["scope"]["levels"]
    for level, rule in levels.items():
        params = {"kinds": rule["kinds"], "levels": [level], "as_of": ctx.as_of}
        for row in ctx.read_scope_first("detectors/region_avoidance", params):
            if not ctx.in_scope(row["person_id"]) or not matches(rule["match"], row):
                continue
            yield _hit(row, level, rule)


def _hit(row: dict, level: str, rule: dict) -> Hit:
    start = native(row["start_date"])
    ev = Evidence()
    ev.node("Person", row["person_id"], row["person_name"], row["person_source"])
    ev.node("Post", row["post_id"], row["post_name"])
    ev.node("Organization", row["org_id"], row["org_name"], kind=row["org_kind"], level=level)
    ev.node("Region", row["region_id"], row["region_name"])
    ev.node("Region", row["home_id"], row["home_name"])
    ev.edge("HOLDS", row["person_id"], row["post_id"], start, source=row["holds_source"])
    ev.edge("IN_ORG", row["post_id"], row["org_id"])
    ev.edge("JURISDICTION", row["org_id"], row["region_id"])
    ev.edge("GREW_UP_IN", row["person_id"], row["home_id"], source=row["grew_source"])
    if row["home_id"] != row["region_id"]:
        ev.edge("PART_OF", row["home_id"], row["region_id"])
    name, home = row["person_name"], row["home_name"]
    # Post names often carry the organisation's name already (昌桥县人民检察院检察长).
    office = row["post_name"] if row["post_name"].startswith(row["org_name"]) \
        else f"{row['org_name']}{row['post_name']}"
    where = home if row["home_id"] == row["region_id"] else f"{row['region_name']}所辖{home}"
    explanation = (f"{name}自{start.isoformat()}起任{office}"
                   f"（{default_schema().enums['admin_level'].get(level, level)}正职），其成长地为{where}，"
                   f"{rule['wording']}“不得在本人成长地担任该职务”的地域回避规定。")
    ev.note(explanation)
    return Hit(
        entities=[Entity("Person", row["person_id"], name), Entity("Post", row["post_id"], row["post_name"])],
        subjects=[row["person_id"]], orgs=[row["org_id"]],
        title=f"地域回避：{name}在成长地任{office}",
        explanation=explanation, evidence=ev, severity=Severity(rule["severity"]), date=start,
        facts={"level": level, "home": row["home_id"], "region": row["region_id"]},
    )


DETECTOR = Detector(
    name="region_avoidance",
    title="地域回避",
    family="avoidance",
    rule=("县级党委、政府、纪委监委、组织部门、法院、检察院、公安部门正职不得在本人成长地任职；"
          "市级上述正职一般不得在本人成长地任职；乡镇党政正职实行地域回避。"),
    citation="《党政领导干部任职回避暂行规定》第五条；《公务员回避规定》（2020年）第十一条",
    version="1",
    run=run,
    scoped=True,
    description="Heads of listed organisations serving where they grew up.",
)
