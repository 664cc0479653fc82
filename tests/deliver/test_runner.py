"""Digests go out on each reader's schedule, in their time zone, once per slot, through a
real SMTP server; failures are retried or recorded, never sent twice."""

from __future__ import annotations

import email
import email.policy
import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from newsroom import Newsroom
from smtp_sink import SmtpTestServer

from handpicked.deliver.outbox import Outbox
from handpicked.deliver.runner import Deliverer, DeliveryNotConfigured, smtp_config
from handpicked.settings import Settings
from handpicked.store import ReaderRecord, open_store


def settings_for(smtp: SmtpTestServer | None, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'unused.db'}",
        allow_private_networks=True,
        smtp_url=f"smtp://{smtp.host}:{smtp.port}" if smtp else None,
        mail_from="handpicked <digest@news.example>",
        base_url="https://news.example",
        secret_key_value="test-secret",
    )


def no_sleep(_seconds: float) -> None:
    return None


def messages(smtp: SmtpTestServer) -> list[EmailMessage]:
    return [email.message_from_bytes(r.content, policy=email.policy.default) for r in smtp.received]


def recipients(smtp: SmtpTestServer) -> list[str]:
    return [to for r in smtp.received for to in r.rcpt_tos]


def putin_reader(newsroom: Newsroom, email_address: str, **settings: str) -> ReaderRecord:
    reader = newsroom.reader(email_address, **settings)
    newsroom.follow(reader, "Putin")
    return reader


def test_a_due_digest_is_sent_once_with_both_parts(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Putin speaks", entities=[("Vladimir Putin", "person")], hours_ago=3)
    putin_reader(newsroom, "ann@example.com", time_zone="Europe/Berlin", schedule="daily 07:00")
    deliverer = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path), sleep=no_sleep)
    now = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)  # 07:30 in Berlin
    report = deliverer.run_once(now)
    assert (report.due, report.sent) == (1, 1)
    again = deliverer.run_once(now + timedelta(minutes=5))
    assert (again.due, again.sent) == (0, 0)
    [message] = messages(smtp_server)
    assert message["Subject"] == "Putin speaks"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    [delivery] = newsroom.store.deliveries.list()
    assert (delivery.state, delivery.period) == ("sent", "2026-11-25T06:00Z")
    assert delivery.message_id == message["Message-ID"]


def test_slots_follow_local_time_across_daylight_saving(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    """Berlin moves its clocks on 29 March 2026: 07:00 local is 06:00 UTC before, 05:00 after.
    New York moved on 8 March; its 07:00 is 11:00 UTC all along this week."""
    newsroom.now = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    berlin = putin_reader(newsroom, "berlin@example.com", time_zone="Europe/Berlin")
    york = putin_reader(newsroom, "york@example.com", time_zone="America/New_York")
    deliverer = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path), sleep=no_sleep)
    start = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    _recreate(newsroom, [berlin, york], start)  # signed up now: their first slot is the next
    for hour in range(0, 4 * 24):
        now = start + timedelta(hours=hour, minutes=1)
        newsroom.now = now
        if hour % 6 == 0:
            newsroom.article(f"Putin {hour}", entities=[("Vladimir Putin", "person")],
                             hours_ago=0.5)  # fmt: skip
        deliverer.run_once(now)
    periods = {
        reader.email: [d.period for d in reversed(newsroom.store.deliveries.list(reader.id))]
        for reader in (berlin, york)
    }
    assert periods["berlin@example.com"] == [
        "2026-03-28T06:00Z", "2026-03-29T05:00Z", "2026-03-30T05:00Z", "2026-03-31T05:00Z",
    ]  # fmt: skip
    assert periods["york@example.com"] == [
        "2026-03-28T11:00Z", "2026-03-29T11:00Z", "2026-03-30T11:00Z", "2026-03-31T11:00Z",
    ]  # fmt: skip
    assert sorted(recipients(smtp_server)) == ["berlin@example.com"] * 4 + ["york@example.com"] * 4


def _recreate(newsroom: Newsroom, readers: list[ReaderRecord], created: datetime) -> None:
    """Pretend the readers signed up at ``created``."""
    from sqlalchemy import update

    from handpicked.store.tables import ReaderRow

    with newsroom.store._sessions.write() as session:
        session.execute(
            update(ReaderRow)
            .where(ReaderRow.id.in_([r.id for r in readers]))
            .values(created_at=created)
        )


def test_a_story_is_sent_once_across_digests(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Putin day one", entities=[("Vladimir Putin", "person")], story="s",
                     hours_ago=2)  # fmt: skip
    putin_reader(newsroom, "ann@example.com", schedule="daily 05:00")
    deliverer = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path), sleep=no_sleep)
    deliverer.run_once(newsroom.now)
    newsroom.now += timedelta(days=1)
    newsroom.article("Putin day one, follow-up", entities=[("Vladimir Putin", "person")],
                     story="s", hours_ago=2)  # fmt: skip
    newsroom.article("Putin day two", entities=[("Vladimir Putin", "person")], hours_ago=2)
    deliverer.run_once(newsroom.now)
    first, second = messages(smtp_server)
    assert first["Subject"] == "Putin day one"
    assert second["Subject"] == "Putin day two"


