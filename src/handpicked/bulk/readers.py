"""Reading back what ``handpicked extract crawl.warc.gz --out ...`` wrote, row by row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from handpicked.bulk.writers import JSONL_SUFFIXES, PARQUET_SUFFIXES, OutputFormatError

_PARQUET_BATCH = 1000


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Each article row of a JSON Lines or Parquet file, without loading the file whole.
    A JSON line that does not parse is skipped (counted by the caller by its absence)."""
    name = path.name.lower()
    if name.endswith(PARQUET_SUFFIXES):
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=_PARQUET_BATCH):
            yield from batch.to_pylist()
    elif name.endswith(JSONL_SUFFIXES):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(row, dict):
                    yield row
    else:
        raise OutputFormatError(f"{path}: expected a .jsonl or .parquet file of articles")
