"""Fixture-graph helpers shared by the two-faced detector tests: one county, one
organisation, cadres in posts, companies."""

from __future__ import annotations

from graphkit import Kit


def county(kit: Kit) -> None:
    kit.add("Region", id="R1", name="甲县", level="county")
    kit.add("Organization", id="O1", name="甲县财政局", kind="finance", level="county", region="R1")
    kit.add("Organization", id="O2", name="甲县住建局", kind="housing", level="county", region="R1")


def cadre(kit: Kit, pid: str, org: str = "O1", rank: str = "vice_division",
          start: str = "2015-01-01", gender: str = "M", birth: str = "1970-01-01") -> None:
    kit.add("Cadre", id=pid, name=pid, gender=gender, birth_date=birth, managed_by=org,
            rank=rank, rank_since=start)
    kit.add("Post", id=f"P_{pid}", name="副局长", org=org, rank=rank, category="leadership",
            is_head=False, in_leadership=True)
    kit.add("Occupancy", person=pid, post=f"P_{pid}", start_date=start)


def person(kit: Kit, pid: str, gender: str = "F", birth: str = "1972-01-01", **extra) -> None:
    kit.add("Person", id=pid, name=pid, gender=gender, birth_date=birth, **extra)


def company(kit: Kit, cid: str, industry: str = "L", **extra) -> None:
    kit.add("Company", id=cid, name=f"{cid}公司", industry=industry, region="R1", **extra)
