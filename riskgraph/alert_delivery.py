"""Sending alerts: a signed JSON webhook and e-mail over SMTP, with tries counted.

Each ``AlertDelivery`` row is one alert to one target. ``attempt`` makes one try and
records it (``attempts``, ``last_error``, ``status``); it returns the delay before the
next try, or None when there is none to make (delivered, or the last try failed). The
caller schedules that retry (the scheduler does it with a persisted one-off job, so
retries survive a restart).

Webhook: ``POST`` of the alert as JSON (UTF-8), with the header
``X-Riskgraph-Signature: sha256=<hex HMAC-SHA256 of the body>`` keyed by
``RISKGRAPH_WEBHOOK_SECRET``. A receiver checks it with :func:`signature`.

E-mail: one message per alert (``mode: immediate``), or with ``mode: daily`` one digest
per recipient grouping every pending alert (:func:`send_digests`).

>>> signature(b"secret", b'{"id": 1}')
'sha256=1e6682e01c3ca0a6befc0e969b7a132c4caa266bfeb4323372a3cd3bb352dc3a'
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import urllib.request
from collections import defaultdict
from datetime import datetime
from email.message import EmailMessage

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from riskgraph.alerts_config import AlertsConfig
from riskgraph.alerts_config import Channel as ChannelConfig
from riskgraph.levels import SEVERITY_ZH
from riskgraph.store import Alert, AlertDelivery, session_scope
from riskgraph.store.vocab import Channel, DeliveryStatus

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Riskgraph-Signature"


class DeliveryError(RuntimeError):
    pass


def signature(secret: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def payload(cfg: AlertsConfig, alert: Alert, delivery_id: int) -> dict:
    return {"delivery_id": delivery_id, "alert_id": alert.id, "kind": str(alert.kind),
            "severity": str(alert.severity), "finding_id": alert.finding_id,
            "person_id": alert.person_id, "text": alert.text,
            "link": cfg.link(alert.finding_id), "created_at": alert.created_at.isoformat()}


def post_webhook(channel: ChannelConfig, body: dict) -> None:
    if not channel.secret:
        raise DeliveryError("未设置环境变量RISKGRAPH_WEBHOOK_SECRET，拒绝发送未签名的推送")
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
    request = urllib.request.Request(
        channel.options["url"], data=data, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8",
                 SIGNATURE_HEADER: signature(channel.secret.encode("utf-8"), data)})
    with urllib.request.urlopen(request, timeout=channel.timeout) as response:
        if not 200 <= response.status < 300:
            raise DeliveryError(f"HTTP {response.status}")


def send_mail(channel: ChannelConfig, to: str, subject: str, text: str) -> None:
    opts = channel.options
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = opts["sender"], to, subject
    message.set_content(text)
    with smtplib.SMTP(opts["host"], opts["port"], timeout=channel.timeout) as smtp:
        if opts["starttls"]:
            smtp.starttls()
        if opts["username"]:
            smtp.login(opts["username"], channel.secret)
        smtp.send_message(message)


def subject_of(alert: Alert) -> str:
    return f"[riskgraph] {SEVERITY_ZH[alert.severity]}风险预警：{alert.text[:40]}"


def _record(delivery: AlertDelivery, channel: ChannelConfig, error: Exception | None,
            now: datetime) -> int | None:
    delivery.attempts += 1
    if error is None:
        delivery.status, delivery.delivered_at, delivery.last_error = DeliveryStatus.DELIVERED, now, None
        return None
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    if delivery.attempts >= channel.max_attempts:
        delivery.status = DeliveryStatus.FAILED
        log.error("delivery %s to %s failed for good after %s tries: %s", delivery.id,
                  delivery.target, delivery.attempts, delivery.last_error)
        return None
    log.warning("delivery %s to %s failed (try %s): %s", delivery.id, delivery.target,
                delivery.attempts, delivery.last_error)
    return channel.delay(delivery.attempts)


def attempt(sessions: sessionmaker[Session], cfg: AlertsConfig, delivery_id: int,
            now: datetime) -> int | None:
    """Try delivery ``delivery_id`` once; the seconds until the next try, or None."""
    with session_scope(sessions) as session:
        delivery = session.get(AlertDelivery, delivery_id)
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return None
        if delivery.channel == Channel.EMAIL and cfg.digest:
            return None                  # waits for the daily digest
        alert = delivery.alert
        channel = cfg.webhook if delivery.channel == Channel.WEBHOOK else cfg.email
        error = None
        try:
            if delivery.channel == Channel.WEBHOOK:
                post_webhook(channel, payload(cfg, alert, delivery.id))
            else:
                send_mail(channel, delivery.target, subject_of(alert), alert.text)
        except Exception as exc:  # any failure of the far end is one failed try
            error = exc
        return _record(delivery, channel, error, now)


def pending(sessions: sessionmaker[Session], alert_ids: list[int] | None = None) -> list[int]:
    """Pending webhook/e-mail deliveries (of the given alerts), oldest first."""
    with session_scope(sessions) as session:
        query = sa.select(AlertDelivery.id).where(AlertDelivery.status == DeliveryStatus.PENDING)
        if alert_ids is not None:
            query = query.where(AlertDelivery.alert_id.in_(alert_ids))
        return list(session.scalars(query.order_by(AlertDelivery.id)))


def send_digests(sessions: sessionmaker[Session], cfg: AlertsConfig, now: datetime) -> dict[str, int]:
    """One e-mail per recipient listing its pending alerts; returns alerts per recipient
    sent. A recipient whose message fails keeps its deliveries pending (next digest)."""
    sent: dict[str, int] = {}
    with session_scope(sessions) as session:
        rows = session.scalars(sa.select(AlertDelivery).where(
            AlertDelivery.channel == Channel.EMAIL,
            AlertDelivery.status == DeliveryStatus.PENDING).order_by(AlertDelivery.id)).all()
        by_target: dict[str, list[AlertDelivery]] = defaultdict(list)
        for d in rows:
            by_target[d.target].append(d)
        for target, deliveries in by_target.items():
            lines = [f"{i}. {d.alert.text}" for i, d in enumerate(deliveries, 1)]
            text = (f"截至{now.astimezone().strftime('%Y-%m-%d %H:%M')}，共有{len(deliveries)}条新的"
                    f"风险预警：\n\n" + "\n".join(lines))
            subject = f"[riskgraph] 每日风险预警汇总（{len(deliveries)}条）"
            error = None
            try:
                send_mail(cfg.email, target, subject, text)
            except Exception as exc:  # the far end failed: keep them for the next digest
                error = exc
            for d in deliveries:
                _record(d, cfg.email, error, now)
            if error is None:
                sent[target] = len(deliveries)
    return sent
