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
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from handpicked.errors import HandpickedError

if TYPE_CHECKING:  # pyarrow comes with the ``bulk`` extra
    import pyarrow as pa

__all__ = [
    "COLUMNS",
    "JSONL_SUFFIXES",
    "PARQUET_SUFFIXES",
    "ROW_GROUP_ROWS",
    "OutputFormatError",
    "RowWriter",
    "check_output",
    "open_writer",
    "parquet_schema",
]

JSONL_SUFFIXES = (".jsonl", ".json")
PARQUET_SUFFIXES = (".parquet",)
ROW_GROUP_ROWS = 1000

#: One row per page: ``Article.to_dict()`` plus where it came from. Dates stay ISO 8601
#: strings, as in JSON, because a page's own UTC offset (or its lack of one) is information.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("url", "string"),
    ("canonical_url", "string"),
    ("title", "string"),
    ("authors", "strings"),
    ("published", "string"),
    ("updated", "string"),
    ("site_name", "string"),
    ("language", "string"),
    ("section", "string"),
    ("tags", "strings"),
    ("lead", "string"),
    ("text", "string"),
    ("paragraphs", "strings"),
    ("pull_quotes", "strings"),
    ("images", "images"),
    ("syndicated_from", "string"),
    ("editors", "strings"),
    ("is_article", "bool"),
    ("word_count", "int"),
    ("warc_file", "string"),
    ("warc_date", "string"),
)
_IMAGE_FIELDS = ("url", "caption", "credit", "alt")


@cache
def parquet_schema() -> pa.Schema:
    """The Parquet schema of :data:`COLUMNS` (pyarrow loads here, not when the CLI starts)."""
    import pyarrow as pa

    image = pa.struct([pa.field(name, pa.string()) for name in _IMAGE_FIELDS])
    types = {
        "string": pa.string(),
        "strings": pa.list_(pa.string()),
        "images": pa.list_(image),
        "bool": pa.bool_(),
        "int": pa.int64(),
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS])


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
        import pyarrow.parquet as pq

        self._writer = pq.ParquetWriter(stream, parquet_schema(), compression="zstd")
        self._pending: list[dict[str, Any]] = []

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        self._pending.extend(rows)
        if len(self._pending) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            import pyarrow as pa

            table = pa.Table.from_pylist(self._pending, schema=parquet_schema())
            self._writer.write_table(table)
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
