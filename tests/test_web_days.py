"""Day filters count whole days of the configured local time zone (Asia/Shanghai), not
UTC: a finding found at 07:30 Beijing time (23:30 UTC the day before) belongs to its
Beijing day, in the findings queue, the API, the audit search and the cadre timeline."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from webkit import web  # noqa: F401  (fixture)

from riskgraph.access import Scope
from riskgraph.services import audit as audit_service
from riskgraph.services import findings as finding_service
from riskgraph.store import AuditEntry, Finding, Run, session_scope

BEIJING = ZoneInfo("Asia/Shanghai")
EARLY = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)        # 2026-03-05 07:30 in Beijing
EVERYTHING = Scope(True, frozenset(), frozenset())


def day_filter(since, until, tz=BEIJING):
    return finding_service.FindingFilter(since=since, until=until, tz=tz, data_status="")


def test_findings_count_for_their_local_day(store):
    with session_scope(store) as s:
        run = Run(sweep_id="s0", detector="post_tenure", rule_version="1", trigger="manual",
                  as_of=date(2026, 3, 5))
        s.add(run)
        s.flush()
        s.add(Finding(key="early", detector="post_tenure", rule_version="1", severity="high",
                      title="早间发现", explanation="", first_seen_run_id=run.id,
                      last_seen_run_id=run.id, created_at=EARLY))
    day = date(2026, 3, 5)
    with store() as s:
        def keys(f):
            return [x.key for x in finding_service.list_findings(s, EVERYTHING, f)[0]]

        assert keys(day_filter(day, day)) == ["early"]
        assert keys(day_filter(None, date(2026, 3, 4))) == []
        assert keys(day_filter(date(2026, 3, 6), None)) == []
        # the same instant is on the 4th in UTC: the zone decides
        assert keys(day_filter(date(2026, 3, 4), date(2026, 3, 4), UTC)) == ["early"]
        with pytest.raises(ValueError, match="time zone"):
            keys(day_filter(day, day, None))


def test_audit_search_by_local_day(store):
    with session_scope(store) as s:
        s.add(AuditEntry(action="view", username="zhao", at=EARLY))
    with store() as s:
        def found(since, until):
            q = audit_service.AuditQuery(username="zhao", since=since, until=until, tz=BEIJING)
            return audit_service.search(s, q)[1]

        assert found(date(2026, 3, 5), date(2026, 3, 5)) == 1
        assert found(date(2026, 3, 4), date(2026, 3, 4)) == 0


@pytest.mark.integration
def test_queue_api_and_audit_pages_use_the_configured_zone(web):
    fid = web.in_scope_finding
    with session_scope(web.sessions) as s:
        f = s.get(Finding, fid)
        saved = f.created_at
        f.created_at = EARLY
        s.add(AuditEntry(action="view", username="day-probe", object_type="probe", at=EARLY))
    try:
        c = web.client("insp")

        def listed(since, until):
            items = c.get(f"/api/findings?data=&since={since}&until={until}").get_json()["items"]
            return fid in {i["id"] for i in items}

        assert listed("2026-03-05", "2026-03-05")
        assert not listed("2026-03-04", "2026-03-04")
        html = c.get("/findings/?data=&since=2026-03-05&until=2026-03-05").get_data(as_text=True)
        assert f'/findings/{fid}"' in html and "2026-03-05 07:30" in html
        a = web.client("auditor")
        url = "/audit/?username=day-probe&object_type=probe&since={0}&until={0}"
        assert "共 1 条" in a.get(url.format("2026-03-05")).get_data(as_text=True)
        assert "共 0 条" in a.get(url.format("2026-03-04")).get_data(as_text=True)
    finally:
        with session_scope(web.sessions) as s:
            s.get(Finding, fid).created_at = saved     # (the audit log is append-only: the probe stays)
