"""How far a closed money loop (detector ``money_loop``) reaches, both ways.

A loop is a chain of at most ``max_hops`` payments: a seed (an organisation pays a
company; approver X) and onward payments, each made by the previous payee, on or after
the previous payment's day and at most ``max_days`` after the seed's, the last to a
person who is X or X's statutory relative on the first and the last payment day.

- ``onward``: the onward payments a chain from some seeds can use — followed forward
  from the seeds' payees, company by company, within the chain's dates — so a run
  scoped to some approvers reads those instead of every company payment.
- ``scope_after``: the approvers whose loops an import can have changed. A chain that
  holds a written payment (the payment or one of its payer, payee and approver edges)
  starts at most ``max_hops - 1`` payments before it, each received by the payer of
  the next and dated between the written one's day minus ``max_days`` and the next
  one's day: walking back so far gives every seed, hence every approver, concerned. A
  written kinship edge or person can only change whether the chain's end is X's
  relative; the relation is a walk of at most 5 base edges from X, so X lies within
  the ``relatives`` widening of ``incremental`` (4 edges of a written edge's end, 5 of
  a written person, as for recusal): the approvers there, as the process's kinship
  skeleton knows them (``kin_skeleton``, caught up with the batches). Nothing else a
  loop's key holds can change (names, posts and projects are evidence only). A written
  payment that was part of a loop found before also re-checks that loop's approver: if
  its payer or payee was re-pointed, the graph no longer leads from it to the loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from riskgraph.graph import GraphClient
from riskgraph.reach import PERSON, Changes, Reach
from riskgraph.values import native

BATCH = 2000
NAME = "money_loop"
PAYMENT = "Payment"
PAYMENT_EDGES = ("PAID_BY", "PAID_TO", "APPROVED_BY")


def _chunks(ids: Iterable, size: int = BATCH):
    ids = list(ids)
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def onward(graph: GraphClient, seeds: list[dict], max_hops: int, max_days: int,
           until: date) -> list[dict]:
    """Every company payment a chain from ``seeds`` (rows with ``payee_id`` and ``day``)
    can continue with: at most ``max_hops - 1`` steps from a seed's payee, dated from
    the day money reached the company to the seed's day plus ``max_days``. A superset
    of what the chains use (dates as one span per company), in pay_id order."""
    span: dict[str, tuple[date, date]] = {}
    frontier: dict[str, tuple[date, date]] = {}

    def reach(company: str, lo: date, hi: date) -> None:
        read = span.get(company)
        if read and read[0] <= lo and hi <= read[1]:
            return                       # already read for these days
        spans = [(lo, hi)] + [s for s in (read, frontier.get(company)) if s]
        frontier[company] = (min(s[0] for s in spans), max(s[1] for s in spans))

    for s in seeds:
        reach(s["payee_id"], s["day"], min(s["day"] + timedelta(days=max_days), until))
    flows: dict[str, dict] = {}
    for _ in range(max_hops - 1):
        if not frontier:
            break
        rows, frontier = [{"id": k, "lo": lo, "hi": hi} for k, (lo, hi) in sorted(frontier.items())], {}
        for r in rows:
            span[r["id"]] = (r["lo"], r["hi"])
        for chunk in _chunks(rows):
            for f in graph.read("detectors/money_loop_onward", {"rows": chunk}):
                f = {**f, "day": native(f["day"])}
                flows[f["pay_id"]] = f
                if not f["payee_is_person"]:
                    reach(f["payee_id"], f["day"], span[f["payer_id"]][1])
    return [flows[k] for k in sorted(flows)]


def chain_approvers(graph: GraphClient, payments: set[str], max_hops: int,
                    max_days: int) -> set[str]:
    """The approvers of every seed of a chain of at most ``max_hops`` payments that
    holds one of ``payments`` (a superset: approvers of the payments walked past too)."""
    approvers: set[str] = set()
    lows: dict[str, date] = {}           # payment -> earliest day a chain before it can start
    frontier: list[str] = sorted(payments)
    for step in range(max_hops):
        found = set()
        for chunk in _chunks(frontier):
            for r in graph.read("incremental/payment_approvers", {"ids": chunk}):
                approvers.update(r["approvers"])
                if step == 0:
                    for pid, day in r["dates"]:
                        lows[pid] = native(day) - timedelta(days=max_days)
        if step == max_hops - 1:
            break
        for chunk in _chunks(frontier):
            rows = [{"id": p, "lo": lows[p]} for p in chunk if p in lows]
            for r in graph.read("incremental/payments_upstream", {"rows": rows}):
                for pid, _day, earlier, _eday in r["rows"]:
                    lo = lows[pid]
                    if earlier not in lows or lo < lows[earlier]:
                        lows[earlier] = lo
                        found.add(earlier)
        frontier = sorted(found)
        if not frontier:
            break
    return approvers


def scope_after(nav, changes: Changes, config: dict) -> frozenset[str]:
    """The approvers whose money loops the ``changes`` can have made or unmade (see the
    module docstring); ``nav`` is a ``riskgraph.incremental.Navigator``."""
    t = config["thresholds"]
    payments = set(changes.nodes.get(PAYMENT, ()))
    for rel_type in PAYMENT_EDGES:
        payments.update(src for src, _, _, _ in changes.edges.get(rel_type, ()))
    found = chain_approvers(nav.graph, payments, t["max_hops"], t["max_days"])
    # A payment re-pointed to another payer or payee no longer leads back to the loops
    # it was part of: their approvers are re-checked from the findings.
    for subjects, _ in nav.findings_holding(NAME, payments):
        found.update(subjects)
    reach = Reach.from_config(config.get("incremental"))
    seeds: dict[str, int] = {}
    for label, ids in changes.nodes.items():
        if label == PERSON and label in reach.relatives:
            for pid in ids:
                seeds[pid] = max(seeds.get(pid, 0), reach.relatives[label])
    for rel_type, rows in changes.edges.items():
        if rel_type in reach.relatives:
            for src, _, dst, _ in rows:
                for pid in (src, dst):
                    seeds[pid] = max(seeds.get(pid, 0), reach.relatives[rel_type])
    if seeds:
        found.update(nav.within(seeds) & nav.skeleton().approvers)
    return frozenset(found)
