"""Loading the dev sets (WCXB dev, fundus-dev): ground truth up front, HTML one page at a time.

Ground truth is small, so it is read eagerly; the HTML (tens of megabytes unpacked) is read
per page, so that the benchmark never holds the whole corpus in memory and the timed
extraction calls never include gunzip or decoding.
"""

from __future__ import annotations

import gzip
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DATASETS_DIR = REPO_ROOT.parent / "shared" / "datasets"
DEFAULT_DATASET = DATASETS_DIR / "wcxb-dev"
FUNDUS_DATASET = DATASETS_DIR / "fundus-dev"

#: Page types in report order: articles first, since a news reader cares most about them.
PAGE_TYPES = (
    "article",
    "forum",
    "product",
    "collection",
    "listing",
    "documentation",
    "service",
)


class DatasetError(Exception):
    """The dataset is missing or not laid out as WCXB or fundus-dev is; the message says where
    we looked."""


@dataclass(frozen=True, slots=True)
class Page:
    """One dev page: where its HTML lives and what a correct extraction would give."""

    page_id: str
    url: str | None
    page_type: str
    html_path: Path
    body: str
    title: str | None
    author: str | None
    """The byline to match; "" where the byline was reviewed and there is none (fundus-dev),
    so an extractor that invents one is wrong; None where the field is not scored."""
    published: str | None
    language: str | None = None
    """Set on fundus-dev pages, whose report is per language."""
    lead_in_body: bool = False
    """The expected body starts with the standfirst (fundus-dev): an extractor that keeps the
    lead apart has it put in front before scoring."""

    @property
    def is_article(self) -> bool:
        return self.page_type == "article"


@dataclass(frozen=True, slots=True)
class Html:
    """A page's decoded HTML, and whether it was valid UTF-8 (else bad bytes were replaced)."""

    text: str
    clean: bool


def check_dataset(root: Path) -> None:
    """Fail with a message naming the path, rather than a traceback deep in loading."""
    for sub in ("html", "ground-truth"):
        if not (root / sub).is_dir():
            raise DatasetError(
                f"dataset not found: expected {root / sub}/ (looked in {root}; pass --dataset PATH)"
            )


def load_pages(root: Path, limit: int | None = None) -> list[Page]:
    """Every page with both HTML and ground truth, in file order, the first ``limit`` only."""
    check_dataset(root)
    pages: list[Page] = []
    for truth_path in sorted((root / "ground-truth").glob("*.json")):
        html_path = root / "html" / f"{truth_path.stem}.html.gz"
        if not html_path.is_file():
            continue
        page = _page(truth_path, html_path)
        if page is None:
            continue
        pages.append(page)
        if limit is not None and len(pages) >= limit:
            break
    if not pages:
        raise DatasetError(f"no pages found under {root}")
    return pages


def _page(truth_path: Path, html_path: Path) -> Page | None:
    """Build a page from its ground-truth JSON, in either layout (WCXB's nests its fields under
    ``ground_truth``; fundus-dev's are flat)."""
    data: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
    if "ground_truth" not in data and "body" in data:
        return _fundus_page(truth_path, html_path, data)
    return _wcxb_page(truth_path, html_path, data)


def _wcxb_page(truth_path: Path, html_path: Path, data: dict[str, Any]) -> Page | None:
    """The page type comes from ``_internal`` because ``metadata.json`` lacks some pages. A
    page whose ground truth has no ``main_content`` at all (two in the dev split) cannot be
    scored and is left out."""
    truth: dict[str, Any] = data.get("ground_truth") or {}
    if "main_content" not in truth:
        return None
    page_type = (data.get("_internal") or {}).get("page_type", {}).get("primary") or "unknown"
    return Page(
        page_id=truth_path.stem,
        url=data.get("url") or None,
        page_type=str(page_type),
        html_path=html_path,
        body=truth.get("main_content") or "",
        title=_field(truth, "title"),
        author=_field(truth, "author"),
        published=_field(truth, "publish_date"),
    )


def _fundus_page(truth_path: Path, html_path: Path, data: dict[str, Any]) -> Page:
    """Every fundus-dev page is a news article whose byline was reviewed: no authors means the
    page has none, and is scored as such."""
    authors = [str(name).strip() for name in data.get("authors") or () if str(name).strip()]
    return Page(
        page_id=truth_path.stem,
        url=data.get("url") or None,
        page_type="article",
        html_path=html_path,
        body=data.get("body") or "",
        title=_field(data, "title"),
        author=", ".join(authors),
        published=_field(data, "publishing_date"),
        language=_field(data, "language") or "unknown",
        lead_in_body=True,
    )


def _field(truth: dict[str, Any], key: str) -> str | None:
    """A metadata field, with empty strings read as absent so they are not scored."""
    value = truth.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_html(path: Path) -> Html:
    """Gunzip and decode one page; the files are UTF-8, but a bad byte must not stop a run."""
    raw = gzip.decompress(path.read_bytes())
    try:
        return Html(raw.decode("utf-8"), clean=True)
    except UnicodeDecodeError:
        return Html(raw.decode("utf-8", errors="replace"), clean=False)


def uncompressed_size(path: Path) -> int:
    """The unpacked size from the gzip trailer (ISIZE), so finding the largest page does not
    mean unpacking all of them. Exact for files under 4 GiB."""
    with path.open("rb") as handle:
        handle.seek(-4, 2)
        size: int = struct.unpack("<I", handle.read(4))[0]
    return size


def largest_page(root: Path) -> Page:
    """The dev page with the most bytes of HTML, over the whole dataset."""
    return max(load_pages(root), key=lambda page: uncompressed_size(page.html_path))
