"""Two-faced signs: declarations vs facts (declaration_gap) and words vs deeds."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate import kin
from riskgraph.generate.companies import (
    add_director,
    add_owner,
    new_company,
    other_person,
)
from riskgraph.generate.config import RANK_ORDER
from riskgraph.generate.model import Block, Person
from riskgraph.generate.people import years
from riskgraph.generate.plants import quota, record
from riskgraph.generate.records import add_estate, add_finding, add_petition
from riskgraph.tenure import add_years

D = dt.timedelta


def _declarers(b: Block) -> list[Person]:
    """Cadres filing at least one declaration; those in no other planted case last
    (the pool is popped from the end). The gap itself never touches another case."""
    last = dt.date(b.cfg.decl_years[-1], 12, 31)
    min_rank = RANK_ORDER[b.cfg.rules["declaration"]["min_rank"]]
    out = [p for p in b.in_office() if RANK_ORDER[p.cadre.rank] >= min_rank
           and p.cadre.rank_since <= last and not (p.tag or "").startswith("declaration_gap")]
    b.rng.shuffle(out)
    out.sort(key=lambda p: p.tag is None)
    return out


def first_year(b: Block, p: Person) -> int:
    return next(y for y in b.cfg.decl_years if p.cadre.rank_since <= dt.date(y, 12, 31))


def _business(b: Block, p: Person, before: dt.date):
    """A company (unregulated industry, local) held by p's spouse or child, from before."""
    rel = kin.spouse_at(b, p, b.as_of)
    if rel is None or rel.tag or rel.cadre:
        kids = [c for c in kin.children(b, p) if c.tag is None and c.age_at(before) > 22]
        rel = kids[0] if kids else None
    if rel is None:
        return None
    start = b.rand_date(max(add_years(rel.birth, 22), before - years(8)), before - D(days=30))
    c = new_company(b, b.rng.choice(b.cfg.unregulated), role="plant", founded=start)
    row = add_owner(b, rel.id, c, b.rng.choice((40.0, 60.0, 100.0)), start)
    if row["percent"] < 100:
        add_owner(b, other_person(b).id, c, 100 - row["percent"], start)
    add_director(b, rel.id, c, "legal_rep", start)
    return rel, c, row


def plant_declaration_gap(b: Block) -> None:
    rules = b.cfg.rules["declaration"]
    pos, neg = quota(b, "declaration_gap")
    pool = _declarers(b)
    for variant, positive in [(v, True) for v in pos] + [(v, False) for v in neg]:
        while pool:
            p = pool.pop()
            year = first_year(b, p)
            first, due = dt.date(year, 1, 1), dt.date(year + 1, 1, 31)
            option = variant
            if variant in ("partial", "concealed"):
                option = b.rng.choice(("estate", "business") if variant == "partial"
                                      else ("estate", "business", "marriage"))
            elif variant == "amount_rounding":
                option = "amount_near"
            made = _tamper(b, p, variant, option, first, rules)
            if made is None:
                continue
            fact, what = made
            years_text = f"{year}—{b.cfg.decl_years[-1]}" if year < b.cfg.decl_years[-1] else f"{year}"
            record(b, "declaration_gap", variant, positive, [p, *fact], p, due,
                   f"{p.name}在{years_text}年度个人有关事项报告中{what}。")
            break


