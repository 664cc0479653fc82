"""The image cache: one file per image URL under the data folder, named by a hash of the URL.

The hash is the image's key in our own address (``/images/{article_id}/{key}``): a key names
one image of one stored article, so the address cannot be turned into a way to fetch any URL
through us. A URL that could not be fetched (or was no picture) leaves a small "miss" note, so
that it is tried again only after ``MISS_RETRY`` instead of on every page view.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handpicked.images.kinds import image_type
from handpicked.settings import Settings

KEY_LENGTH = 32
"""Hex digits of SHA-256 kept in a key (128 bits: no two URLs share one by chance)."""
MISS_RETRY = timedelta(hours=12)
_KEY = re.compile(rf"[0-9a-f]{{{KEY_LENGTH}}}")


def image_key(url: str) -> str:
    """The key of the image at ``url``."""
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:KEY_LENGTH]


def image_path(article_id: int, url: str) -> str:
    """Our own address (a path) for an image of a stored article."""
    return f"/images/{int(article_id)}/{image_key(url)}"


def is_key(value: str) -> bool:
    return bool(_KEY.fullmatch(value))


class NotAnImage(ValueError):
    """The bytes are not a picture we serve (see :mod:`handpicked.images.kinds`)."""


@dataclass(frozen=True, slots=True)
class CachedImage:
    data: bytes
    media_type: str


class ImageCache:
    """Images on disk in ``directory`` (``<data dir>/images`` by default), spread over 256
    subfolders. Writes are atomic, so readers never see half a file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def for_settings(cls, settings: Settings) -> ImageCache:
        return cls(settings.data_dir / "images")

    def _file(self, key: str) -> Path:
        if not is_key(key):
            raise ValueError(f"not an image key: {key!r}")
        return self.directory / key[:2] / key

    def get(self, key: str) -> CachedImage | None:
        """The cached image, or None (not cached, or not a valid key)."""
        if not is_key(key):
            return None
        try:
            data = self._file(key).read_bytes()
        except FileNotFoundError:
            return None
        media_type = image_type(data)
        return CachedImage(data, media_type) if media_type else None

    def has(self, url: str) -> bool:
        return self._file(image_key(url)).is_file()

    def put(self, url: str, data: bytes) -> CachedImage:
        """Keep the picture at ``url``; :class:`NotAnImage` when ``data`` is not one."""
        media_type = image_type(data)
        if media_type is None:
            raise NotAnImage("not a JPEG, PNG, GIF, WebP or AVIF picture")
        path = self._file(image_key(url))
        _write_atomically(path, data)
        path.with_suffix(".miss").unlink(missing_ok=True)
        return CachedImage(data, media_type)

    def note_miss(self, url: str, reason: str, now: datetime) -> None:
        """Remember that ``url`` could not be had at ``now`` (and why)."""
        path = self._file(image_key(url)).with_suffix(".miss")
        _write_atomically(path, f"{now.astimezone(UTC).isoformat()} {reason}\n".encode())

    def missed_recently(self, url: str, now: datetime) -> bool:
        """Whether ``url`` failed less than ``MISS_RETRY`` before ``now``."""
        path = self._file(image_key(url)).with_suffix(".miss")
        try:
            stamp = path.read_text(encoding="utf-8").split(" ", 1)[0]
            when = datetime.fromisoformat(stamp)
        except (FileNotFoundError, ValueError):
            return False
        return now - when < MISS_RETRY


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