def test_nothing_new_sends_nothing_and_says_why(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Cricket", topics=["sport"])
    putin_reader(newsroom, "ann@example.com", schedule="daily 05:00")
    report = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path)).run_once(newsroom.now)
    assert (report.due, report.sent, report.skipped) == (1, 0, 1)
    assert smtp_server.received == []
    [delivery] = newsroom.store.deliveries.list()
    assert delivery.state == "skipped"
    assert delivery.error and "matched what you follow" in delivery.error


def test_unsubscribed_readers_get_nothing(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Putin", entities=[("Vladimir Putin", "person")])
    reader = putin_reader(newsroom, "ann@example.com", schedule="daily 05:00")
    newsroom.store.readers.update(reader.id, unsubscribed_at=newsroom.now)
    report = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path)).run_once(newsroom.now)
    assert report.due == 0 and smtp_server.received == []


def test_temporary_failures_are_retried_later(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Putin", entities=[("Vladimir Putin", "person")])
    putin_reader(newsroom, "ann@example.com", schedule="daily 05:00")
    deliverer = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path), sleep=no_sleep)
    smtp_server.fail_rcpt("451 4.3.0 Try again later", times=3)
    first = deliverer.run_once(newsroom.now)
    assert (first.sent, first.retry_later) == (0, 1)
    [delivery] = newsroom.store.deliveries.list()
    assert delivery.state == "claimed" and delivery.error and "451" in delivery.error
    assert deliverer.run_once(newsroom.now + timedelta(minutes=1)).due == 0  # not yet
    later = deliverer.run_once(newsroom.now + timedelta(minutes=6))
    assert later.sent == 1
    assert recipients(smtp_server) == ["ann@example.com"]


def test_permanent_failures_are_recorded_not_retried(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Putin", entities=[("Vladimir Putin", "person")])
    putin_reader(newsroom, "gone@example.com", schedule="daily 05:00")
    deliverer = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path), sleep=no_sleep)
    smtp_server.fail_rcpt("550 5.1.1 No such user here", times=5)
    assert deliverer.run_once(newsroom.now).failed == 1
    assert deliverer.run_once(newsroom.now + timedelta(hours=1)).due == 0
    [delivery] = newsroom.store.deliveries.list()
    assert delivery.state == "failed"
    assert delivery.error and "No such user here" in delivery.error


def test_a_connection_lost_after_the_message_is_never_resent(
    newsroom: Newsroom, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    newsroom.article("Putin", entities=[("Vladimir Putin", "person")])
    putin_reader(newsroom, "ann@example.com", schedule="daily 05:00")
    deliverer = Deliverer(newsroom.store, settings_for(smtp_server, tmp_path), sleep=no_sleep)
    smtp_server.drop_during_data(times=1)
    assert deliverer.run_once(newsroom.now).uncertain == 1
    assert deliverer.run_once(newsroom.now + timedelta(hours=1)).due == 0
    assert len(smtp_server.received) == 1
    [delivery] = newsroom.store.deliveries.list()
    assert delivery.state == "uncertain"


def test_without_a_server_digests_go_to_the_local_outbox(
    newsroom: Newsroom, tmp_path: Path
) -> None:
    """No SMTP server set: the digest is still made on schedule, written to the outbox in the
    data folder, and recorded as sent, once."""
    newsroom.article("Putin", entities=[("Vladimir Putin", "person")])
    putin_reader(newsroom, "ann@example.com", schedule="daily 05:00")
    deliverer = Deliverer(newsroom.store, settings_for(None, tmp_path))
    report = deliverer.run_once(newsroom.now)
    assert (report.due, report.sent) == (1, 1)
    assert "outbox" in report.outcomes[0][2]
    assert deliverer.run_once(newsroom.now + timedelta(minutes=5)).due == 0

    [delivery] = newsroom.store.deliveries.list()
    assert delivery.state == "sent" and delivery.message_id
    outbox = Outbox(tmp_path / "outbox")
    [message] = outbox.messages()
    assert outbox.find(delivery.message_id) == message
    assert message.to == "ann@example.com"
    assert message.message_id == delivery.message_id
    assert "Putin" in message.subject
    assert "Putin" in (message.part("plain") or "")
    assert "<html" in (message.part("html") or "").lower()
    with pytest.raises(DeliveryNotConfigured, match="HANDPICKED_SMTP_URL"):
        smtp_config(settings_for(None, tmp_path))  # what needs a real server says so


def test_racing_runs_send_each_digest_once(
    database_url: str, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    """Two deliverers at once (two cron jobs, two servers) on SQLite and PostgreSQL."""
    store = open_store(database_url)
    try:
        newsroom = Newsroom(store)
        newsroom.article("Putin", entities=[("Vladimir Putin", "person")])
        for n in range(12):
            putin_reader(newsroom, f"reader{n}@example.com", schedule="daily 05:00")
        settings = settings_for(smtp_server, tmp_path)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                with open_store(database_url) as own:
                    Deliverer(own, settings, sleep=no_sleep).run_once(newsroom.now)
            except BaseException as error:  # surfaced below
                errors.append(error)

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert sorted(recipients(smtp_server)) == sorted(f"reader{n}@example.com"
                                                         for n in range(12))  # fmt: skip
    finally:
        store.close()
