"""Hidden links: closed money loops (money_loop) and dense clusters (hidden_cluster)."""

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
from riskgraph.generate.plants.recusal import _actors
from riskgraph.generate.projects import (
    OWNER_KINDS,
    leaders_at,
    make_project,
    pay_approver,
    payment,
)

D = dt.timedelta
LOOP_KINDS = ("spouse", "child", "sibling", "spouse_sibling", "child_spouse", "parent", "nephew")


def plant_money_loop(b: Block) -> None:
    pos, neg = quota(b, "money_loop")
    actors = _actors(b)
    rng = b.rng
    for variant, positive in [(v, True) for v in pos] + [(v, False) for v in neg]:
        while actors and b.contractors:
            x, seat = actors.pop()
            if x.tag:
                continue
            if variant == "to_cadre":
                end, label = x, "本人"
            elif variant == "to_relative":
                kind = rng.choice(LOOP_KINDS)
                end, label = make_relative(b, x, kind, min_age=22), STATUTORY[kind]
            else:
                end, label = other_person(b), "无关人员"
            if end is None:
                continue
            lo = max(x.cadre.start + D(days=90), b.as_of - years(b.cfg.years))
            call = b.rand_date(lo, b.as_of - D(days=330))
            w1 = rng.choice(b.contractors)
            project = make_project(b, seat.org, w1, call, (x, seat), approve_day=call - D(days=5),
                                   pay=False)
            day = project["award_date"] + D(days=rng.randint(10, 40))
            amount = project["award_amount"] * rng.uniform(0.3, 0.6)
            pays = [payment(b, seat.org.id, w1.id, amount, day, project["id"], (x, seat), "工程款")]
            hops = rng.choice((2, 3, 4))
            payer, companies = w1, [w1]
            for i in range(hops - 1):
                day += D(days=rng.randint(5, 45))
                amount *= rng.uniform(0.3, 0.7)
                if i == hops - 2:
                    pays.append(payment(b, payer.id, end.id, amount, day, None, None,
                                        rng.choice(("咨询服务费", "借款", "劳务费"))))
                    break
                mid = new_company(b, rng.choice(("L", "F", "M")), role="plant",
                                  founded=day - years(rng.uniform(1, 8)))
                add_owner(b, other_person(b).id, mid, 100.0, mid.founded)
                add_director(b, other_person(b).id, mid, "legal_rep", mid.founded)
                pays.append(payment(b, payer.id, mid.id, amount, day, None, None,
                                    rng.choice(("货款", "服务费", "往来款"))))
                payer = mid
                companies.append(mid)
            if variant == "to_relative" and not all(
                    end.id in kin.statutory(b, x, p["date"]) for p in (pays[0], pays[-1])):
                _undo_payments(b, pays)
                continue
            text = (f"{x.name}审批向{w1.name}拨付的工程款，资金经{hops}跳于{pays[-1]['date']}"
                    f"流入其{label}{end.name}的账户。" if positive else
                    f"{x.name}审批的工程款经{hops}跳流向与其无亲属关系的{end.name}。")
            entities = [x, end, *companies, *(p["id"] for p in pays)]
            record(b, "money_loop", variant, positive, entities, x, pays[0]["date"], text)
            break


def _undo_payments(b: Block, pays: list[dict]) -> None:
    """Drop the payments (and their pay acts) of an abandoned loop."""
    ids = {p["id"] for p in pays}
    for p in pays:
        p["_drop"] = True
    for a in b.rows["official_acts"][-len(pays) - 5:]:
        if a["target"] in ids:
            a["_drop"] = True


def _cluster_cadres(b: Block, n: int) -> list:
    by_org: dict[str, Person] = {}
    for p in b.free_cadres():
        org = p.cadre.seat.org
        if org.id not in by_org and p.age_at(b.as_of) > 40:
            by_org[org.id] = p
    picks = list(by_org.values())
    b.rng.shuffle(picks)
    return picks[:n]