def _tamper(b: Block, p: Person, variant: str, option: str, first: dt.date, rules):
    rng = b.rng
    filters = b.tamper.setdefault(p.id, [])
    if option in ("estate", "area_rounding"):
        area = round(rng.uniform(80, 160), 2)
        est = add_estate(b, p, b.rand_date(first - years(6), first - D(days=60)), area)
        if variant == "concealed":
            filters.append(lambda items, y: [i for i in items if i.get("_estate") != est["id"]])
            return [est["id"]], f"隐瞒房产一套（{area:g}平方米，{est['address']}）"
        if variant == "partial":
            shown = round(area * rng.uniform(0.55, 0.8), 2)
            what = f"将{area:g}平方米的房产少报为{shown:g}平方米"
        else:
            tol = max(rules["area_tolerance_m2"], area * rules["area_tolerance_ratio"])
            shown = round(area - rng.uniform(0.1, min(0.8, tol * 0.8)), 2)
            what = f"房产面积{area:g}平方米按{shown:g}平方米填报，差额在容差内"
        filters.append(lambda items, y: [({**i, "area": shown} if i.get("_estate") == est["id"]
                                          else i) for i in items])
        return [est["id"]], what
    if option in ("business", "amount_near"):
        made = _business(b, p, first)
        if made is None:
            return None
        rel, c, row = made
        if variant == "concealed":
            filters.append(lambda items, y: [i for i in items if i.get("company") != c.id
                                             or i["category"] != "business"])
            return [rel.id, c.id], f"隐瞒亲属{rel.name}投资经营{c.name}的情况"
        if variant == "partial":
            shown = round(row["amount"] * rng.uniform(0.3, 0.6), 2)
            what = f"将亲属{rel.name}在{c.name}的出资{row['amount']:g}万元少报为{shown:g}万元"
        else:
            shown = round(row["amount"] * (1 - rng.uniform(0.001, 0.008)), 2)
            what = f"亲属{rel.name}在{c.name}的出资{row['amount']:g}万元按{shown:g}万元填报，差额在容差内"
        filters.append(lambda items, y: [({**i, "amount": shown} if i.get("company") == c.id
                                          and i["category"] == "business" else i) for i in items])
        return [rel.id, c.id], what
    if option == "marriage":
        spouse = kin.spouse_at(b, p, first)
        if spouse is None or kin.spouse_at(b, p, b.as_of) is not spouse or spouse.tag:
            return None
        filters.append(lambda items, y: [i for i in items if i["category"] != "marriage"])
        return [spouse.id], f"未报告与{spouse.name}的婚姻状况"
    raise ValueError(option)


def plant_words_vs_deeds(b: Block) -> None:
    pos, neg = quota(b, "words_vs_deeds")
    pool = [p for p in b.free_cadres() if p.cadre.work_start < dt.date(b.cfg.decl_years[0], 1, 1)]
    b.rng.shuffle(pool)
    for (variant, positive), p in zip([(v, True) for v in pos] + [(v, False) for v in neg], pool):
        b.wvd[p.id] = variant
        p.tag = f"wvd:{variant}:{int(positive)}"


def add_adverse_items(b: Block) -> None:
    """Petitions and findings of the words-vs-deeds cases (after evaluations exist)."""
    rng = b.rng
    lo, hi = dt.date(b.cfg.decl_years[0], 1, 1), dt.date(b.cfg.decl_years[-1], 12, 31)
    for p in b.cadres:
        variant = b.wvd.get(p.id)
        if variant is None:
            continue
        positive = p.tag.endswith(":1")
        p.tag = None
        days = sorted(b.rand_date(lo, hi) for _ in range(3))
        if variant == "petitions":
            items = [add_petition(b, p, d, rng.choice(("substantiated", "partly_substantiated")))
                     for d in days[:rng.randint(2, 3)]]
        elif variant == "findings":
            items = [add_finding(b, p, d, rng.choice(("medium", "high"))) for d in days[:2]]
        elif variant == "mixed":
            items = [add_petition(b, p, days[0], "substantiated"),
                     add_finding(b, p, days[1], rng.choice(("medium", "high")))]
        elif variant == "unsubstantiated":
            items = [add_petition(b, p, d, "unsubstantiated") for d in days]
        else:
            items = [add_petition(b, p, d, "false_accusation") for d in days]
        what = {"petitions": "多件信访举报经查属实", "findings": "审计巡察发现多项问题",
                "mixed": "信访举报属实且审计巡察发现问题",
                "unsubstantiated": "多件信访举报经查不属实", "false_accusation": "多件举报经查系诬告陷害"}
        record(b, "words_vs_deeds", variant, positive, [p, *(i["id"] for i in items)], p,
               items[-1].get("received") or items[-1].get("date"),
               f"{p.name}年度考核连续评为优秀、民主测评得分较高，同期{what[variant]}。")
