"""Real estate, trips, yearly declarations (consistent with the facts unless a planted
case says otherwise), evaluations, petitions and oversight findings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from riskgraph.generate import kin, names
from riskgraph.generate.config import RANK_ORDER
from riskgraph.generate.model import Block, Person
from riskgraph.tenure import add_years
from riskgraph.ties import ROLE_ZH

D = dt.timedelta
PETITION_TEXT = {
    "corruption": "反映其在工程项目中收受好处费", "abuse_of_power": "反映其违规干预项目审批",
    "work_style": "反映其违规接受宴请", "personnel": "反映其在干部选拔任用中违规操作",
    "family_business": "反映其亲属违规经商办企业", "other": "反映其工作作风问题",
}
FINDING_TEXT = ("项目资金未按规定用途使用", "工程变更未履行审批程序", "公务接待超标准",
                "违规发放津贴补贴", "政府采购程序不规范", "专项资金拨付滞后")


def add_estate(b: Block, owner: Person, registered: dt.date, area: float | None = None) -> dict:
    row = {"id": b.next_id("RE", 7), "owner": owner.id, "registered": registered,
           "address": names.home_address(b.rng, b.region.name),
           "area": area or round(b.rng.uniform(55, 180), 2)}
    b.rows["real_estate"].append(row)
    return row


def estates_and_trips(b: Block) -> None:
    rng = b.rng
    first = b.as_of - D(days=365 * b.cfg.years)
    for p in b.cadres:
        lo = max(add_years(p.birth, 24), dt.date(2000, 1, 1))
        for _ in range(rng.choices((0, 1, 2), (0.15, 0.6, 0.25))[0]):
            add_estate(b, p, b.rand_date(lo, b.as_of - D(days=30)))
        s = kin.spouse_at(b, p, b.as_of)
        if s and s.tag is None and rng.random() < 0.3:
            add_estate(b, s, b.rand_date(max(lo, add_years(s.birth, 22)), b.as_of - D(days=30)))
        if p.cadre.seat is not None and rng.random() < b.cfg.background["trips_share"]:
            for _ in range(rng.randint(1, 3)):
                add_trip(b, p, b.rand_date(first, b.as_of - D(days=20)))


def add_trip(b: Block, p: Person, day: dt.date) -> dict:
    dest = b.rng.choice((*names.COUNTRIES, *names.HMT))
    row = {"id": b.next_id("TR", 7), "person": p.id, "departed": day,
           "returned": min(b.as_of, day + D(days=b.rng.randint(3, 15))), "destination": dest}
    b.rows["trips"].append(row)
    return row


def _index(rows, key):
    out = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


def _active(row, day, start="start_date", end="end_date") -> bool:
    return row[start] <= day and (row.get(end) is None or row[end] >= day)


def declarations(b: Block) -> None:
    min_rank = RANK_ORDER[b.cfg.rules["declaration"]["min_rank"]]
    own = _index(b.rows["ownerships"], "owner")
    dirs = _index(b.rows["directorships"], "person")
    jobs = _index(b.rows["employments"], "person")
    estates = _index(b.rows["real_estate"], "owner")
    trips = _index(b.rows["trips"], "person")
    for p in b.cadres:
        info = p.cadre
        if info.seat is None or RANK_ORDER[info.rank] < min_rank:
            continue
        tamper = b.tamper.get(p.id, [])
        for year in b.cfg.decl_years:
            end = dt.date(year, 12, 31)
            if info.rank_since > end:
                continue
            did = f"DEC-{p.id}-{year}"
            b.rows["declarations"].append({"id": did, "cadre": p.id, "year": year,
                                           "submitted": dt.date(year + 1, 1, b.rng.randint(5, 31))})
            items = _items(b, p, end, own, dirs, jobs, estates, trips)
            for t in tamper:
                items = t(items, year)
            for n, item in enumerate(items, start=1):
                b.rows["declaration_items"].append({**item, "id": f"{did}-{n:02d}", "declaration": did})


def _items(b, p, end, own, dirs, jobs, estates, trips) -> list[dict]:
    items = []
    spouse = kin.spouse_at(b, p, end)
    if spouse:
        items.append({"category": "marriage", "subject": spouse.id, "description": "已婚"})
    elif any(r["end_date"] and r["end_date"] <= end for r in b.spouse_rows.get(p.id, ())):
        items.append({"category": "marriage", "description": "离异"})
    else:
        items.append({"category": "marriage", "description": "未婚"})
    family = kin.close_family(b, p, end)
    for _, rel in family:
        for job in jobs.get(rel.id, ()):
            if _active(job, end):
                items.append({"category": "family_employment", "subject": rel.id,
                              "company": job["employer"], "description": job["position"]})
        if rel.abroad_since and rel.abroad_since <= end:
            items.append({"category": "family_abroad", "subject": rel.id,
                          "country": rel.abroad_country, "description": "移居国（境）外"})
    for who in [p] + [rel for _, rel in family]:
        held: dict[str, dict] = {}
        for row in own.get(who.id, ()):
            if _active(row, end):
                item = held.setdefault(row["company"], {
                    "category": "business", "subject": who.id, "company": row["company"],
                    "amount": 0.0, "description": ""})
                item["amount"] = round(item["amount"] + row["amount"], 2)
                item["description"] = f"持股{row['percent']:g}%"
        for row in dirs.get(who.id, ()):
            if _active(row, end):
                item = held.setdefault(row["company"], {
                    "category": "business", "subject": who.id, "company": row["company"],
                    "amount": None, "description": ""})
                item["description"] = "；".join(x for x in (item["description"],
                                                          f"担任{ROLE_ZH[row['role']]}") if x)
        items.extend(held.values())
    for who in [p] + ([spouse] if spouse else []):
        for row in estates.get(who.id, ()):
            if row["registered"] <= end:
                items.append({"category": "real_estate", "subject": who.id, "address": row["address"],
                              "area": row["area"], "_estate": row["id"], "description": "住房"})
    mine = trips.get(p.id, ())
    if mine:
        items.append({"category": "passport", "subject": p.id, "description": "持有因私护照"})
    for row in mine:
        if row["departed"].year == end.year:
            items.append({"category": "trip_abroad", "subject": p.id, "country": row["destination"],
                          "description": f"{row['departed']:%Y年%m月%d日}至{row['returned']:%m月%d日}"})
    items.append({"category": "salary", "subject": p.id, "description": "工资及各类奖金津贴补贴",
                  "amount": round(b.rng.uniform(15, 35), 1)})
    return items


def evaluations(b: Block) -> None:
    rng, bg = b.rng, b.cfg.background
    for p in b.cadres:
        info = p.cadre
        if info.seat is None:
            continue
        flagged = b.wvd.get(p.id)
        for year in b.cfg.decl_years:
            if info.work_start > dt.date(year, 1, 1):
                continue
            grade = "excellent" if flagged or rng.random() < bg["excellent_share"] else \
                rng.choices(("competent", "basically_competent", "incompetent"), (0.975, 0.02, 0.005))[0]
            b.rows["evaluations"].append({"id": f"EVA-{p.id}-{year}", "cadre": p.id, "year": year,
                                          "kind": "annual", "grade": grade})
            if info.seat.in_leadership:
                score = rng.uniform(92, 97.5) if flagged else min(98.0, max(65.0, rng.gauss(85, 3.5)))
                b.rows["evaluations"].append({"id": f"EVD-{p.id}-{year}", "cadre": p.id,
                                              "year": year, "kind": "democratic",
                                              "score": round(score, 1)})


def add_petition(b: Block, about: Person, day: dt.date, outcome: str, category: str | None = None):
    category = category or b.rng.choice(list(PETITION_TEXT))
    row = {"id": b.next_id("XF", 6), "about": about.id, "received": day, "category": category,
           "outcome": outcome, "signed": b.rng.random() < 0.4, "summary": PETITION_TEXT[category]}
    b.rows["petitions"].append(row)
    return row


def add_finding(b: Block, about: Person, day: dt.date, severity: str, source: str | None = None):
    row = {"id": b.next_id("OF", 6), "about": about.id, "date": day, "severity": severity,
           "source": source or b.rng.choice(("audit", "inspection", "supervision")),
           "summary": b.rng.choice(FINDING_TEXT)}
    b.rows["oversight_findings"].append(row)
    return row


def petitions_and_findings(b: Block) -> None:
    """Background: at most one credible adverse item (substantiated or partly
    substantiated petition, or oversight finding) per cadre, ever."""
    rng, bg = b.rng, b.cfg.background
    for p in b.cadres:
        if p.cadre.seat is None or p.id in b.wvd:
            continue
        credible = 0
        for year in b.cfg.decl_years:
            lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
            if rng.random() < bg["petitions_per_cadre_year"]:
                outcome = rng.choices(("pending", "unsubstantiated", "partly_substantiated",
                                       "substantiated", "false_accusation"),
                                      (0.1, 0.65, 0.1, 0.1, 0.05))[0]
                if outcome in ("partly_substantiated", "substantiated"):
                    if credible:
                        outcome = "unsubstantiated"
                    else:
                        credible = 1
                add_petition(b, p, b.rand_date(lo, hi), outcome)
            if not credible and rng.random() < bg["findings_per_cadre_year"]:
                credible += 1
                add_finding(b, p, b.rand_date(lo, hi), rng.choice(("low", "medium")))
