"""Commands for readers and their digests: readers, follow, mute, unfollow, feedback, digest,
deliver."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import cast

import click

from handpicked.cli.app import CONTEXT, cli, progress, wants_progress
from handpicked.cli.common import open_store_or_fail
from handpicked.deliver.email import render_digest_html, render_digest_text
from handpicked.deliver.runner import Deliverer, DeliveryNotConfigured, DeliveryReport
from handpicked.deliver.smtp import SmtpError
from handpicked.desk import readers as service
from handpicked.desk.readers import ReaderError
from handpicked.schedule import DEFAULT_SCHEDULE, ScheduleError, next_slot
from handpicked.settings import load_settings
from handpicked.store import ReaderRecord, Store
from handpicked.store.model import FeedbackKind


@contextmanager
def _reader_errors() -> Iterator[None]:
    try:
        yield
    except (ReaderError, DeliveryNotConfigured, SmtpError, ValueError) as error:
        raise click.ClickException(str(error)) from error


def _now() -> datetime:
    return datetime.now(UTC)


def _find(store: Store, email: str) -> ReaderRecord:
    with _reader_errors():
        return service.find_reader(store, email)


def _next_digest(reader: ReaderRecord) -> str:
    try:
        schedule = reader.parsed_schedule
        slot = next_slot(schedule, reader.time_zone, _now())
    except (ScheduleError, ValueError) as error:
        return f"schedule cannot be read: {error}"
    from zoneinfo import ZoneInfo

    local = slot.astimezone(ZoneInfo(reader.time_zone))
    return f"{schedule.describe()} ({reader.time_zone}); next {local:%a %d %b %H:%M %Z}"


# --- readers ---------------------------------------------------------------------------------


@cli.group("readers", context_settings=CONTEXT)
def readers_group() -> None:
    """Add, list, change and remove the readers who get digests.

    \b
    Examples:
      handpicked readers add ann@example.com --tz Europe/Berlin --schedule "daily 07:00"
      handpicked readers add bob@example.com --schedule "weekly mon 08:00"
      handpicked readers list
    """


_SCHEDULE_HELP = (
    'When digests go out, in the reader\'s time zone: "daily 07:00", "07:00,18:00", '
    '"weekdays 07:30", "weekly mon 08:00".'
)


@readers_group.command("add")
@click.argument("email")
@click.option("--tz", "time_zone", default="UTC", show_default=True, help="IANA time zone.")
@click.option("--schedule", default=DEFAULT_SCHEDULE, show_default=True, help=_SCHEDULE_HELP)
@click.option("--max-items", type=int, default=10, show_default=True, help="Stories per digest.")
@click.option("--language", default=None, help="Only stories in this language (en, de…).")
def readers_add(
    email: str, time_zone: str, schedule: str, max_items: int, language: str | None
) -> None:
    """Add a reader who will get a digest on their schedule."""
    with open_store_or_fail() as store, _reader_errors():
        reader = service.add_reader(
            store,
            email,
            _now(),
            time_zone=time_zone,
            schedule=schedule,
            max_items=max_items,
            language=language,
        )
    click.echo(f"Added {reader.email}: {_next_digest(reader)}.")
    click.echo(f"Now follow something: handpicked follow {reader.email} 'Vladimir Putin'")


@readers_group.command("set")
@click.argument("email")
@click.option("--tz", "time_zone", default=None, help="IANA time zone.")
@click.option("--schedule", default=None, help=_SCHEDULE_HELP)
@click.option("--max-items", type=int, default=None, help="Stories per digest.")
@click.option("--language", default=None, help='Only this language ("any" for all).')
def readers_set(
    email: str,
    time_zone: str | None,
    schedule: str | None,
    max_items: int | None,
    language: str | None,
) -> None:
    """Change a reader's time zone, schedule, digest length or language."""
    with open_store_or_fail() as store, _reader_errors():
        reader = service.change_reader(
            store,
            _find(store, email),
            time_zone=time_zone,
            schedule=schedule,
            max_items=max_items,
            language=language,
        )
    click.echo(f"{reader.email}: {_next_digest(reader)}, {reader.max_items} stories at most.")