def _won_project(b: Block, company, owners: list, claimed: set) -> dict | None:
    """A clean project won by `company`, approved by an unplanted leader (None when no
    owner organisation has one on any day of the window)."""
    rng = b.rng
    for _ in range(20):
        org = rng.choice(owners)
        call = b.rand_date(b.as_of - years(b.cfg.years), b.as_of - D(days=200))
        approve = call - D(days=rng.randint(3, 20))
        leaders = _free_leaders(org, approve, claimed)
        if leaders:
            return _clean_project(b, org, company, call, approve, rng.choice(leaders), claimed)
    # Random picks missed (few free leaders): take the latest day any owner has one.
    for org in owners:
        call = b.as_of - D(days=200)
        while call >= b.as_of - years(b.cfg.years):
            approve = call - D(days=3)
            leaders = _free_leaders(org, approve, claimed)
            if leaders:
                return _clean_project(b, org, company, call, approve, leaders[0], claimed)
            call -= D(days=7)
    return None


def _free_leaders(org, day: dt.date, claimed: set) -> list:
    return [x for x in leaders_at(org, day) if x[0].tag is None and x[0].id not in claimed]


def _clean_project(b: Block, org, company, call: dt.date, approve: dt.date, leader,
                   claimed: set) -> dict:
    p = make_project(b, org, company, call, leader, approve_day=approve, pay=False)
    day = p["award_date"] + D(days=b.rng.randint(10, 30))
    appr = pay_approver(org, day)
    if appr and appr[0].tag is None and appr[0].id not in claimed:
        payment(b, org.id, company.id, p["award_amount"] * 0.3, day, p["id"], appr, "工程预付款")
    return p


def plant_cluster(b: Block) -> None:
    pos, neg = quota(b, "hidden_cluster")
    rng = b.rng
    owners = [o for o in b.orgs if o.kind in OWNER_KINDS]
    for positive in [True] * len(pos) + [False] * len(neg):
        cadres = _cluster_cadres(b, 3)
        if len(cadres) < 3:
            return
        claimed = {c.id for c in cadres}
        busy = {c.cadre.seat.org.id for c in cadres}
        kinds = (("spouse", "sibling_spouse"), ("sibling",), ("spouse_sibling", "sibling"))
        rels = []
        for c, options in zip(cadres, kinds):
            for kind in options:
                r = make_relative(b, c, kind, min_age=25)
                if r is not None and r.tag is None:
                    rels.append(r)
                    break
        if len(rels) < 3:
            continue
        for c in cadres + rels:
            c.tag = "cluster"
        ks = [new_company(b, rng.choice(("I", "M", "L")), role="plant",
                          founded=b.rand_date(b.as_of - years(9), b.as_of - years(4)))
              for _ in range(3)]
        if positive:
            r1, r2, r3 = rels
            for k, owners_pct in zip(ks, ([(r1, 40), (r2, 30), (r3, 30)], [(r2, 50), (ks[0], 50)],
                                          [(r3, 60), (ks[1], 40)])):
                for who, pct in owners_pct:
                    add_owner(b, who.id, k, float(pct), k.founded)
            add_director(b, r1.id, ks[0], "legal_rep", ks[0].founded)
            add_director(b, r3.id, ks[0], "supervisor", ks[0].founded)
            add_director(b, r2.id, ks[1], "legal_rep", ks[1].founded)
            add_director(b, r1.id, ks[2], "director", ks[2].founded)
            add_director(b, r3.id, ks[2], "legal_rep", ks[2].founded)
            add_employment(b, r1.id, ks[1].id, ks[1].founded, position="顾问")
            ks[2].phone = ks[0].phone
            ks[1].address = ks[0].address
            day = b.as_of - D(days=rng.randint(60, 300))
            payment(b, ks[0].id, ks[1].id, rng.uniform(20, 80), day, None, None, "服务费")
            payment(b, ks[1].id, ks[2].id, rng.uniform(10, 40), day + D(days=20), None, None, "往来款")
        else:
            for r, k in zip(rels, ks):
                add_owner(b, r.id, k, 100.0, k.founded)
                add_director(b, r.id, k, "legal_rep", k.founded)
        free_owners = [o for o in owners if o.id not in busy]
        projects = [p for k in ks if free_owners and (p := _won_project(b, k, free_owners, claimed))]
        for c in cadres + rels:
            c.tag = None
        if len(projects) < len(ks):
            continue    # a company without a public project is no contractor: not the pattern
        members = cadres + rels + ks
        text = ("三名干部的亲属交叉持股、共用住所电话的三家企业均承接政府项目，形成紧密关联群。"
                if positive else "三名干部的亲属各自经营一家企业并承接项目，彼此之间无交叉关联。")
        record(b, "hidden_cluster", "cluster" if positive else "sparse", positive,
               members + [p["id"] for p in projects], cadres[0], None, text)
