"""Fixture data for the meeting / integrity / dossier tests: users of every role, and
findings made by the real code paths (a detector run on a Kit graph, and
``riskgraph.findings.apply_hits`` for a two-faced finding whose detector is not here)."""

from __future__ import annotations

from datetime import date

from detectorkit import city_counties, run_detector
from graphkit import Kit

from riskgraph.detectors.base import Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.findings import apply_hits
from riskgraph.idcodes import resident_id_check_char
from riskgraph.store import Finding, Meeting, Run, User, session_scope
from riskgraph.store.vocab import ReviewStatus, Role, RunTrigger, Severity

AS_OF = date(2025, 12, 31)


def rid(first17: str) -> str:
    """A valid resident ID number from 17 digits."""
    return first17 + resident_id_check_char(first17)


HOME = rid("36012119700101001")    # county head at home: a region_avoidance finding
CITY = rid("36012119710202002")    # city head from a county of the city: another one
TWO = rid("36012119720303003")     # has a confirmed two-faced finding
PET = rid("36012119730404004")     # has a substantiated petition
CLEAN = rid("36012119740505005")   # nothing against them

USERS = {
    "sec": (Role.MEETING_SECRETARY, "王秘书"),
    "org": (Role.ORG_OFFICER, "组织部李科长"),
    "org2": (Role.ORG_OFFICER, "组织部赵干事"),
    "insp": (Role.INSPECTOR, "纪委周主任"),
    "insp2": (Role.INSPECTOR, "纪委吴干事"),
    "admin": (Role.ADMIN, "管理员"),
    "auditor": (Role.AUDITOR, "审计员"),
}


def make_users(store) -> dict[str, User]:
    with session_scope(store) as s:
        users = {name: User(username=name, display_name=display, password_hash="x", role=role)
                 for name, (role, display) in USERS.items()}
        s.add_all(users.values())
    return users


def county_graph(graph) -> None:
    kit = Kit(graph)
    city_counties(kit)
    kit.add("Organization", id="CITY_PS", name="甲市公安局", kind="public_security",
            level="city", region="C1")
    kit.add("Organization", id="K1_GOV", name="乙县人民政府", kind="government",
            level="county", region="K1")
    for post, org in [("P_GOV", "K1_GOV"), ("P_CITY", "CITY_PS")]:
        kit.add("Post", id=post, name="局长" if post == "P_CITY" else "县长", org=org,
                rank="division", category="leadership", is_head=True, in_leadership=True)
    people = {HOME: ("张建国", "K1", "P_GOV"), CITY: ("李明", "K2", "P_CITY")}
    for pid, (name, home, post) in people.items():
        kit.add("Cadre", id=pid, name=name, gender="M", birth_date="1970-01-01",
                managed_by="K1_GOV", rank="division", grew_up_in=home)
        kit.add("Occupancy", person=pid, post=post, start_date="2023-01-01")
    for pid, name in [(TWO, "王二"), (PET, "陈四"), (CLEAN, "刘五")]:
        kit.add("Cadre", id=pid, name=name, gender="M", birth_date="1972-03-03",
                managed_by="K1_GOV", rank="division", grew_up_in="K2")
    kit.add("Petition", id="XF1", about=PET, received="2024-05-01", category="corruption",
            outcome="substantiated", signed=True, summary="反映其收受工程老板礼金")
    kit.add("Petition", id="XF2", about=CLEAN, received="2019-05-01", category="work_style",
            outcome="unsubstantiated", summary="反映其违规接受宴请")
    kit.add("Petition", id="XF3", about=HOME, received="2025-06-01", category="personnel",
            outcome="pending", summary="反映其在干部选拔中打招呼")
    kit.write()


TWO_FACED = Detector(
    name="declaration_gap", title="个人有关事项报告不实", family="two_faced",
    rule="报告的房产少于登记的房产", citation="领导干部报告个人有关事项规定 第三条",
    version="1", run=lambda ctx: [])


