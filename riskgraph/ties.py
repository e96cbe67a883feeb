"""How persons are tied to a company on a given date: directly (shareholder, officer,
employee), through a chain of controlling shareholdings, through a company of theirs
that shares the company's address or phone, or through a nominee holding shares for
them (代持). Pure functions over a networkx graph fed by Cypher extractions.

The graph holds persons and companies as nodes (``label`` attribute) and the dated edges
into companies (``OWNS``, ``DIRECTOR_OF``, ``EMPLOYED_BY``, ``NOMINEE``) as a
``MultiDiGraph``; companies that share an address or phone are listed in
``g.graph["contacts"]``. A date belongs to an edge from its start (inclusive) to its end
(exclusive), like a marriage in ``riskgraph.kinship``.

>>> g = company_graph()
>>> add_node(g, "R", "Person"); add_node(g, "K1", "Company"); add_node(g, "W", "Company")
>>> add_step(g, Step("OWNS", "R", "K1", date(2015, 1, 1), None, percent=100))
>>> add_step(g, Step("OWNS", "K1", "W", date(2016, 1, 1), None, percent=60))
>>> add_step(g, Step("DIRECTOR_OF", "R", "W", date(2018, 1, 1), date(2020, 1, 1), role="director"))
>>> rules = TieRules(chain_max_hops=3, chain_above_percent=50)
>>> [(t.kind, t.person, t.extras) for t in ties_on(g, "W", date(2019, 6, 1), rules)]
[('direct', 'R', ()), ('chain', 'R', ('K1',))]
>>> [(t.kind, t.person, t.extras) for t in ties_on(g, "W", date(2020, 1, 1), rules)]
[('chain', 'R', ('K1',))]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import networkx as nx

from riskgraph.schema import default_schema

OWNS, DIRECTOR_OF, EMPLOYED_BY, NOMINEE, SHARES_CONTACT = (
    "OWNS", "DIRECTOR_OF", "EMPLOYED_BY", "NOMINEE_FOR", "SHARES_CONTACT")
KINDS = ("direct", "chain", "shared_contact", "nominee")
# Chinese names of company offices (法定代表人, 董事, ...): the ``director_role`` enum.
ROLE_ZH = default_schema().enums["director_role"]


@dataclass(frozen=True)
class Step:
    """One dated edge of a tie: ``src`` owns/directs/works for/holds for ``dst``.

    A ``NOMINEE_FOR`` step runs from the nominal holder to the company it holds shares
    of, with the beneficial owner in ``beneficiary``; a ``SHARES_CONTACT`` step joins two
    companies with the shared ``field`` (address or phone) and ``value``."""

    type: str
    src: str
    dst: str
    start: date | None = None
    end: date | None = None
    source: str | None = None
    role: str | None = None
    percent: float | None = None
    beneficiary: str | None = None
    field: str | None = None
    value: str | None = None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Tie:
    """``person`` is tied to ``company`` through ``steps`` (from the person's end);
    ``extras`` are the entities in between (chain companies, the contact-sharing company,
    the nominee holder)."""

    kind: str
    person: str
    company: str
    steps: tuple[Step, ...]
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class TieRules:
    """Which ties count (the thresholds come from a detector's config)."""

    kinds: tuple[str, ...] = KINDS
    direct_min_percent: float = 0.0
    director_roles: tuple[str, ...] = ("legal_rep", "director")
    employment: bool = True
    chain_max_hops: int = 3
    chain_above_percent: float = 50.0
    contact_max_companies: int = 20


def company_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.graph["contacts"] = defaultdict(dict)   # company -> {other company: Step}
    return g


def add_node(g: nx.MultiDiGraph, node: str, label: str, name: str = "",
             source: str | None = None) -> None:
    if node not in g:
        g.add_node(node, label=label, name=name or node, source=source)


def add_step(g: nx.MultiDiGraph, step: Step) -> None:
    """Add a dated edge (or, for ``SHARES_CONTACT``, the contact both ways)."""
    if step.type == SHARES_CONTACT:
        back = Step(SHARES_CONTACT, step.dst, step.src, field=step.field, value=step.value)
        g.graph["contacts"][step.dst].setdefault(step.src, step)
        g.graph["contacts"][step.src].setdefault(step.dst, back)
        return
    g.add_edge(step.src, step.dst, key=step, step=step)


def _in_steps(g: nx.MultiDiGraph, company: str, day: date):
    if company not in g:
        return
    for _, _, step in g.in_edges(company, data="step"):
        if step.holds_on(day):
            yield step


def _is_person(g: nx.MultiDiGraph, node: str) -> bool:
    return g.nodes[node].get("label") == "Person"


def _counts(step: Step, rules: TieRules, employment: bool) -> bool:
    """Whether a step makes its person a party with an interest in the company."""
    if step.type == OWNS:
        return (step.percent or 0) >= rules.direct_min_percent
    if step.type == DIRECTOR_OF:
        return step.role in rules.director_roles
    return step.type == EMPLOYED_BY and employment


def direct_ties(g: nx.MultiDiGraph, company: str, day: date, rules: TieRules,
                employment: bool = True) -> dict[str, list[Step]]:
    """Persons who own (at least the minimum share), are officers of (in the listed
    roles) or are employed by ``company`` on ``day``, each with the steps that tie them."""
    out: dict[str, list[Step]] = defaultdict(list)
    for step in _in_steps(g, company, day):
        if _is_person(g, step.src) and _counts(step, rules, employment and rules.employment):
            out[step.src].append(step)
    return dict(out)


def control_chains(g: nx.MultiDiGraph, company: str, day: date, max_hops: int,
                   above: float) -> list[tuple[Step, ...]]:
    """Chains of shareholdings of more than ``above`` percent each, from a person through
    one or more companies to ``company``, at most ``max_hops`` edges long, as they stood
    on ``day`` (each chain from the person's end).

    >>> g = company_graph()
    >>> for n, lab in [("R", "Person"), ("K1", "Company"), ("K2", "Company"), ("W", "Company")]:
    ...     add_node(g, n, lab)
    >>> add_step(g, Step("OWNS", "R", "K1", None, None, percent=100))
    >>> add_step(g, Step("OWNS", "K1", "K2", None, None, percent=51))
    >>> add_step(g, Step("OWNS", "K2", "W", None, None, percent=80))
    >>> [[s.src for s in c] for c in control_chains(g, "W", date(2020, 1, 1), 3, 50)]
    [['R', 'K1', 'K2']]
    >>> control_chains(g, "W", date(2020, 1, 1), 2, 50)   # one hop too long
    []
    """
    found: list[tuple[Step, ...]] = []

    def walk(node: str, tail: tuple[Step, ...]) -> None:
        for step in sorted(_in_steps(g, node, day), key=lambda s: (s.src, s.start or date.min)):
            if step.type != OWNS or (step.percent or 0) <= above:
                continue
            if any(step.src == s.dst for s in tail) or step.src == company:
                continue   # a cycle of cross-holdings
            chain = (step, *tail)
            if _is_person(g, step.src):
                if len(chain) >= 2:
                    found.append(chain)
            elif len(chain) < max_hops:
                walk(step.src, chain)

    walk(company, ())
    return found


def ties_on(g: nx.MultiDiGraph, company: str, day: date, rules: TieRules) -> list[Tie]:
    """Every tie of a person to ``company`` on ``day`` under ``rules``: one ``Tie`` per
    person and kind (direct), chain, contact-sharing company or nominee holding."""
    out: list[Tie] = []
    if "direct" in rules.kinds:
        for person, steps in sorted(direct_ties(g, company, day, rules).items()):
            out.append(Tie("direct", person, company, tuple(steps)))
    if "chain" in rules.kinds:
        for chain in control_chains(g, company, day, rules.chain_max_hops,
                                    rules.chain_above_percent):
            out.append(Tie("chain", chain[0].src, company, chain,
                           tuple(s.dst for s in chain[:-1])))
    if "shared_contact" in rules.kinds:
        for other, link in sorted(g.graph["contacts"].get(company, {}).items()):
            if len(g.graph["contacts"][other]) > rules.contact_max_companies:
                continue   # a registration agent's address or phone, shared by many
            for person, steps in sorted(direct_ties(g, other, day, rules, False).items()):
                out.append(Tie("shared_contact", person, company, (*steps, link), (other,)))
    if "nominee" in rules.kinds:
        for step in _in_steps(g, company, day):
            if step.type == NOMINEE and step.beneficiary:
                held = [s for s in _in_steps(g, company, day)
                        if s.type == OWNS and s.src == step.src]
                out.append(Tie("nominee", step.beneficiary, company, (step, *held), (step.src,)))
    return out
