"""Public projects with clean procurement (open, published call, 3+ bidders, 20-40 day
window, 10-60 day decision, no upward amendment), their bids, acts and payments."""

from __future__ import annotations

import datetime as dt

from riskgraph.generate.careers import holder_at
from riskgraph.generate.model import Block, Company, Org, Person, Seat

D = dt.timedelta
ITEMS = {
    "E": ("道路改造工程", "安置房建设工程", "办公楼维修改造工程", "老旧小区改造工程", "桥梁加固工程"),
    "C": ("专用设备采购", "办公家具采购"), "F": ("物资采购", "办公用品采购"), "G": ("运输服务采购",),
    "I": ("信息化系统建设", "数据中心建设"), "M": ("工程监理服务", "勘察设计服务", "检测服务"),
    "N": ("河道整治工程", "园林绿化工程", "污水管网工程"), "P": ("教学设备采购",),
    "Q": ("医疗设备采购",),
}
OWNER_KINDS = ("housing", "transport", "water", "education", "health", "agriculture", "township",
               "state_enterprise", "institution", "government", "natural_resources",
               "development_reform")
MEDIAN_BUDGET = {"county": 80, "city": 300, "province": 800}


def threshold(b: Block) -> float:
    return float(b.cfg.background["approval_threshold"][b.level])


def leaders_at(org: Org, day: dt.date, lead_days: int = 20) -> list[tuple[Person, Seat]]:
    out = []
    for seat in [org.head, *org.deputies]:
        held = holder_at(seat, day)
        if held and (day - held[1]).days >= lead_days:
            out.append((held[0], seat))
    return out


def section_holder(org: Org, cats: tuple[str, ...], day: dt.date, chief: bool = True):
    for cat, head, staff in org.sections:
        if cat in cats:
            for seat in ([head] if chief else staff):
                held = holder_at(seat, day)
                if held:
                    return held[0], seat
    return None


def clean_amount(b: Block, budget: float) -> float:
    """An award amount that keeps out of the splitting band below the threshold."""
    award = round(budget * b.rng.uniform(0.86, 0.98), 2)
    t = threshold(b)
    if 0.8 * t <= award < t:
        award = round(t * b.rng.uniform(0.4, 0.75), 2)
    return award


def bid_ladder(b: Block, low: float, n: int) -> list[float]:
    """`n` ascending bids from `low`, each 2-12% above the last, gaps all different."""
    gaps: list[float] = []
    while len(gaps) < n - 1:
        g = b.rng.uniform(1.02, 1.12)
        if all(abs(g - x) > 0.006 for x in gaps):
            gaps.append(g)
    out = [low]
    for g in gaps:
        out.append(round(out[-1] * g, 2))
    return out


def act(b: Block, person: Person, target: str, role: str, day: dt.date, seat: Seat) -> dict:
    row = {"person": person.id, "target": target, "role": role, "date": day, "post": seat.id}
    b.rows["official_acts"].append(row)
    return row


def payment(b: Block, payer: str, payee: str, amount: float, day: dt.date, project: str | None,
            approver: tuple[Person, Seat] | None, purpose: str) -> dict:
    row = {"id": b.next_id("PAY", 7), "date": day, "amount": round(amount, 2), "payer": payer,
           "payee": payee, "project": project, "purpose": purpose,
           "approved_by": approver[0].id if approver else None}
    b.rows["payments"].append(row)
    if approver:
        act(b, approver[0], row["id"], "pay", day, approver[1])
    return row


def pay_approver(org: Org, day: dt.date):
    found = section_holder(org, ("finance",), day)
    if found:
        return found
    leaders = leaders_at(org, day, 0)
    return leaders[0] if leaders else None