def two_faced_finding(store) -> int:
    """A two-faced (declaration_gap) finding about TWO, confirmed by a reviewer."""
    ev = Evidence()
    ev.node("Person", TWO, "王二", source="cadres.csv:4")
    ev.node("RealEstate", "RE1", "幸福里3栋101", source="real_estate.csv:2")
    ev.node("Declaration", "D2024", "2024年度报告", source="declarations.csv:9")
    ev.edge("HELD_BY", "RE1", TWO, start=date(2021, 3, 1), source="real_estate.csv:2")
    ev.edge("DECLARED_BY", "D2024", TWO, source="declarations.csv:9")
    ev.note("2024年度报告未填报幸福里3栋101房产（120平方米）")
    hit = Hit([Entity("Person", TWO, "王二"), Entity("RealEstate", "RE1")], [TWO], ["K1_GOV"],
              "王二隐瞒不报房产", "王二2024年度个人有关事项报告未报告其名下房产一处。", ev,
              date=date(2025, 1, 31))
    with session_scope(store) as s:
        run = Run(sweep_id="t", detector=TWO_FACED.name, rule_version="1",
                  trigger=RunTrigger.MANUAL, as_of=AS_OF)
        s.add(run)
        s.flush()
        apply_hits(s, TWO_FACED, run.id, [hit], Severity.HIGH)
        s.flush()
        finding = s.query(Finding).filter_by(detector="declaration_gap").one()
        finding.review_status = ReviewStatus.CONFIRMED
        return finding.id


def region_findings(graph, store, settings) -> dict[str, int]:
    """Run region_avoidance on the county graph: finding id per subject (HOME, CITY)."""
    run_detector(graph, store, settings, "region_avoidance", AS_OF)
    with session_scope(store) as s:
        return {f.subject_ids[0]: f.id for f in s.query(Finding).filter_by(detector="region_avoidance")}


def draft_meeting(s, users, findings) -> Meeting:
    """A draft meeting with a finding item (HOME's) and a cadre item (CITY)."""
    from riskgraph import meetings

    u = users
    m = meetings.create_meeting(
        s, u["sec"], title="2025年第4次干部监督会商会", date=date(2025, 12, 20),
        participants=[{"user_id": u["org"].id}, {"user_id": u["insp"].id},
                      {"name": "审计局列席代表", "unit": "县审计局", "side": "discipline"}])
    meetings.add_item(s, u["sec"], m.id, "finding", findings[HOME])
    meetings.add_item(s, u["sec"], m.id, "cadre", CITY)
    return m


def discuss(s, users, first: int, second: int) -> None:
    """Both opinions and a decision on each of the two items of a circulated meeting:
    talk_inquiry on ``first``, close on ``second``."""
    from riskgraph import meetings

    u = users
    meetings.record_opinion(s, u["org"], first, "建议暂缓提拔，由纪委先行谈话")
    meetings.record_opinion(s, u["insp"], first, "地域回避问题属实，建议谈话函询")
    meetings.record_opinion(s, u["org"], second, "属“一般不得”情形，建议予以了结")
    meetings.record_opinion(s, u["insp"], second, "同意组织部门意见")
    meetings.record_decision(s, u["sec"], first, "talk_inquiry", "县纪委第二监督检查室",
                             date(2026, 1, 31))
    meetings.record_decision(s, u["sec"], second, "close", "市委组织部干部监督科", None)


def signed_meeting(store, users, findings) -> int:
    """A meeting with a finding item and a cadre item, both opinions, decisions, both
    signatures and one later entry."""
    from riskgraph import meeting_signoff, meetings

    u = users
    with session_scope(store) as s:
        m = draft_meeting(s, users, findings)
        meetings.circulate(s, u["sec"], m.id)
        first, second = m.items
        discuss(s, users, first.id, second.id)
        meeting_signoff.sign(s, u["org"], m.id)
        meeting_signoff.sign(s, u["insp"], m.id)
        meeting_signoff.add_entry(s, u["sec"], m.id, "经谈话核实，本人已提出交流申请，改为暂存待查",
                                  first.id, decision="hold", owner="县纪委第二监督检查室")
        return m.id
