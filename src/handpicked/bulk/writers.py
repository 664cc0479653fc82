"""Where bulk results go: JSON Lines or Parquet, picked by the output file's suffix.

Rows are written as batches arrive, so memory stays flat however big the crawl. Everything goes
to a hidden temporary file beside the target and is renamed into place only when the job
finishes, so a crash or Ctrl-C never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from handpicked.errors import HandpickedError

__all__ = [
    "JSONL_SUFFIXES",
    "PARQUET_SUFFIXES",
    "ROW_GROUP_ROWS",
    "SCHEMA",
    "OutputFormatError",
    "RowWriter",
    "check_output",
    "open_writer",
]

JSONL_SUFFIXES = (".jsonl", ".json")
PARQUET_SUFFIXES = (".parquet",)
ROW_GROUP_ROWS = 1000

_IMAGE = pa.struct(
    [
        pa.field("url", pa.string()),
        pa.field("caption", pa.string()),
        pa.field("credit", pa.string()),
        pa.field("alt", pa.string()),
    ]
)
_STRINGS = pa.list_(pa.string())

#: One row per page: ``Article.to_dict()`` plus where it came from. Dates stay ISO 8601
#: strings, as in JSON, because a page's own UTC offset (or its lack of one) is information.
SCHEMA = pa.schema(
    [
        pa.field("url", pa.string()),
        pa.field("canonical_url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("authors", _STRINGS),
        pa.field("published", pa.string()),
        pa.field("updated", pa.string()),
        pa.field("site_name", pa.string()),
        pa.field("language", pa.string()),
        pa.field("section", pa.string()),
        pa.field("tags", _STRINGS),
        pa.field("lead", pa.string()),
        pa.field("text", pa.string()),
        pa.field("paragraphs", _STRINGS),
        pa.field("pull_quotes", _STRINGS),
        pa.field("images", pa.list_(_IMAGE)),
        pa.field("syndicated_from", pa.string()),
        pa.field("editors", _STRINGS),
        pa.field("is_article", pa.bool_()),
        pa.field("word_count", pa.int64()),
        pa.field("warc_file", pa.string()),
        pa.field("warc_date", pa.string()),
    ]
)


class OutputFormatError(HandpickedError):
    """The output file's suffix names no format we write."""


class RowWriter(Protocol):
    """Takes rows batch by batch; :func:`open_writer` finishes and renames the file."""

    def write(self, rows: Sequence[dict[str, Any]]) -> None: ...


class _JsonLines:
    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        self._stream.write(lines.encode("utf-8"))

    def close(self) -> None:
        pass


class _Parquet:
    """Rows are buffered into row groups of a useful size, then written; tiny batches would
    otherwise make a file of tiny row groups that every reader pays for."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._writer = pq.ParquetWriter(stream, SCHEMA, compression="zstd")
        self._pending: list[dict[str, Any]] = []

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        self._pending.extend(rows)
        if len(self._pending) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._writer.write_table(pa.Table.from_pylist(self._pending, schema=SCHEMA))
            self._pending = []

    def close(self) -> None:
        try:
            self._flush()
        finally:
            self._writer.close()


def check_output(out: Path) -> None:
    """Refuse an output name whose format is unknown, before any work is done."""
    name = out.name.lower()
    if not name.endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES):
        raise OutputFormatError(
            f"{out}: unknown output format; name the file .jsonl (or .json) for JSON Lines "
            "or .parquet for Parquet"
        )
    if not out.parent.is_dir():
        raise OutputFormatError(f"{out}: the folder {out.parent} does not exist")


@contextmanager
def open_writer(out: Path) -> Iterator[RowWriter]:
    """A writer for ``out`` by its suffix; the file appears under its name only on success."""
    check_output(out)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    path = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            writer: _JsonLines | _Parquet = (
                _Parquet(stream)
                if out.name.lower().endswith(PARQUET_SUFFIXES)
                else _JsonLines(stream)
            )
            try:
                yield writer
            finally:
                writer.close()  # on failure too: an unclosed ParquetWriter complains later
        path.chmod(0o666 & ~_umask())
        path.replace(out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _umask() -> int:
    """mkstemp makes 0600 files; the result should get the usual permissions instead."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
