"""任职回避 (post_avoidance) and 地域回避 (region_avoidance) cases."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate import kin
from riskgraph.generate.families import (
    NON_STATUTORY,
    STATUTORY,
    build_family,
    make_close_relative,
    make_relative,
)
from riskgraph.generate.model import Block, Person, Seat
from riskgraph.generate.people import AGE_BY_RANK, make_cadre, new_person, years
from riskgraph.generate.plants import quota, record
from riskgraph.generate.plants.business import plant_company
from riskgraph.tenure import add_years

D = dt.timedelta
SENSITIVE = ("organisation_personnel", "discipline", "audit", "finance")
PAIR_KINDS = ("sibling", "spouse", "child", "cousin", "nephew", "spouse_sibling", "child_spouse",
              "sibling_spouse", "parent_sibling", "spouse_sibling_spouse", "child_spouse_parent")


def _free(s: Seat) -> bool:
    return not s.reserved and not s.protected


def plan_pairs(b: Block) -> None:
    n_office = round(len(b.seats) * b.cfg.background["fill_rate"])
    pos, neg = quota(b, "post_avoidance", n_office)
    used: set[str] = set()
    orgs = [o for o in b.orgs if len(o.deputies) >= 2 and o.sections]
    for positive, variants in ((True, pos), (False, neg)):
        for variant in variants:
            if variant == "regulated_business":
                continue
            for _ in range(40):
                pair = _pick_pair(b, variant, orgs)
                if pair and pair[0].id not in used and pair[1].id not in used:
                    used.update((pair[0].id, pair[1].id))
                    pair[1].reserved = True
                    b.must_fill.add(pair[0].id)
                    b.plans.append({"variant": variant, "positive": positive,
                                    "superior": pair[0], "seat": pair[1]})
                    break


def _pick_pair(b: Block, variant: str, orgs) -> tuple[Seat, Seat] | None:
    rng = b.rng
    org = rng.choice(orgs)
    if variant == "same_leadership_team":
        d1, d2 = rng.sample(org.deputies, 2)
        return (d1, d2) if _free(d1) and _free(d2) else None
    if variant == "sensitive_post":
        secs = [s for s in org.sections if s[0] in SENSITIVE and s[2]]
        if not secs:
            return None
        _, chief, staff = rng.choice(secs)
        lead = rng.choice([org.head] + [d for d in org.deputies if d.id != chief.reports_to])
        seat = rng.choice(staff)
        return (lead, seat) if _free(seat) and _free(lead) else None
    if variant == "different_org":
        other = rng.choice([o for o in orgs if o is not org and o.tier == "bureau"] or [org])
        if other is org or org.tier != "bureau":
            return None
        sup = rng.choice(org.deputies)
        _, chief, _ = rng.choice(other.sections)
        return (sup, chief) if _free(sup) and _free(chief) else None
    # same_org_superior and its near-misses: a seat and the seat directly under it
    cat, chief, staff = rng.choice(org.sections)
    if rng.random() < 0.5 and cat not in SENSITIVE:
        sup = next(d for d in org.deputies if d.id == chief.reports_to)
        return (sup, chief) if _free(sup) and _free(chief) else None
    if not staff:
        return None
    seat = rng.choice(staff)
    return (chief, seat) if _free(chief) and _free(seat) else None


def _cadre_relative(b: Block, a: Person, seat: Seat, kinds) -> tuple[Person, str] | None:
    """A new person of one of `kinds` towards `a`, old enough for `seat`, born 1966+."""
    lo, hi = AGE_BY_RANK[seat.rank]
    for kind in b.rng.sample(list(kinds) * 4, 4 * len(kinds))[:12]:
        p = make_relative(b, a, kind, reuse=False, min_age=lo)
        if p and p.age_at(b.as_of) <= hi and p.birth.year >= b.as_of.year - 59 and \
                p.birth.year <= 2000:
            return p, kind
    return None


def _ex_spouse(b: Block, a: Person, seat: Seat) -> Person | None:
    """A former spouse of `a`, divorced at least two years ago, before a's marriages."""
    rows = b.spouse_rows.get(a.id, ())
    latest = min([r["start_date"] for r in rows] + [b.as_of]) - years(2)
    gender = "F" if a.gender == "M" else "M"
    birth = a.birth + years(b.rng.uniform(-2, 3))
    start = max(kin.adult(a), add_years(birth, kin.MARRY_AGE[gender]))
    lo_age = AGE_BY_RANK[seat.rank][0]
    if start + years(2) > latest or (b.as_of - birth).days < lo_age * 366 or birth.year < b.as_of.year - 59:
        return None
    end = b.rand_date(start + years(1), latest)
    p = new_person(b, gender, birth, a.origin)
    kin.add_spouse(b, a, p, b.rand_date(start, end - years(1)), end)
    return p


