"""公务回避 (recusal): a cadre approves a project won by a company tied to a relative."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate import kin
from riskgraph.generate.companies import (
    add_director,
    add_employment,
    add_owner,
    new_company,
    other_person,
)
from riskgraph.generate.families import STATUTORY, make_relative
from riskgraph.generate.model import Block, Person
from riskgraph.generate.people import years
from riskgraph.generate.plants import quota, record
from riskgraph.generate.plants.business import plant_company
from riskgraph.generate.projects import OWNER_KINDS, make_project

D = dt.timedelta
PROJECT_INDUSTRIES = ("E", "C", "F", "I", "M", "N", "G")
REL_KINDS = tuple(k for k in STATUTORY if k != "spouse") + ("spouse", "spouse", "child")


def _actors(b: Block) -> list:
    out = []
    for o in b.orgs:
        if o.kind not in OWNER_KINDS:
            continue
        for s in [o.head, *o.deputies]:
            p = s.holder
            if p and p.tag is None and (b.as_of - p.cadre.start).days > 420:
                out.append((p, s))
    b.rng.shuffle(out)
    return out


def _winner(b: Block, org, rel: Person, variant: str, day: dt.date):
    """The winning company and the extra entities that make the tie, tied on `day`."""
    rng = b.rng
    industry = rng.choice([i for i in PROJECT_INDUSTRIES if i not in org.regulates])
    start = b.rand_date(day - years(6), day - D(days=200))
    if variant in ("direct", "second_cousin", "divorced"):
        tie = rng.choice(("owns", "legal_rep", "director", "employee"))
        if tie == "employee":
            w, _ = plant_company(b, rel, org.region, industry, start=start)
            add_employment(b, rel.id, w.id, start, position=rng.choice(("副总经理", "项目经理", "财务经理")))
        else:
            w, _ = plant_company(b, rel, org.region, industry, start=start,
                                 percent=rng.choice((30, 51, 60, 100)) if tie == "owns" else None,
                                 role=None if tie == "owns" else tie)
        how = {"owns": "持股", "legal_rep": "担任法定代表人", "director": "担任董事",
               "employee": "任职"}[tie]
        return w, [], how
    if variant == "share_sold":
        w, _ = plant_company(b, rel, org.region, industry, start=start, percent=60)
        sold = b.rand_date(start + D(days=100), day - D(days=60))
        row = next(r for r in b.rows["ownerships"] if r["owner"] == rel.id and r["company"] == w.id)
        row["end_date"] = sold
        add_owner(b, other_person(b).id, w, 60.0, sold)
        return w, [], f"曾持股（已于{sold}转让）"
    if variant == "chain":
        top, _ = plant_company(b, rel, org.region, "L", start=start, percent=100, role="legal_rep")
        chain, owner = [top], top
        for _ in range(rng.choice((0, 1))):
            nxt = new_company(b, "L", org.region, role="plant",
                              founded=start)
            chain.append(nxt)
            add_owner(b, owner.id, nxt, rng.choice((51.0, 70.0, 100.0)), start)
            add_director(b, other_person(b).id, nxt, "legal_rep", start)
            owner = nxt
        w = new_company(b, industry, org.region, role="plant", founded=start)
        add_owner(b, owner.id, w, rng.choice((51.0, 80.0, 100.0)), start)
        add_director(b, other_person(b).id, w, "legal_rep", start)
        return w, chain, f"通过{len(chain)}家企业的股权链间接控制"
    if variant == "shared_contact":
        k, _ = plant_company(b, rel, org.region, "L", start=start, percent=100, role="legal_rep")
        w = new_company(b, industry, org.region, role="plant", founded=start)
        add_owner(b, other_person(b).id, w, 100.0, start)
        add_director(b, other_person(b).id, w, "legal_rep", start)
        if rng.random() < 0.5:
            w.address, how = k.address, f"与其控制的{k.name}共用住所"
        else:
            w.phone, how = k.phone, f"与其控制的{k.name}共用联系电话"
        return w, [k], how
    if variant == "nominee":
        holder = other_person(b)
        w = new_company(b, industry, org.region, role="plant", founded=start)
        add_owner(b, holder.id, w, 100.0, start)
        add_director(b, holder.id, w, "legal_rep", start)
        b.rows["nominees"].append({"holder": holder.id, "beneficiary": rel.id, "company": w.id,
                                   "start_date": start, "end_date": None})
        return w, [holder], f"由{holder.name}代持股份实际控制"
    raise ValueError(variant)


def _relative(b: Block, x: Person, variant: str, lo: dt.date, hi: dt.date):
    """(relative, kind, act day): related on the act day for positives and share_sold."""
    if variant == "second_cousin":
        rel = make_relative(b, x, "second_cousin", reuse=False, min_age=25)
        return rel, "second_cousin", b.rand_date(lo, hi)
    if variant == "divorced":
        day = b.rand_date(lo, hi)
        spouse = kin.spouse_at(b, x, day)
        row = next((r for r in b.spouse_rows.get(x.id, ()) if r["end_date"] is None), None)
        if spouse is None or row is None or spouse.tag or \
                (day - row["start_date"]).days < 4 * 365:
            return None, None, None
        row["end_date"] = b.rand_date(row["start_date"] + years(2), day - D(days=200))
        return spouse, "ex_spouse", day
    for kind in b.rng.sample(REL_KINDS, 6):
        rel = make_relative(b, x, kind, min_age=25)
        since = kin.related_since(b, x, rel, lo) if rel is not None else None
        if since is not None and since <= hi:
            return rel, kind, b.rand_date(since, hi)
    return None, None, None


def plant(b: Block) -> None:
    pos, neg = quota(b, "recusal")
    actors = _actors(b)
    cases = [(v, True) for v in pos] + [(v, False) for v in neg]
    for variant, positive in cases:
        while actors:
            x, seat = actors.pop()
            if x.tag:
                continue
            lo = max(x.cadre.start + D(days=60), b.as_of - years(b.cfg.years))
            rel, kind, day = _relative(b, x, variant, lo, b.as_of - D(days=100))
            if rel is None:
                continue
            if (rel.id in kin.statutory(b, x, day)) != (variant not in ("divorced", "second_cousin")):
                continue
            w, extra, how = _winner(b, seat.org, rel, variant, day)
            call = day + D(days=b.rng.randint(3, 20))
            project = make_project(b, seat.org, w, call, (x, seat), approve_day=day, pay=False)
            label = STATUTORY.get(kind) or {"second_cousin": "远房亲属（再从兄弟姐妹）",
                                            "ex_spouse": "前配偶"}[kind]
            note = {"divorced": "，但二人此前已离婚", "share_sold": "，但股份已在审批前转让",
                    "second_cousin": "，但该亲属不属于法定回避范围"}.get(variant, "")
            record(b, "recusal", variant, positive, [x, rel, w, project["id"], *extra], x, day,
                   f"{x.name}于{day}以{seat.name}身份审批{project['name']}，中标企业{w.name}"
                   f"与其{label}{rel.name}存在利害关系（{how}）{note}。")
            break
