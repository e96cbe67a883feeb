"""Alerts end to end: raised by scheduled runs on the real graph, routed to inboxes by
role and scope, delivered to a real HTTP receiver and a real SMTP server on 127.0.0.1
(both started here), retried while the receiver is down, never raised twice."""

from __future__ import annotations

import hmac
import json
import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from schedkit import (  # noqa: F401 (fixtures clock, services)
    START,
    alert_settings,
    clock_fixture,
    free_port,
    home_heads,
    make_service,
    services_fixture,
)

from riskgraph import alerts, detectors
from riskgraph.alert_delivery import SIGNATURE_HEADER, signature
from riskgraph.store import (
    Alert,
    AlertDelivery,
    Finding,
    InboxItem,
    User,
    session_scope,
)
from riskgraph.store.vocab import DeliveryStatus, Role

pytestmark = pytest.mark.integration
REGION = detectors.get("region_avoidance")
SECRET = "测试密钥-webhook"
ENV = {"RISKGRAPH_WEBHOOK_SECRET": SECRET}


class Receiver:
    """A webhook endpoint on 127.0.0.1 that checks the signature of what it gets."""

    def __init__(self, port: int = 0, status: int = 200):
        self.got: list[dict] = []
        self.bad_signatures = 0
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = signature(SECRET.encode(), body)
                if hmac.compare_digest(expected, self.headers.get(SIGNATURE_HEADER, "")):
                    outer.got.append(json.loads(body))
                else:
                    outer.bad_signatures += 1
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                    policy=email_policy)))
        return "250 OK"

    def __init__(self):
        self.messages = []


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


def channels(url: str, port: int, **email) -> dict:
    return alert_settings(
        webhook={"url": url, "max_attempts": 3, "delays_seconds": [60, 300], "timeout_seconds": 5},
        email={"host": "127.0.0.1", "port": port, "from": "riskgraph@test.local",
               "to": ["jiwei@test.local", "zuzhi@test.local"], "max_attempts": 3,
               "delays_seconds": [60], **email})


def users(store) -> dict[str, int]:
    with session_scope(store) as session:
        rows = [User(username="in_scope", display_name="纪检甲", password_hash="x",
                     role=Role.INSPECTOR, scope_org_ids=["CITY_ORG"]),
                User(username="elsewhere", display_name="纪检乙", password_hash="x",
                     role=Role.INSPECTOR, scope_org_ids=["OTHER_ORG"]),
                User(username="officer", display_name="组织甲", password_hash="x",
                     role=Role.ORG_OFFICER, scope_org_ids=["ORG_HOME"]),
                User(username="auditor", display_name="审计", password_hash="x",
                     role=Role.AUDITOR, scope_org_ids=["CITY_ORG"])]
        session.add_all(rows)
        session.flush()
        return {u.username: u.id for u in rows}


def start(services, graph, store, settings, clock, alerts_data):
    service = make_service(graph, store, settings, clock, [REGION], alerts_data=alerts_data,
                           environ=ENV)
    service.start()
    services.append(service)
    return service


def nightly(service, clock, day: int = 0):
    clock.set(START.replace(hour=2, minute=1) + timedelta(days=day))
    assert service.run_pending(30)


def test_a_new_finding_reaches_inbox_webhook_and_mail_once(graph, store, settings, clock,
                                                           services, receiver, mailbox):
    home_heads(graph)
    ids = users(store)
    service = start(services, graph, store, settings, clock, channels(receiver.url, mailbox.port))
    nightly(service, clock)

    with session_scope(store) as session:
        [alert] = session.scalars(sa.select(Alert)).all()
        finding = session.get(Finding, alert.finding_id)
        inbox = sorted(session.scalars(sa.select(InboxItem.user_id)))
        deliveries = session.scalars(sa.select(AlertDelivery)).all()
    link = f"http://127.0.0.1:8080/findings/{finding.id}"
    assert alert.dedupe_key == f"new_finding:{finding.id}"
    for part in ("干部干部HOME", "地域回避", "严重程度：严重", link):
        assert part in alert.text
    assert inbox == sorted([ids["in_scope"], ids["officer"]])     # role and scope both count
    assert {(d.channel, d.status, d.attempts) for d in deliveries} == {
        ("webhook", DeliveryStatus.DELIVERED, 1), ("email", DeliveryStatus.DELIVERED, 1)}
    assert len(deliveries) == 3                                   # webhook + two recipients

    assert receiver.bad_signatures == 0 and len(receiver.got) == 1
    body = receiver.got[0]
    assert (body["alert_id"], body["finding_id"], body["severity"], body["link"]) == (
        alert.id, finding.id, "high", link)
    assert sorted(r for rcpts, _ in mailbox.messages for r in rcpts) == [
        "jiwei@test.local", "zuzhi@test.local"]
    message = mailbox.messages[0][1]
    assert "严重风险预警" in message["Subject"] and link in message.get_content()

    # The next nights see the same finding again: nothing is raised or sent twice.
    nightly(service, clock, day=1)
    nightly(service, clock, day=2)
    with session_scope(store) as session:
        assert session.scalar(sa.select(sa.func.count(Alert.id))) == 1
        assert alerts.raise_for_run(session, service.runtime.alerts, finding.first_seen_run_id,
                                    None) == []
    assert len(receiver.got) == 1 and len(mailbox.messages) == 2


