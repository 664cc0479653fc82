"""What the desk's commands share: opening the store, reading times, reporting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click
from dateutil import parser as date_parser
from sqlalchemy.engine import make_url

from handpicked.settings import load_settings
from handpicked.store import Store, open_store
from handpicked.understand.pipeline import UnderstandReport

_RELATIVE = re.compile(r"^\s*(\d+)\s*(m|min|minutes?|h|hours?|d|days?|w|weeks?)\s*(?:ago)?\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


_DAMAGED = ("database disk image is malformed", "file is not a database")


def damaged_database(error: BaseException) -> str | None:
    """One line for a damaged SQLite file (where it is and what to do), or None when
    ``error`` is something else."""
    cause = str(getattr(error, "orig", None) or error)
    if not any(sign in cause for sign in _DAMAGED):
        return None
    path = make_url(load_settings().database_url).database or "the database file"
    return (
        f"the database file {path} is damaged ({cause}): restore it from a backup, or move it "
        f"away (e.g. to {path}.damaged) and start afresh"
    )


def open_store_or_fail() -> Store:
    try:
        return open_store()
    except Exception as error:  # a database that cannot be opened is a setup problem
        damaged = damaged_database(error)
        if damaged:
            raise click.ClickException(damaged) from None
        raise click.ClickException(
            f"cannot open the database: {error} (check HANDPICKED_DATABASE_URL)"
        ) from error


FOUND_SINCE_HELP = "Only those we found since WHEN (not their publish date): 2026-11-01, 6h, 2d."


def parse_when(value: str, now: datetime | None = None) -> datetime:
    """A moment from "2026-11-01", "2026-11-01T08:00+01:00", "3h", "2 days ago" or "yesterday"."""
    now = now or datetime.now(UTC)
    text = value.strip().lower()
    if text in ("today", "yesterday"):
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start - timedelta(days=1) if text == "yesterday" else start
    match = _RELATIVE.match(text)
    if match:
        unit = _UNITS[match.group(2)[0]]
        return now - timedelta(**{unit: int(match.group(1))})
    try:
        moment = date_parser.isoparse(value.strip())
    except ValueError:
        try:
            moment = date_parser.parse(value.strip())
        except (ValueError, OverflowError) as error:
            raise click.BadParameter(
                f"{value!r} is not a time (try 2026-11-01, 6h, 2d or yesterday)"
            ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def print_understand_report(report: UnderstandReport) -> None:
    click.echo(
        f"understood {report.articles} articles: {report.duplicates} duplicates, "
        f"{report.new_stories} new stories, {report.joined_stories} joined a story",
        err=True,
    )