@readers_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of readers.")
def readers_list(as_json: bool) -> None:
    """Every reader, what they follow and how their last digest went."""
    with open_store_or_fail() as store:
        readers = store.readers.list()
        interests = store.interests.of_readers([r.id for r in readers])
        last = {d.reader_id: d for d in reversed(store.deliveries.list(limit=10_000))}
    if as_json:
        rows = [
            {
                **reader.to_dict(),
                "interests": [i.to_dict() for i in interests[reader.id]],
                "last_delivery": last[reader.id].to_dict() if reader.id in last else None,
            }
            for reader in readers
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not readers:
        click.echo("No readers yet. Add one: handpicked readers add you@example.com")
        return
    for reader in readers:
        state = "unsubscribed" if not reader.active else _next_digest(reader)
        click.echo(f"{reader.email}  {state}")
        follows = [i.label for i in interests[reader.id] if i.mode == "follow"]
        mutes = [i.label for i in interests[reader.id] if i.mode == "mute"]
        click.echo(f"  follows: {', '.join(follows) or '-'}")
        if mutes:
            click.echo(f"  mutes: {', '.join(mutes)}")
        if reader.id in last:
            delivery = last[reader.id]
            detail = f" ({delivery.error})" if delivery.error else ""
            click.echo(f"  last digest: {delivery.period} {delivery.state}{detail}")


@readers_group.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def readers_remove(email: str, yes: bool) -> None:
    """Remove a reader with their follows, feedback and digest history."""
    with open_store_or_fail() as store:
        reader = _find(store, email)
        if not yes:
            click.confirm(f"Remove {reader.email} and everything they follow?", abort=True)
        store.readers.remove(reader.id)
    click.echo(f"Removed {reader.email}.")


# --- follows ---------------------------------------------------------------------------------

_THING_HELP = """THING is a person, organisation or place ("Putin", "IRGC", "Berlin"; aliases
are understood), a topic ("politics"), a source ("bbc.co.uk"), a section ("section:World") or
a phrase in quotes ('"Florida Man"'). Prefix person:, org:, place:, topic:, source:,
section: or phrase: to say which."""


def _set_interests(email: str, things: tuple[str, ...], mode: str) -> None:
    verb = "Following" if mode == "follow" else "Muting"
    with open_store_or_fail() as store, _reader_errors():
        reader = _find(store, email)
        for text in things:
            change = service.set_interest(store, reader, text, mode, _now())
            kind = change.thing.key.split(":")[0] if change.thing.kind == "entity" else None
            what = f"{change.thing.label} ({kind or change.thing.kind})"
            was = f", was {change.before}ed" if change.before and change.before != mode else ""
            click.echo(f"{verb} {what}{was}.")


@cli.command("follow", context_settings=CONTEXT, epilog=_THING_HELP)
@click.argument("email")
@click.argument("things", metavar="THING...", nargs=-1, required=True)
def follow(email: str, things: tuple[str, ...]) -> None:
    """Pick stories about these things for the reader."""
    _set_interests(email, things, "follow")


@cli.command("mute", context_settings=CONTEXT, epilog=_THING_HELP)
@click.argument("email")
@click.argument("things", metavar="THING...", nargs=-1, required=True)
def mute(email: str, things: tuple[str, ...]) -> None:
    """Never pick stories about these things for the reader (mutes beat follows)."""
    _set_interests(email, things, "mute")


@cli.command("unfollow", context_settings=CONTEXT, epilog=_THING_HELP)
@click.argument("email")
@click.argument("things", metavar="THING...", nargs=-1, required=True)
def unfollow(email: str, things: tuple[str, ...]) -> None:
    """Stop following (or muting) these things."""
    with open_store_or_fail() as store, _reader_errors():
        reader = _find(store, email)
        for text in things:
            thing = service.remove_interest(store, reader, text)
            click.echo(f"Removed {thing.label}." if thing else f"{text!r} was not followed.")


@cli.command("feedback", context_settings=CONTEXT)
@click.argument("email")
@click.argument("article_id", type=int)
@click.argument("kind", type=click.Choice(["more", "less", "opened"]))
def feedback(email: str, article_id: int, kind: str) -> None:
    """Tell the picks about an article: more like this, less like this, or opened."""
    with open_store_or_fail() as store:
        reader = _find(store, email)
        if store.articles.get(article_id) is None:
            raise click.ClickException(f"no article {article_id} (see: handpicked articles)")
        store.feedback.add(reader.id, article_id, cast(FeedbackKind, kind), _now())
    click.echo(f"Noted: {kind} like article {article_id} for {reader.email}.")


# --- digests ---------------------------------------------------------------------------------


@cli.command("digest", context_settings=CONTEXT)
@click.argument("email")
@click.option(
    "--preview",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the HTML email to this file to look at in a browser.",
)
@click.option(
    "--send",
    is_flag=True,
    help="Send it now through HANDPICKED_SMTP_URL (without one: to the local outbox).",
)
@click.option("--json", "as_json", is_flag=True, help="The picks as JSON.")
def digest(email: str, preview: Path | None, send: bool, as_json: bool) -> None:
    """Show (or send) the reader's digest as it would be now.

    Without options the plain-text email is printed. Sending now does not count as the
    scheduled digest, and stories sent now are not sent again by the schedule.
    """
    settings = load_settings()
    with open_store_or_fail() as store, _reader_errors():
        reader = _find(store, email)
        deliverer = Deliverer(store, settings)
        if send:
            report = deliverer.send_now(reader)
            _print_report(report)
            if report.failed or report.retry_later:
                raise SystemExit(1)
            return
        result = deliverer.preview(reader, _now())
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        elif preview is not None:
            preview.write_text(render_digest_html(result, deliverer.links), encoding="utf-8")
            click.echo(f"Wrote {preview} ({len(result.items)} stories): {result.subject}")
        else:
            click.echo(render_digest_text(result, deliverer.links))


def _print_report(report: DeliveryReport) -> None:
    for email, state, detail in report.outcomes:
        click.echo(f"{email}: {state}" + (f" ({detail})" if detail else ""))
    if report.released:
        click.echo(f"Took back {report.released} digests a stopped run had claimed.")
    click.echo(report.summary() + ".")


@cli.command("deliver", context_settings=CONTEXT)
@click.option("--loop", is_flag=True, help="Keep running: send each digest when it is due.")
@click.option("--interval", default=60, show_default=True, help="Seconds between checks.")
@click.option("--no-progress", is_flag=True, help="Never show the progress bar.")
def deliver(loop: bool, interval: int, no_progress: bool) -> None:
    """Send every digest that is due now, once per reader and schedule slot.

    Safe to run from cron or to kill: a digest is never sent twice, and one a killed run had
    not sent yet goes out on the next run.
    """
    settings = load_settings()
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    if loop:
        signal.signal(signal.SIGTERM, stop)
    with open_store_or_fail() as store, _reader_errors():
        deliverer = Deliverer(store, settings)
        while True:
            with progress("digest", wants_progress(no_progress)) as advance:
                report = deliverer.run_once(advance=lambda _n: advance())
            if report.due or not loop:
                _print_report(report)
            if not loop or stopping:
                break
            for _ in range(max(1, interval)):
                if stopping:
                    break
                time.sleep(1)