def test_webhook_is_retried_while_the_receiver_is_down(graph, store, settings, clock,
                                                       services, mailbox):
    home_heads(graph)
    port = free_port()                                   # nothing listens there yet
    service = start(services, graph, store, settings, clock,
                    channels(f"http://127.0.0.1:{port}/hook", mailbox.port))
    nightly(service, clock)

    def webhook() -> AlertDelivery:
        with session_scope(store) as session:
            return session.scalars(sa.select(AlertDelivery).where(
                AlertDelivery.channel == "webhook")).one()

    first = webhook()
    assert (first.status, first.attempts) == (DeliveryStatus.PENDING, 1)
    assert "Connection refused" in first.last_error or "URLError" in first.last_error
    assert service.scheduler.get_job(f"delivery:{first.id}") is not None

    receiver = Receiver(port)                            # the receiver comes back
    try:
        clock.advance(seconds=30)
        service.run_pending(10)
        assert receiver.got == []                        # the back-off is 60 s
        clock.advance(seconds=31)
        service.run_pending(10)
        done = webhook()
        assert (done.status, done.attempts, done.last_error) == (DeliveryStatus.DELIVERED, 2, None)
        assert len(receiver.got) == 1 and receiver.bad_signatures == 0
        assert receiver.got[0]["delivery_id"] == first.id
    finally:
        receiver.close()


def test_a_failing_receiver_is_given_up_after_the_last_try(graph, store, settings, clock,
                                                           services, mailbox):
    home_heads(graph)
    receiver = Receiver(status=500)
    try:
        service = start(services, graph, store, settings, clock,
                        channels(receiver.url, mailbox.port))
        nightly(service, clock)
        for seconds in (61, 301, 400):
            clock.advance(seconds=seconds)
            service.run_pending(10)
        with session_scope(store) as session:
            hook = session.scalars(sa.select(AlertDelivery).where(
                AlertDelivery.channel == "webhook")).one()
        assert (hook.status, hook.attempts) == (DeliveryStatus.FAILED, 3)
        assert "500" in hook.last_error and len(receiver.got) == 3
        assert [j.id for j in service.scheduler.get_jobs()] == ["detectors:avoidance"]
    finally:
        receiver.close()


def test_without_the_secret_nothing_unsigned_is_sent(graph, store, settings, clock, services,
                                                     receiver, mailbox):
    home_heads(graph)
    service = make_service(graph, store, settings, clock, [REGION],
                           alerts_data=channels(receiver.url, mailbox.port), environ={})
    service.start()
    services.append(service)
    nightly(service, clock)
    with session_scope(store) as session:
        hook = session.scalars(sa.select(AlertDelivery).where(
            AlertDelivery.channel == "webhook")).one()
    assert "RISKGRAPH_WEBHOOK_SECRET" in hook.last_error and receiver.got == []
    assert receiver.bad_signatures == 0


def test_daily_digest_groups_alerts_per_recipient(graph, store, settings, clock, services,
                                                  receiver, mailbox):
    home_heads(graph, cadres=("HOME", "HOME2", "HOME3"))
    data = channels(receiver.url, mailbox.port, mode="daily", digest_cron="0 8 * * *")
    service = start(services, graph, store, settings, clock, data)
    nightly(service, clock)
    assert mailbox.messages == [] and len(receiver.got) == 3     # webhook stays immediate

    clock.set(START.replace(hour=8, minute=0, second=5))
    service.run_pending(10)
    assert sorted(r for rcpts, _ in mailbox.messages for r in rcpts) == [
        "jiwei@test.local", "zuzhi@test.local"]
    for _, message in mailbox.messages:
        assert "每日风险预警汇总（3条）" in message["Subject"]
        text = message.get_content()
        assert all(f"干部{p}" in text for p in ("HOME", "HOME2", "HOME3"))
    with session_scope(store) as session:
        statuses = set(session.scalars(sa.select(AlertDelivery.status).where(
            AlertDelivery.channel == "email")))
    assert statuses == {DeliveryStatus.DELIVERED}


def test_a_rising_warning_level_raises_one_alert(graph, store, settings, clock, services,
                                                 receiver, mailbox):
    home_heads(graph, cadres=("HOME", "HOME2"))
    ids = users(store)
    service = start(services, graph, store, settings, clock,
                    channels(receiver.url, mailbox.port) | {"min_severity": "high", "level_rise": True})
    nightly(service, clock)      # two high findings: both cadres rise from green to red
    with session_scope(store) as session:
        found = {f.subject_ids[0]: f for f in session.scalars(sa.select(Finding))}
    runtime = service.runtime
    runtime.raise_level_alerts()
    runtime.raise_level_alerts()                              # again: nothing new
    with session_scope(store) as session:
        rises = {a.person_id: a for a in
                 session.scalars(sa.select(Alert).where(Alert.kind == "level_rise"))}
        rise = rises["HOME"]
        inbox = set(session.scalars(sa.select(InboxItem.user_id).where(InboxItem.alert_id == rise.id)))
    assert sorted(rises) == ["HOME", "HOME2"]                 # once each, not again
    assert rise.dedupe_key.startswith("level_rise:HOME:")
    assert "干部干部HOME的预警等级由绿色升为红色" in rise.text
    assert f"/findings/{found['HOME'].id}" in rise.text
    assert inbox == {ids["in_scope"]}                         # the level rule is inspectors'
    assert [b["kind"] for b in receiver.got].count("level_rise") == 2
