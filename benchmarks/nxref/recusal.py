"""公务回避 in plain networkx.

An act in the look-back window (``as_of`` minus ``lookback_years``, both ends included):
an ACTED_ON a project or payment in one of ``act_roles`` (beneficiary: the project's
winner, the payment's payee), a payment's APPROVED_BY (on the payment's date, when
``payment_approvals``) or a DECIDED_ON of a ``personnel_matters`` kind (beneficiary: the
person it was about). It is a conflict when on the act's day the beneficiary is a
statutory relative of the actor, or a relative (not the actor) is tied to the
beneficiary company that day:
- direct: owns shares (≥ ``direct_min_percent``), is an officer in ``director_roles``,
  or (``employment``) is employed there;
- chain: controls it through shareholdings of more than ``chain_above_percent`` each,
  2..``chain_max_hops`` edges long, without passing a company twice;
- shared_contact: owns (≥ the minimum) or is an officer of a company with the same
  address or phone, unless that company shares its address or phone with more than
  ``contact_max_companies`` companies;
- nominee: a holder holds the company's shares for the relative (代持).
Entities: actor, relative, the beneficiary company (if the tie runs through one), the
project or payment (none for personnel matters), and the companies or holder between.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import networkx as nx
from nxgraph import in_edges, out_edges

from nxref.common import Kin, edges_of_type, holds_on, labels

TEMPLATES = {"persons", "cadres", "companies", "spouses", "parents", "siblings", "ownerships",
             "directorships", "employments", "nominees", "projects", "payments",
             "official_acts", "personnel_acts"}


def acts(g: nx.MultiDiGraph, scope: dict, since: date, day: date):
    """(actor, day, project/payment or None, beneficiary) of every act in the window."""
    roles, matters = set(scope["act_roles"]), set(scope["personnel_matters"])

    def beneficiary(target: str) -> str | None:
        rel = "AWARDED_TO" if "Project" in labels(g, target) else "PAID_TO"
        return next((b for b, _ in out_edges(g, target, rel)), None)

    for u, v, data in edges_of_type(g, "ACTED_ON", "DECIDED_ON", "APPROVED_BY"):
        if data["type"] == "ACTED_ON" and data["role"] in roles and since <= data["date"] <= day:
            yield u, data["date"], v, beneficiary(v)
        elif data["type"] == "DECIDED_ON" and data["matter"] in matters \
                and since <= data["date"] <= day:
            yield u, data["date"], None, v
        elif data["type"] == "APPROVED_BY" and scope["payment_approvals"]:
            paid = g.nodes[u]["date"]
            if since <= paid <= day:
                yield v, paid, u, beneficiary(u)


class Ties:
    """Who is tied to a company on a day, and how (the extras: companies or holder
    between the person and the company)."""

    def __init__(self, g: nx.MultiDiGraph, config: dict):
        scope, th = config["scope"], config["thresholds"]
        self.g = g
        self.kinds = set(scope["tie_kinds"])
        self.min_percent = float(th["direct_min_percent"])
        self.roles = set(scope["director_roles"])
        self.employment = bool(scope["employment"])
        self.max_hops = int(th["chain_max_hops"])
        self.above = float(th["chain_above_percent"])
        self.max_sharing = int(th["contact_max_companies"])
        self.companies: set[str] = set()
        self.by_contact: dict[tuple[str, str], set[str]] = defaultdict(set)
        for node, attrs in g.nodes(data=True):
            if "Company" in attrs.get("labels", ()):
                self.companies.add(node)
                for field in ("address", "phone"):
                    if attrs.get(field):
                        self.by_contact[field, attrs[field]].add(node)
        self.nominees: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
        for holder, beneficiary, data in edges_of_type(g, "NOMINEE_FOR"):
            self.nominees[data["company"]].append((holder, beneficiary, data))
        self._sharing: dict[str, set[str]] = {}

    def is_person(self, node: str) -> bool:
        return node not in self.companies

    def sharing(self, company: str) -> set[str]:
        """The other companies registered with the company's address or phone."""
        if company not in self._sharing:
            attrs = self.g.nodes[company]
            found = set()
            for field in ("address", "phone"):
                if attrs.get(field):
                    found |= self.by_contact[field, attrs[field]]
            self._sharing[company] = found - {company}
        return self._sharing[company]

    def direct(self, company: str, day: date, employment: bool) -> set[str]:
        out = set()
        for holder, data in in_edges(self.g, company, "OWNS"):
            if data["percent"] >= self.min_percent and holds_on(data, day):
                out.add(holder)
        for holder, data in in_edges(self.g, company, "DIRECTOR_OF"):
            if data["role"] in self.roles and holds_on(data, day):
                out.add(holder)
        if employment:
            out |= {h for h, data in in_edges(self.g, company, "EMPLOYED_BY") if holds_on(data, day)}
        return {h for h in out if self.is_person(h)}

    def chains(self, company: str, day: date) -> list[tuple[str, tuple[str, ...]]]:
        out = []

        def up(node: str, between: tuple[str, ...]) -> None:
            for holder, data in in_edges(self.g, node, "OWNS"):
                if data["percent"] <= self.above or not holds_on(data, day):
                    continue
                if holder == company or holder in between:
                    continue
                if self.is_person(holder):
                    if between:
                        out.append((holder, between))
                elif len(between) + 2 <= self.max_hops:
                    up(holder, (holder, *between))

        up(company, ())
        return out

    def on(self, company: str, day: date) -> list[tuple[str, tuple[str, ...]]]:
        """(person, extras) for every tie of a person to ``company`` on ``day``."""
        out: list[tuple[str, tuple[str, ...]]] = []
        if "direct" in self.kinds:
            out += [(p, ()) for p in self.direct(company, day, self.employment)]
        if "chain" in self.kinds:
            out += self.chains(company, day)
        if "shared_contact" in self.kinds:
            for other in self.sharing(company):
                if len(self.sharing(other)) <= self.max_sharing:
                    out += [(p, (other,)) for p in self.direct(other, day, False)]
        if "nominee" in self.kinds:
            out += [(beneficiary, (holder,)) for holder, beneficiary, data
                    in self.nominees.get(company, ()) if holds_on(data, day)]
        return out


def rule(g: nx.MultiDiGraph, config: dict, day: date) -> set[frozenset[str]]:
    since = day - timedelta(days=round(config["thresholds"]["lookback_years"] * 365.25))
    family = Kin(g)
    ties = Ties(g, config)
    kin: dict[tuple[str, date], dict] = {}
    tied: dict[tuple[str, date], list] = {}

    def related(actor: str, person: str, on: date) -> bool:
        if person == actor or not family.same_family(actor, person):
            return False
        if (actor, on) not in kin:
            kin[actor, on] = family.relatives(actor, on)
        return person in kin[actor, on]

    found = set()
    for actor, on, target, beneficiary in acts(g, config["scope"], since, day):
        if beneficiary is None:
            continue
        extra = (target,) if target else ()
        if ties.is_person(beneficiary):
            if related(actor, beneficiary, on):
                found.add(frozenset({actor, beneficiary, *extra}))
            continue
        if (beneficiary, on) not in tied:
            tied[beneficiary, on] = ties.on(beneficiary, on)
        for person, between in tied[beneficiary, on]:
            if related(actor, person, on):
                found.add(frozenset({actor, person, beneficiary, *extra, *between}))
    return found
