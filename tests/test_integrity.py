"""Integrity-opinion replies: candidate lists (with row errors), drafting from findings
and petitions on the embedded database, the one-vote veto, signing and the audit."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from workflowkit import (
    AS_OF,
    CITY,
    CLEAN,
    HOME,
    PET,
    TWO,
    county_graph,
    make_users,
    region_findings,
    two_faced_finding,
)

from riskgraph import integrity
from riskgraph.authz import Locked, PermissionDenied, ServiceError
from riskgraph.candidates import CandidateFileError, read_candidates
from riskgraph.store import AuditEntry, IntegrityBatch, session_scope
from riskgraph.store.vocab import IntegrityResult


def test_bad_rows_are_reported_with_file_row_and_field(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text(f"序号,姓名,身份证号\n1,张三,{HOME}\n2,,{HOME[:-1]}0\n3,李四,{HOME}\n",
                    encoding="utf-8")
    with pytest.raises(CandidateFileError) as exc:
        read_candidates(path)
    assert [str(p) for p in exc.value.problems] == [
        "名单.csv 第3行 身份证号：校验码应为" + HOME[-1] + "，实为0",
        "名单.csv 第3行 姓名：不能为空",
        "名单.csv 第4行 身份证号：与第2行重复",
    ]
    path.write_text("姓名,单位\n张三,财政局\n", encoding="utf-8")
    with pytest.raises(CandidateFileError, match="第1行 身份证号：缺少此列"):
        read_candidates(path)


def test_an_empty_list_is_refused(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CandidateFileError, match="名单.csv 第1行 文件：文件为空"):
        read_candidates(path)
    path.write_text("姓名,身份证号\n", encoding="utf-8")
    with pytest.raises(CandidateFileError, match="名单.csv 第1行 文件：名单中没有人员"):
        read_candidates(path)


def test_xlsx_list(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号"])
    sheet.append(["王二", TWO])
    sheet.append([None, None])
    sheet.append(["陈四", PET.lower()])
    book.save(tmp_path / "c.xlsx")
    assert [(c.name, c.person_id, c.row) for c in read_candidates(tmp_path / "c.xlsx")] == [
        ("王二", TWO, 2), ("陈四", PET, 4)]


@pytest.mark.integration
def test_draft_veto_sign_and_audit(graph, store, settings):
    county_graph(graph)
    users = make_users(store)
    region = region_findings(graph, store, settings)
    veto_id = two_faced_finding(store)
    people = [{"姓名": "王二", "身份证号": TWO}, {"姓名": "陈四", "身份证号": PET},
              {"姓名": "刘五", "身份证号": CLEAN}, {"姓名": "张建国", "身份证号": HOME},
              {"姓名": "李敏", "身份证号": CITY}]
    with session_scope(store) as s:
        with pytest.raises(PermissionDenied):
            integrity.submit_batch(s, users["insp"], title="x", requesting_org="县委组织部",
                                   candidates=people)
        batch = integrity.submit_batch(s, users["org"], title="2026年1月拟提拔人选",
                                       requesting_org="县委组织部", candidates=people)
        with pytest.raises(PermissionDenied):
            integrity.draft_batch(s, graph, users["sec"], batch.id, as_of=AS_OF)
        integrity.draft_batch(s, graph, users["org"], batch.id, as_of=AS_OF)
        replies = {r.person_id: r for r in batch.replies}
        assert {pid: r.draft_result for pid, r in replies.items()} == {
            TWO: IntegrityResult.OBJECTION, PET: IntegrityResult.OBJECTION,
            CLEAN: IntegrityResult.NO_OBJECTION, HOME: IntegrityResult.WITH_NOTES,
            CITY: IntegrityResult.WITH_NOTES}
        assert replies[TWO].reasons[0]["effect"] == "veto"
        assert replies[TWO].reasons[0]["finding_id"] == veto_id
        assert "一票否决" in replies[TWO].reasons[0]["text"]
        assert replies[PET].reasons[0]["petition_id"] == "XF1"
        home = {r["kind"]: r for r in replies[HOME].reasons}
        assert home["finding"]["finding_id"] == region[HOME] and home["petition"]["effect"] == "notes"
        assert any("不一致" in r["text"] for r in replies[CITY].reasons)   # 李敏 vs 李明
        batch_id = batch.id
    with session_scope(store) as s:
        batch = s.get(IntegrityBatch, batch_id)
        replies = {r.person_id: r for r in batch.replies}
        with pytest.raises(PermissionDenied):
            integrity.sign_reply(s, users["org"], replies[CLEAN].id, "no_objection")
        with pytest.raises(ServiceError, match="一票否决"):
            integrity.sign_reply(s, users["insp"], replies[TWO].id, "with_notes", note="情节较轻")
        with pytest.raises(ServiceError, match="须填写说明"):
            integrity.sign_reply(s, users["insp"], replies[HOME].id, "no_objection")
        with pytest.raises(PermissionDenied, match="数据范围"):
            integrity.sign_reply(s, users["insp"], replies[CLEAN].id, "no_objection",
                                 can_see=lambda user, kind, obj: obj != CLEAN)
        integrity.sign_reply(s, users["insp"], replies[TWO].id, "objection")
        integrity.sign_reply(s, users["insp"], replies[CLEAN].id, "no_objection")
        integrity.sign_reply(s, users["insp"], replies[HOME].id, "no_objection",
                             note="地域回避问题已于会商中予以了结")
        with pytest.raises(Locked, match="已签署"):
            integrity.sign_reply(s, users["insp"], replies[TWO].id, "objection")
        assert replies[HOME].reasons[-1] == {"kind": "reviewer", "effect": "note",
                                             "text": "地域回避问题已于会商中予以了结",
                                             "by": "纪委周主任"}
        assert not integrity.batch_complete(batch)
    with session_scope(store) as s:
        rows = s.execute(sa.select(AuditEntry.action, AuditEntry.object_type)).all()
        assert rows.count(("integrity_draft", "integrity_reply")) == 5
        assert rows.count(("integrity_sign", "integrity_reply")) == 3
        assert ("integrity_submit", "integrity_batch") in rows


def test_draft_result_rules():
    from riskgraph.integrity_rules import FindingFacts, draft_reasons, integrity_rules

    rules = integrity_rules()
    facts = [FindingFacts(1, "region_avoidance", "new", "high", "地域回避"),
             FindingFacts(2, "region_avoidance", "confirmed", "high", "地域回避"),
             FindingFacts(3, "hidden_cluster", "assigned", "high", "隐秘关系")]
    reasons = draft_reasons(facts, [], rules, {"region_avoidance": "avoidance"}, date(2025, 1, 1))
    assert [(r["finding_id"], r["effect"]) for r in reasons] == [
        (2, "objection"), (1, "notes"), (3, "notes")]      # unconfirmed two-faced: no veto
    old = {"id": "XF9", "received": "2015-01-01", "outcome": "substantiated", "category": "other"}
    assert draft_reasons([], [old], rules, {}, date(2025, 1, 1)) == []   # older than 5 years
