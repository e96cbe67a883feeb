"""Fixture data for the integrity-opinion web and browser tests, on the web tests'
generated data (tests/webkit.py): candidates whose drafts are an objection (a confirmed
two-faced finding: one-vote veto), notes (an open finding) and no objection (nothing on
file), and users of narrow scope.

The veto comes from a real finding of the sweep: the single-subject finding of a
two-faced detector that the other web tests do not use, confirmed through the review
service as a discipline officer would."""

from __future__ import annotations

from dataclasses import dataclass

from webkit import PASSWORD

from riskgraph.store.vocab import Role


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class Cast:
    veto: Person            # a confirmed two-faced finding: objection, 一票否决
    veto_finding: int
    notes: Person           # an open (new) finding: with notes
    notes_finding: int
    clean: Person           # nothing on file: no objection
    narrow_root: str        # the organisation of the narrow users' scope


def names(graph, ids: list[str]) -> dict[str, str]:
    return {r["person_id"]: r["name"] for r in graph.read("integrity/candidate_records", {"ids": ids})}


def csv_bytes(people: list[Person], header: str = "序号,姓名,身份证号") -> bytes:
    lines = [header] + [f"{i},{p.name},{p.id}" for i, p in enumerate(people, start=1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def cast(web) -> Cast:
    """Confirm the veto finding (once) and pick the three candidates."""
    from riskgraph.access import resolve_scope
    from riskgraph.integrity_rules import integrity_rules
    from riskgraph.services import review
    from riskgraph.services.users import add_user, by_name
    from riskgraph.store import Finding, FindingSubject, User, session_scope

    veto_detectors = set(integrity_rules()["veto"]["detectors"])
    taken = {web.in_scope_finding, web.out_scope_finding}
    with session_scope(web.sessions) as s:
        found = [f for f in s.query(Finding).order_by(Finding.id) if f.id not in taken]
        veto = min((f for f in found if f.detector in veto_detectors and len(f.subject_ids) == 1),
                   key=lambda f: f.id)
        if veto.review_status != "confirmed":
            review.act(s, veto, s.get(User, web.users["insp"]), "confirm", veto.version,
                       comment="经核实属实")
        notes = next(f for f in found if f.detector not in veto_detectors
                     and len(f.subject_ids) == 1 and f.review_status == "new")
        subjects = {pid for (pid,) in s.query(FindingSubject.person_id)}
        root = s.get(Finding, web.in_scope_finding).org_ids[0]
        veto_id, veto_pid, notes_id, notes_pid = veto.id, veto.subject_ids[0], notes.id, notes.subject_ids[0]
        for name, role in (("org_narrow", Role.ORG_OFFICER), ("insp_narrow", Role.INSPECTOR)):
            if by_name(s, name) is None:
                add_user(s, name, PASSWORD, role, f"{name}用户", [root])
    everyone = resolve_scope(web.graph, ["*"])
    records = web.graph.read("integrity/candidate_records", {"ids": sorted(everyone.cadre_ids)})
    clean = next(r for r in records if r["person_id"] not in subjects
                 and not any(p and p.get("id") for p in r["petitions"]))
    named = names(web.graph, [veto_pid, notes_pid])
    return Cast(Person(veto_pid, named[veto_pid]), veto_id, Person(notes_pid, named[notes_pid]),
                notes_id, Person(clean["person_id"], clean["name"]), root)
