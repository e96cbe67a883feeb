"""Procurement red flags (procurement_flags) on new projects of the block's buyers."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate.companies import (
    add_director,
    add_owner,
    new_company,
    other_person,
)
from riskgraph.generate.model import Block
from riskgraph.generate.people import years
from riskgraph.generate.plants import quota, record
from riskgraph.generate.projects import OWNER_KINDS, leaders_at, make_project, threshold

D = dt.timedelta
NON_OPEN = ("invited", "competitive_negotiation", "competitive_consultation", "inquiry")
TEXT = {
    "single_bidder": "仅有一家企业投标", "non_open": "采用非公开招标方式", "no_call": "未公开发布招标公告",
    "short_window": "投标期限过短", "extreme_decision": "评标定标期间异常",
    "amended_upward": "中标后变更合同并增加结算金额", "close_bids": "投标报价高度接近或呈固定比例",
    "shared_contact_bidders": "投标企业共用住所或联系电话", "two_bidders": "两家企业投标",
    "window_5_days": "投标期限恰为5天", "decision_boundary": "定标期间处于临界值",
    "amended_not_upward": "变更合同但结算金额未增加", "bids_1pct": "投标报价相差约1%",
    "similar_contact": "投标企业地址相近但不相同",
}


def _setup(b: Block, earliest_days: int = 250):
    """A buyer, a call date and an unplanted leader approving it; None when none fits."""
    owners = [o for o in b.orgs if o.kind in OWNER_KINDS]
    for _ in range(30):
        org = b.rng.choice(owners)
        call = b.rand_date(b.as_of - years(b.cfg.years), b.as_of - D(days=earliest_days))
        approve = call - D(days=b.rng.randint(3, 20))
        leaders = [x for x in leaders_at(org, approve) if x[0].tag is None]
        if leaders and b.contractors:
            return org, call, approve, b.rng.choice(leaders)
    return None


def _twin(b: Block, base, same_address: bool, similar: bool = False):
    """A bidder sharing (or nearly sharing) address or phone with `base`."""
    c = new_company(b, base.industry, base.region, role="plant")
    add_owner(b, other_person(b).id, c, 100.0, c.founded)
    add_director(b, other_person(b).id, c, "legal_rep", c.founded)
    if similar:
        c.address = f"{base.address[:-1]}附{b.rng.randint(1, 9)}号"
    elif same_address:
        c.address = base.address
    else:
        c.phone = base.phone
    return c


def _project(b: Block, variant: str, setup):
    org, call, approve, approver = setup
    rng = b.rng
    winner = rng.choice(b.contractors)
    kw = {}
    extra = []
    if variant == "single_bidder":
        kw["bidders"] = []
    elif variant == "two_bidders":
        kw["n_bidders"] = 2
    elif variant == "non_open":
        kw["method"] = rng.choice(NON_OPEN)
    elif variant == "no_call":
        kw["published"] = False
    elif variant == "short_window":
        kw["window"] = rng.randint(1, 4)
    elif variant == "window_5_days":
        kw["window"] = 5
    elif variant == "extreme_decision":
        kw["decision"] = rng.choice((rng.randint(0, 4), rng.randint(101, 160)))
    elif variant == "decision_boundary":
        kw["decision"] = rng.choice((5, 100))
    elif variant in ("close_bids", "bids_1pct"):
        award = round(rng.uniform(1.05, 3.0) * threshold(b), 2)
        n = rng.randint(3, 5)
        if variant == "bids_1pct":
            ratios = [1.0, 1.006, 1.013, 1.021, 1.03][:n]
        elif rng.random() < 0.5:
            ratios = [1.0] + sorted(rng.sample([1 + x / 10000 for x in range(5, 45, 3)], n - 1))
        else:
            r = rng.uniform(1.02, 1.06)
            ratios = [r ** i for i in range(n)]
        kw.update(award=award, bids=[round(award * x, 2) for x in ratios], n_bidders=n)
    elif variant in ("shared_contact_bidders", "similar_contact"):
        others = [c for c in b.contractors if c is not winner]
        base = rng.choice(others)
        twin = _twin(b, base, rng.random() < 0.5, similar=variant == "similar_contact")
        kw["bidders"] = [base, twin] + rng.sample([c for c in others if c is not base],
                                                  min(2, len(others) - 1))
        extra = [base, twin]
    p = make_project(b, org, winner, call, approver, approve_day=approve, **kw)
    if variant in ("amended_upward", "amended_not_upward"):
        p["amended"] = True
        factor = rng.uniform(1.1, 1.4) if variant == "amended_upward" else rng.uniform(0.9, 1.0)
        p["final_amount"] = round(p["award_amount"] * factor, 2)
    return p, extra, approver[0]


def _splitting(b: Block, spread: bool):
    setup = _setup(b, earliest_days=560 if spread else 250)
    if setup is None:
        return None
    org, call, approve, approver = setup
    winner = b.rng.choice(b.contractors)
    t = threshold(b)
    lo, hi = b.cfg.rules["procurement"]["splitting_band"]
    n = b.cfg.rules["procurement"]["splitting_min_awards"] + (0 if spread else b.rng.randint(0, 1))
    day, plan = call, []
    for i in range(n):
        day += D(days=(b.rng.randint(120, 150) if spread else b.rng.randint(8, 18)) if i else 0)
        approve_i = approve + (day - call)
        leaders = [x for x in leaders_at(org, approve_i) if x[0].tag is None]
        if not leaders:
            return None
        plan.append((day, approve_i, approver if approver in leaders else leaders[0]))
    out = []
    for day, approve_i, who in plan:
        award = round(t * b.rng.uniform(lo, hi - 0.01), 2)
        out.append(make_project(b, org, winner, day, who, approve_day=approve_i,
                                award=award, budget=round(min(t * 0.999, award * 1.03), 2),
                                window=25, decision=20))
    return out, winner, approver[0]


def plant(b: Block) -> None:
    pos, neg = quota(b, "procurement_flags")
    for variant, positive in [(v, True) for v in pos] + [(v, False) for v in neg]:
        if variant in ("splitting", "splitting_spread"):
            made = _splitting(b, spread=variant == "splitting_spread")
            if made is None:
                continue
            projects, winner, who = made
            ids = [p["id"] for p in projects]
            text = (f"{winner.name}在短期内连续中标{len(ids)}个略低于审批限额的项目，疑似拆分规避审批。"
                    if positive else f"{winner.name}中标{len(ids)}个略低于审批限额的项目，但时间间隔较长。")
            record(b, "procurement_flags", variant, positive, ids + [winner], who,
                   projects[0]["award_date"], text)
            continue
        setup = _setup(b)
        if setup is None:
            continue
        p, extra, who = _project(b, variant, setup)
        record(b, "procurement_flags", variant, positive, [p["id"], *extra], who, p["award_date"],
               f"{p['name']}{TEXT.get(variant, '')}。")