def make_project(b: Block, org: Org, winner: Company, call: dt.date,
                 approver: tuple[Person, Seat], *, budget: float | None = None,
                 award: float | None = None, bidders: list[Company] | None = None,
                 n_bidders: int | None = None, window: int | None = None,
                 decision: int | None = None, method: str = "open", published: bool = True,
                 bids: list[float] | None = None, pay: bool = True,
                 payer_approver=None, approve_day: dt.date | None = None) -> dict:
    rng, bg = b.rng, b.cfg.background
    budget = budget or round(max(5.0, rng.lognormvariate(0, 0.9) * MEDIAN_BUDGET[b.level]), 2)
    award = award or clean_amount(b, budget)
    budget = max(budget, award)
    window = window if window is not None else rng.randint(*bg["window_days"])
    decision = decision if decision is not None else rng.randint(*bg["decision_days"])
    deadline = call + D(days=window)
    award_day = deadline + D(days=decision)
    pid = b.next_id("PRJ", 6)
    item = rng.choice(ITEMS.get(winner.industry, ("服务采购",)))
    p = {"id": pid, "name": f"{org.name}{call.year}年{item}", "owner": org.id,
         "industry": winner.industry, "region": org.region, "budget": budget,
         "approval_threshold": threshold(b), "method": method, "call_published": published,
         "call_date": call if published else None, "bid_deadline": deadline,
         "award_date": award_day, "winner": winner.id, "award_amount": award,
         "final_amount": None, "amended": False, "_org": org, "_bids": [], "_approver": approver}
    b.rows["projects"].append(p)
    if bidders is None:
        n = n_bidders or rng.randint(*bg["bidders"])
        same = [c for c in b.contractors if c.industry == winner.industry and c is not winner]
        rest = [c for c in b.contractors if c.industry != winner.industry and c is not winner]
        rng.shuffle(same)
        rng.shuffle(rest)
        bidders = (same + rest)[: n - 1]
    amounts = bids or bid_ladder(b, award, len(bidders) + 1)
    for company, amount in zip([winner, *bidders], amounts):
        day = deadline - D(days=rng.randint(0, min(3, window)))
        bid = {"company": company.id, "project": pid, "amount": amount, "date": day}
        b.rows["bids"].append(bid)
        p["_bids"].append(bid)
    act(b, approver[0], pid, "approve", approve_day or call - D(days=3), approver[1])
    reviewer = section_holder(org, ("procurement", "construction", "finance"), award_day)
    if reviewer and reviewer[0] is not approver[0]:
        act(b, reviewer[0], pid, "review", award_day, reviewer[1])
    head = holder_at(org.head, award_day)
    if head and head[0] is not approver[0] and rng.random() < 0.3:
        act(b, head[0], pid, "decide", award_day, org.head)
    done = award_day + D(days=rng.randint(90, 400))
    if done <= b.as_of:
        p["final_amount"] = award
        inspector = section_holder(org, ("construction", "procurement", "general"), done, chief=False)
        if inspector:
            act(b, inspector[0], pid, "inspect", done, inspector[1])
    if pay:
        _installments(b, p, org, winner, award_day, done, award, payer_approver)
    return p


def _installments(b, p, org, winner, award_day, done, award, payer_approver) -> None:
    rng = b.rng
    plan = [(award_day + D(days=rng.randint(10, 30)), 0.3, "工程预付款"),
            (award_day + (done - award_day) / 2, 0.4, "进度款"), (done + D(days=30), 0.3, "结算款")]
    for day, share, purpose in plan:
        if day > b.as_of:
            break
        approver = payer_approver or pay_approver(org, day)
        pay = payment(b, org.id, winner.id, award * share, day, p["id"], approver, purpose)
        p.setdefault("_payments", []).append(pay)
        if winner.role == "contractor" and rng.random() < 0.2 and len(b.contractors) > 2:
            sub = rng.choice(b.contractors)
            later = day + D(days=rng.randint(10, 60))
            if sub is not winner and later <= b.as_of:
                payment(b, winner.id, sub.id, pay["amount"] * rng.uniform(0.2, 0.5), later,
                        None, None, "分包款")
        elif winner.role == "contractor" and rng.random() < 0.05 and b.others:
            later = day + D(days=rng.randint(10, 60))
            if later <= b.as_of:
                payment(b, winner.id, rng.choice(b.others).id, pay["amount"] * 0.05, later,
                        None, None, "劳务费")


def background_projects(b: Block) -> None:
    rng, bg = b.rng, b.cfg.background
    owners = [o for o in b.orgs if o.kind in OWNER_KINDS]
    weights = [len(o.seats) for o in owners]
    n = round(len(b.cadres) / 1000 * bg["projects_per_1000_cadres_year"] * b.cfg.years)
    first = b.as_of - D(days=365 * b.cfg.years)
    for _ in range(n):
        org = rng.choices(owners, weights)[0]
        call = b.rand_date(first, b.as_of - D(days=75))
        approve_day = call - D(days=rng.randint(3, 20))
        leaders = [x for x in leaders_at(org, approve_day) if x[0].tag is None]
        if not leaders or not b.contractors:
            continue
        winner = rng.choice(b.contractors)
        make_project(b, org, winner, call, rng.choice(leaders), approve_day=approve_day)
