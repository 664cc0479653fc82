"""Adding readers and changing what they follow: the checks the CLI, the web app and the API
all go through, so a bad time zone or schedule is refused the same way everywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from handpicked.addresses import normal_email
from handpicked.pick.interests import InterestError, Thing, parse_thing
from handpicked.schedule import (
    DEFAULT_SCHEDULE,
    ScheduleError,
    check_time_zone,
    parse_schedule,
)
from handpicked.store import InterestRecord, ReaderExists, ReaderRecord, Store
from handpicked.store.model import InterestKind, InterestMode

_EMAIL = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]{2,}$")
MAX_ITEMS = 50


class ReaderError(ValueError):
    """A reader setting that cannot be used; the message says what would work."""


@dataclass(frozen=True, slots=True)
class InterestChange:
    """What ``follow``/``mute`` did: the thing and the mode it had before (None if new)."""

    interest: InterestRecord
    thing: Thing
    before: str | None


def check_email(email: str) -> str:
    """The address trimmed, its domain lower-cased without a final dot ("Ann@Example.COM."
    is ann's address at example.com); ``ReaderError`` if it is not one."""
    text = normal_email(email)
    if not _EMAIL.match(text) or len(text) > 254:
        raise ReaderError(f"{email!r} is not an email address (expected e.g. ann@example.com)")
    return text


def check_settings(
    time_zone: str | None = None,
    schedule: str | None = None,
    max_items: int | None = None,
    language: str | None = None,
) -> dict[str, object]:
    """Checked, canonical values for whichever settings are given."""
    values: dict[str, object] = {}
    try:
        if time_zone is not None:
            values["time_zone"] = check_time_zone(time_zone).key
        if schedule is not None:
            values["schedule"] = parse_schedule(schedule).spec
    except ScheduleError as error:
        raise ReaderError(str(error)) from error
    if max_items is not None:
        if not 1 <= max_items <= MAX_ITEMS:
            raise ReaderError(f"a digest holds 1 to {MAX_ITEMS} items, not {max_items}")
        values["max_items"] = max_items
    if language is not None:
        code = language.strip().lower()
        if code in ("", "any", "*"):
            values["language"] = None
        elif re.fullmatch(r"[a-z]{2,3}", code):
            values["language"] = code
        else:
            raise ReaderError(f"{language!r} is not a language code (expected e.g. en, de, fr)")
    return values


def add_reader(
    store: Store,
    email: str,
    now: datetime,
    time_zone: str = "UTC",
    schedule: str = DEFAULT_SCHEDULE,
    max_items: int = 10,
    language: str | None = None,
) -> ReaderRecord:
    """A new reader with checked settings; ``ReaderError`` if anything is wrong or taken."""
    address = check_email(email)
    values = check_settings(time_zone, schedule, max_items, language or "any")
    if store.readers.get(email=address) is not None:
        raise ReaderError(f"{address} is already a reader")
    try:
        return store.readers.add(
            address,
            time_zone=str(values["time_zone"]),
            schedule=str(values["schedule"]),
            max_items=int(str(values["max_items"])),
            language=str(values["language"]) if values.get("language") else None,
            now=now,
        )
    except ReaderExists as error:
        raise ReaderError(str(error)) from error


def change_reader(store: Store, reader: ReaderRecord, **settings: object) -> ReaderRecord:
    """Change time zone, schedule, max items or language after checking them."""
    values = check_settings(**settings)  # type: ignore[arg-type]
    return store.readers.update(reader.id, **values) if values else reader


def find_reader(store: Store, email: str) -> ReaderRecord:
    """The reader with that address; ``ReaderError`` saying how to add them otherwise."""
    reader = store.readers.get(email=email)
    if reader is None:
        raise ReaderError(f"no reader {email!r}; add one with: handpicked readers add {email}")
    return reader


def set_interest(
    store: Store, reader: ReaderRecord, text: str, mode: str, now: datetime
) -> InterestChange:
    """Follow or mute what the reader typed (see :func:`parse_thing`)."""
    try:
        thing = parse_thing(text)
    except InterestError as error:
        raise ReaderError(str(error)) from error
    interest, before = store.interests.set(
        reader.id,
        mode=cast(InterestMode, mode),
        kind=cast(InterestKind, thing.kind),
        key=thing.key,
        label=thing.label,
        now=now,
    )
    return InterestChange(interest, thing, before)


def remove_interest(store: Store, reader: ReaderRecord, text: str) -> Thing | None:
    """Stop following or muting a thing; the thing, or None if it was not followed."""
    try:
        thing = parse_thing(text)
    except InterestError as error:
        raise ReaderError(str(error)) from error
    return thing if store.interests.remove(reader.id, thing.kind, thing.key) else None
