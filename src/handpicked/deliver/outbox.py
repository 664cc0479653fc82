"""The local outbox: where digests go when no SMTP server is set, so that a desk without mail
(the demo, a trial install) still delivers on schedule, records each digest in the history,
and lets the reader read it in the web app (``/outbox``) or with ``handpicked outbox``.

Each message is one ``.eml`` file (RFC 5322, as it would have gone to the server) in
``<data dir>/outbox``, named by a hash of its Message-ID so that the delivery history finds
it. Files are written whole (a temporary file renamed), and only the newest ``KEEP`` are kept.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import cast

from handpicked.settings import Settings

KEEP = 500
"""Messages kept; the oldest go when a new one comes."""
SUFFIX = ".eml"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message in the outbox, with the headers a list shows."""

    path: Path
    message_id: str
    to: str
    subject: str
    date: datetime | None

    @property
    def name(self) -> str:
        return self.path.stem

    def message(self) -> EmailMessage:
        return _read(self.path)

    def part(self, subtype: str) -> str | None:
        """The message's ``text/<subtype>`` part ("plain" or "html"), or None."""
        body = self.message().get_body(preferencelist=(subtype,))
        if body is None or body.get_content_subtype() != subtype:
            return None
        return cast(str, body.get_content())


class Outbox:
    """The outbox folder (``<data dir>/outbox`` by default)."""

    def __init__(self, directory: Path, keep: int = KEEP) -> None:
        self.directory = directory
        self.keep = keep

    @classmethod
    def for_settings(cls, settings: Settings) -> Outbox:
        return cls(settings.data_dir / "outbox")

    def _path(self, message_id: str) -> Path:
        digest = hashlib.sha256(message_id.strip().encode("utf-8", "replace")).hexdigest()
        return self.directory / f"{digest[:24]}{SUFFIX}"

    def write(self, message: EmailMessage) -> Path:
        """Put ``message`` in the outbox (replacing one with the same Message-ID)."""
        message_id = str(message.get("Message-ID") or f"<{uuid.uuid4()}@outbox>")
        path = self._path(message_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes(policy=email.policy.SMTP))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._prune()
        return path

    def messages(self, limit: int | None = None) -> list[OutboxMessage]:
        """The messages, newest first."""
        paths = sorted(self._files(), key=_age, reverse=True)
        return [_summary(path) for path in paths[:limit]]

    def find(self, message_id: str | None) -> OutboxMessage | None:
        """The message with this Message-ID, if it is in the outbox."""
        if not message_id:
            return None
        path = self._path(message_id)
        return _summary(path) if path.is_file() else None

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return [p for p in self.directory.iterdir() if p.suffix == SUFFIX and p.is_file()]

    def _prune(self) -> None:
        for old in sorted(self._files(), key=_age, reverse=True)[self.keep :]:
            old.unlink(missing_ok=True)


class OutboxSender:
    """Stands in for :class:`~handpicked.deliver.smtp.SmtpSender`: "sends" a message by
    writing it to the outbox, after ``before_data`` (so the ledger's states are the same)."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def __enter__(self) -> OutboxSender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to close."""

    def send(self, message: EmailMessage, before_data: Callable[[], None] | None = None) -> str:
        if before_data is not None:
            before_data()
        path = self.outbox.write(message)
        return f"no SMTP server set: written to the outbox ({path})"


def _age(path: Path) -> tuple[float, str]:
    try:
        return path.stat().st_mtime, path.name
    except FileNotFoundError:
        return 0.0, path.name


def _read(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        return email.message_from_binary_file(handle, policy=email.policy.default)


def _summary(path: Path) -> OutboxMessage:
    message = _read(path)
    try:
        date = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        date = None
    return OutboxMessage(
        path=path,
        message_id=str(message.get("Message-ID", "")),
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        date=date,
    )
