"""Sending every digest that is due, once per reader and schedule slot, whatever happens.

A run: take back what a killed run left (its claimed digests are due again, the ones it was
handing to the SMTP server become "uncertain" and are not resent), find the readers whose
latest slot has no digest yet, claim each (reader, slot) in the ledger, build all their
digests from one pool, and send them over one SMTP connection. See
:mod:`handpicked.store.deliveries` for the ledger's states.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import make_msgid

from handpicked.claims import HOST, claimant, process_alive
from handpicked.deliver.email import compose_digest_email
from handpicked.deliver.links import Links
from handpicked.deliver.outbox import Outbox, OutboxSender
from handpicked.deliver.smtp import (
    MessageSender,
    PermanentFailure,
    SmtpConfig,
    SmtpSender,
    TemporaryFailure,
    UncertainDelivery,
    send_with_retries,
)
from handpicked.errors import HandpickedError
from handpicked.pick.digest import Digest
from handpicked.pick.digests import DigestBuilder, pool_for
from handpicked.pick.pool import Pool
from handpicked.schedule import (
    ScheduleError,
    latest_slot,
    previous_slot,
)
from handpicked.settings import Settings
from handpicked.store import DeliveryRecord, ReaderRecord, Store

MAX_WINDOW = timedelta(days=8)
"""The oldest news a digest reaches back for, however long the reader went without one."""
MAX_SEND_ATTEMPTS = 6
RETRY_BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
BATCH = 2000
"""Readers whose digests are built from one pool at a time (bounds memory)."""


class DeliveryNotConfigured(HandpickedError):
    """No SMTP server is configured; the message says how to set one."""


@dataclass
class DeliveryReport:
    """What one run did, for the CLI and the logs."""

    due: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry_later: int = 0
    uncertain: int = 0
    released: int = 0
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)
    """(email, state, detail) per digest handled."""

    def note(self, email: str, state: str, detail: str = "") -> None:
        self.outcomes.append((email, state, detail))

    def summary(self) -> str:
        parts = [f"{self.due} due", f"{self.sent} sent", f"{self.skipped} with nothing to send"]
        if self.retry_later:
            parts.append(f"{self.retry_later} to retry")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.uncertain:
            parts.append(f"{self.uncertain} uncertain (not resent)")
        return ", ".join(parts)


def smtp_config(settings: Settings) -> SmtpConfig:
    """The configured SMTP server, or a clear error saying how to configure one."""
    if not settings.smtp_url:
        raise DeliveryNotConfigured(
            "no SMTP server is set: export HANDPICKED_SMTP_URL=smtp://user:password@host:587 "
            "(or smtps://host:465), or use --preview to write the digest to a file"
        )
    return SmtpConfig.from_url(settings.smtp_url)


def window_start(reader: ReaderRecord, slot: datetime, last_sent: datetime | None) -> datetime:
    """Where a digest's news starts: the last digest sent, else one schedule period back;
    never more than ``MAX_WINDOW`` ago."""
    if last_sent is not None:
        start = last_sent
    else:
        try:
            start = previous_slot(reader.parsed_schedule, reader.time_zone, slot)
        except ScheduleError:
            start = slot - timedelta(days=1)
    return max(start, slot - MAX_WINDOW)


class Deliverer:
    """Builds and sends digests; ``sender_factory`` opens the SMTP connection (tests and the
    benchmark pass their own). With no SMTP server set, digests go to the local outbox
    (:mod:`handpicked.deliver.outbox`), recorded as sent like any other."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        sender_factory: Callable[[], MessageSender] | None = None,
        sleep: Callable[[float], object] = time.sleep,
        links: Links | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.links = links or Links.from_settings(settings)
        self._sender_factory = sender_factory
        self._sleep = sleep

    def _open_sender(self) -> MessageSender:
        if self._sender_factory is not None:
            return self._sender_factory()
        if not self.settings.smtp_url:
            return OutboxSender(Outbox.for_settings(self.settings))
        return SmtpSender(smtp_config(self.settings))

    # --- what is due -----------------------------------------------------------------------

    def due(self, now: datetime) -> list[tuple[ReaderRecord, str, datetime]]:
        """(reader, period key, slot) for every active reader whose latest slot has no
        finished or live digest yet."""
        wanted: list[tuple[ReaderRecord, str, datetime]] = []
        for reader in self.store.readers.list(active_only=True):
            try:
                slot = latest_slot(reader.parsed_schedule, reader.time_zone, now)
            except (ScheduleError, ValueError):
                continue  # a bad stored schedule is reported by `readers list`
            if slot <= reader.created_at:
                continue  # their first slot is still ahead
            wanted.append((reader, period_key(slot), slot))
        settled = self.store.deliveries.settled_periods([(r.id, p) for r, p, _s in wanted], now)
        return [(r, p, s) for r, p, s in wanted if (r.id, p) not in settled]

    # --- a run -----------------------------------------------------------------------------

    def run_once(
        self, now: datetime | None = None, advance: Callable[[int], None] | None = None
    ) -> DeliveryReport:
        """Send every digest that is due now. ``advance(n)`` is told of each digest handled."""
        now = now or datetime.now(UTC)
        report = DeliveryReport()
        released, uncertain = self.store.deliveries.release_dead_claims(HOST, process_alive, now)
        report.released, report.uncertain = released, uncertain
        due = self.due(now)
        report.due = len(due)
        if not due:
            return report
        history = self.store.deliveries.history([r.id for r, _p, _s in due], now - MAX_WINDOW)
        since = {
            reader.id: window_start(reader, slot, history.get(reader.id, (set(), None))[1])
            for reader, _period, slot in due
        }
        # One pool of new stories for the whole run; readers are claimed and served in
        # batches so that claims are never held long before their digest is sent.
        pool = pool_for(self.store, [r for r, _p, _s in due], min(since.values()), now)
        with self._open_sender() as sender:
            for start in range(0, len(due), BATCH):
                batch = due[start : start + BATCH]
                self._run_batch(batch, since, pool, now, sender, report, advance)
        return report

    def _run_batch(
        self,
        due: Sequence[tuple[ReaderRecord, str, datetime]],
        since: dict[int, datetime],
        pool: Pool,
        now: datetime,
        sender: MessageSender,
        report: DeliveryReport,
        advance: Callable[[int], None] | None,
    ) -> None:
        me = claimant()
        claimed: list[tuple[ReaderRecord, DeliveryRecord, datetime]] = []
        for reader, period, slot in due:
            delivery = self.store.deliveries.claim(reader.id, period, me, now)
            if delivery is not None:
                claimed.append((reader, delivery, slot))
        if not claimed:
            return
        readers = [reader for reader, _delivery, _slot in claimed]
        windows = {reader.id: since[reader.id] for reader in readers}
        builder = DigestBuilder(self.store, readers, windows, now, pool=pool)
        for reader, delivery, _slot in claimed:
            digest = builder.build(reader, period=delivery.period)
            self._deliver(digest, delivery, sender, now, report)
            if advance is not None:
                advance(1)

    def _deliver(
        self,
        digest: Digest,
        delivery: DeliveryRecord,
        sender: MessageSender,
        now: datetime,
        report: DeliveryReport,
    ) -> None:
        reader = digest.reader
        if not digest.items:
            reason = digest.empty_reason or "nothing to send"
            self.store.deliveries.mark_skipped(delivery.id, reason, now, since=digest.since)
            report.skipped += 1
            report.note(reader.email, "skipped", reason)
            return
        message_id = make_msgid(f"digest.{delivery.id}", domain=_domain(self.settings.mail_from))
        message = compose_digest_email(
            digest, self.links, self.settings.mail_from, message_id=message_id, now=now
        )

        def committing() -> None:
            self.store.deliveries.mark_sending(
                delivery.id,
                message_id=message_id,
                story_ids=[i.story_id for i in digest.items if i.story_id is not None],
                article_ids=[i.article.id for i in digest.items],
                items=[
                    {**i.to_dict(), "story_article_ids": list(i.article_ids)} for i in digest.items
                ],
                since=digest.since,
                now=now,
            )

        try:
            reply = send_with_retries(sender, message, before_data=committing, sleep=self._sleep)
        except UncertainDelivery as error:
            self.store.deliveries.mark_uncertain(delivery.id, str(error), now)
            report.uncertain += 1
            report.note(reader.email, "uncertain", str(error))
        except PermanentFailure as error:
            self.store.deliveries.mark_failed(delivery.id, str(error), now)
            report.failed += 1
            report.note(reader.email, "failed", str(error))
        except TemporaryFailure as error:
            if delivery.attempts + 1 >= MAX_SEND_ATTEMPTS:
                self.store.deliveries.mark_failed(delivery.id, f"gave up: {error}", now)
                report.failed += 1
                report.note(reader.email, "failed", str(error))
            else:
                wait = RETRY_BACKOFF[min(delivery.attempts, len(RETRY_BACKOFF) - 1)]
                self.store.deliveries.mark_retry(delivery.id, str(error), now + wait, now)
                report.retry_later += 1
                report.note(reader.email, "retry", f"{error}; next try in {wait}")
        else:
            self.store.deliveries.mark_sent(delivery.id, now)
            report.sent += 1
            report.note(reader.email, "sent", reply)

    # --- one reader, now -------------------------------------------------------------------

    def send_now(self, reader: ReaderRecord, now: datetime | None = None) -> DeliveryReport:
        """Send ``reader`` their digest at once, outside the schedule (``digest --send``)."""
        now = now or datetime.now(UTC)
        report = DeliveryReport(due=1)
        period = "manual:" + now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        delivery = self.store.deliveries.claim(reader.id, period, claimant(), now)
        if delivery is None:
            return report
        digest = self.preview(reader, now, period=period)
        with self._open_sender() as sender:
            self._deliver(digest, delivery, sender, now, report)
        return report

    def preview(self, reader: ReaderRecord, now: datetime, period: str | None = None) -> Digest:
        """The digest ``reader`` would get now (nothing is recorded)."""
        history = self.store.deliveries.history([reader.id], now - MAX_WINDOW)
        try:
            slot = latest_slot(reader.parsed_schedule, reader.time_zone, now)
        except (ScheduleError, ValueError):
            slot = now
        since = window_start(reader, slot, history[reader.id][1])
        since = min(since, now - timedelta(days=1))
        builder = DigestBuilder(self.store, [reader], {reader.id: since}, now)
        return builder.build(reader, period=period)


def period_key(slot: datetime) -> str:
    """The ledger's name for a schedule slot: its UTC instant."""
    return slot.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _domain(address: str) -> str:
    _name, _at, domain = address.rpartition("@")
    return domain.strip(" >") or "localhost"
