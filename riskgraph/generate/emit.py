"""Write one finished block to the sink, in template order."""

from __future__ import annotations

from riskgraph.generate.model import Block
from riskgraph.generate.writer import Sink


def _person(p) -> dict:
    row = {"id": p.id, "name": p.name, "gender": p.gender, "birth_date": p.birth,
           "grew_up_in": p.origin, "phone": p.phone, "address": p.address,
           "abroad_country": p.abroad_country, "abroad_since": p.abroad_since}
    info = p.cadre
    if info is not None:
        row.update(rank=info.rank, managed_by=info.managed_by, party_member=info.party_member,
                   work_start=info.work_start, rank_since=info.rank_since)
    return row


def emit_block(b: Block, sink: Sink) -> None:
    sink.write("organizations", ({"id": o.id, "name": o.name, "kind": o.kind, "level": o.level,
                                  "parent": o.parent, "region": o.region,
                                  "regulates": list(o.regulates)} for o in b.orgs))
    sink.write("posts", ({"id": s.id, "name": s.name, "org": s.org.id, "rank": s.rank,
                          "category": s.category, "power_domains": list(s.domains),
                          "is_head": s.is_head, "in_leadership": s.in_leadership,
                          "reports_to": s.reports_to} for s in b.seats))
    sink.write("persons", (_person(p) for p in b.persons.values() if p.cadre is None))
    sink.write("cadres", (_person(p) for p in b.persons.values() if p.cadre is not None))
    sink.write("companies", ({"id": c.id, "name": c.name, "industry": c.industry, "region": c.region,
                              "address": c.address, "phone": c.phone,
                              "registered_capital": c.capital, "founded": c.founded,
                              "status": c.status} for c in b.companies))
    sink.write("occupancies", ({"person": person.id, "post": s.id, "start_date": start,
                                "end_date": end}
                               for s in b.seats for person, start, end in
                               sorted(s.occupants, key=lambda o: o[1])))
    for template in ("projects", "payments", "declarations", "declaration_items", "real_estate",
                     "trips", "petitions", "evaluations", "oversight_findings", "spouses",
                     "parents", "siblings", "ownerships", "directorships", "nominees",
                     "employments", "bids", "official_acts", "personnel_acts"):
        sink.write(template, b.rows.get(template, ()))
    sink.ground_truth(b.gt)