def plant_pairs(b: Block) -> None:
    for plan in b.plans:
        sup, seat = plan["superior"], plan["seat"]
        a = sup.holder
        if a is None or a.tag:
            continue
        variant = plan["variant"]
        found = None
        if variant == "divorced":
            ex = _ex_spouse(b, a, seat)
            found = (ex, "ex_spouse") if ex else None
            if ex is None:
                variant = "second_cousin"
        if variant == "second_cousin":
            found = _cadre_relative(b, a, seat, ("second_cousin",))
        elif variant != "divorced":
            found = _cadre_relative(b, a, seat, PAIR_KINDS)
        if not found:
            continue
        rel, kind = found
        start = b.rand_date(max(add_years(rel.birth, 25), b.as_of - D(days=1400)), b.as_of - D(days=60))
        if variant == "divorced":
            ended = b.spouse_rows[rel.id][0]["end_date"]
            start = max(start, ended + D(days=60))
        make_cadre(b, seat, person=rel, start=start)
        rel.cadre.no_history = a.cadre.no_history = True
        build_family(b, rel)
        since = max(start, a.cadre.start)
        if plan["positive"] or variant == "different_org":
            since = kin.related_since(b, a, rel, since)
            if since is None:
                continue
        elif rel.id in kin.statutory(b, a, since):
            continue
        org = seat.org
        label = STATUTORY.get(kind) or NON_STATUTORY.get(kind) or "前配偶"
        text = {
            "same_org_superior": "存在直接上下级关系",
            "same_leadership_team": "同为领导班子成员",
            "sensitive_post": f"其亲属在该单位从事{_cat_zh(seat.category)}工作",
            "second_cousin": "存在直接上下级关系，但二人为再从兄弟姐妹，不属于回避亲属",
            "different_org": f"但二人分属{sup.org.name}与{org.name}，不在同一单位",
            "divorced": "但二人在共同任职前已离婚",
        }[variant]
        where = org.name if variant != "different_org" else "两单位"
        record(b, "post_avoidance", variant, plan["positive"], [a, rel, org.id], a, since,
               f"{a.name}（{sup.name}）与其{label}{rel.name}（{seat.name}）同时在{where}任职，{text}。")


def _cat_zh(cat: str) -> str:
    return {"organisation_personnel": "组织人事", "discipline": "纪检监察", "audit": "审计",
            "finance": "财务"}.get(cat, cat)


def plant_regulated(b: Block) -> None:
    """Heads of regulating organisations whose spouse/child/child's spouse owns (at least
    the large-share threshold) or is legal representative of a regulated local company."""
    pos, _ = quota(b, "post_avoidance")
    want = sum(1 for v in pos if v == "regulated_business")
    heads = [o.head for o in b.orgs if o.regulates and o.head.holder and o.head.holder.tag is None]
    b.rng.shuffle(heads)
    share = float(b.cfg.rules["large_share_percent"])
    for seat in heads[:want]:
        a = seat.holder
        rel, kind = make_close_relative(b, a, min_age=25)
        if rel is None:
            continue
        org = seat.org
        tie = b.rng.choice(("owns", "legal_rep"))
        k, start = plant_company(b, rel, org.region, b.rng.choice(org.regulates),
                                 percent=b.rng.uniform(share + 5, 100) if tie == "owns" else None,
                                 role="legal_rep" if tie == "legal_rep" else None)
        since = kin.related_since(b, a, rel, max(start, a.cadre.start), close=True)
        if since is None:
            continue
        how = "持股" if tie == "owns" else "担任法定代表人"
        label = STATUTORY[kind]
        record(b, "post_avoidance", "regulated_business", True, [a, rel, k], a, since,
               f"{a.name}任{seat.name}，其{label}{rel.name}在该局监管行业的本地企业{k.name}{how}。")
        record(b, "relative_business", "owns" if tie == "owns" else "runs", True, [a, rel, k], a,
               since, f"{a.name}（{seat.name}）的{label}{rel.name}在其管辖地区和业务范围内{how}"
                      f"经营{k.name}（与任职回避同一事实）。")


def plant_region(b: Block) -> None:
    """Heads named in 暂行规定 Art. 5 serving where they grew up (or next door)."""
    if b.level not in ("county", "city"):
        return
    kinds = b.cfg.rules["region_avoidance_kinds"]
    seats = [o.head for o in b.orgs if o.kind in kinds and o.level == b.level
             and o.head.holder is not None and o.head.holder.tag is None]
    b.rng.shuffle(seats)
    pos, neg = quota(b, "region_avoidance")
    n_pos = min(len(pos), len(seats) // 2)
    n_neg = min(len(neg), len(seats) - n_pos)
    regions = b.ctx.regions
    for i, seat in enumerate(seats[: n_pos + n_neg]):
        p, positive = seat.holder, i < n_pos
        if b.level == "county":
            variant = "county" if positive else "neighbour_county"
            near = regions.neighbours(b.region.code)
            p.origin = b.region.code if positive else b.rng.choice(near).code
        else:
            variant = "city" if positive else "neighbour_city"
            city = b.rng.choice(regions.neighbour_cities(b.region.code)) if not positive else b.region
            p.origin = b.rng.choice(city.children)
        grew = regions.by_code[p.origin].name
        text = (f"{p.name}成长于{grew}，现任{seat.name}，违反地域回避规定。" if positive else
                f"{p.name}成长于相邻的{grew}，现任{seat.name}，不属于本地任职。")
        record(b, "region_avoidance", variant, positive, [p, seat.id], p, p.cadre.start, text)
