"""Reading WARC files: pages come out, everything else is skipped or counted, nothing is fatal."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from handpicked.bulk.warc import (
    WarcOpenError,
    WarcStats,
    _decode_body,
    is_warc_path,
    iter_html_responses,
)

from .make_warc import (
    AFTER_BROKEN_URL,
    EMPTY_URL,
    SEED_URL,
    SYNDICATED_URL,
    XHTML_URL,
    Response,
    build_fixture,
    build_truncated,
    record_bytes,
    seed_html,
    syndicated_html,
    write_warc,
)


def test_good_pages_come_out_in_order_and_broken_records_are_counted(tmp_path: Path) -> None:
    fixture = build_fixture(tmp_path / "crawl.warc.gz")
    stats = WarcStats()
    pages = list(iter_html_responses(fixture.path, stats))
    assert [page.url for page in pages] == [*fixture.good_urls[:3], EMPTY_URL, fixture.good_urls[3]]
    assert stats.pages == len(pages)
    assert dict(stats.skipped) == fixture.skipped
    assert stats.bad_records == fixture.bad_records == sum(stats.bad_reasons.values())
    assert stats.bad_reasons["content shorter than its Content-Length"] == 1
    assert not stats.truncated


@pytest.mark.parametrize("cut", [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95])
def test_a_cut_gzip_member_anywhere_costs_one_record(tmp_path: Path, cut: float) -> None:
    """However a member is cut, the reader finds its way to the records after it."""
    fixture = build_fixture(tmp_path / "crawl.warc.gz", cut=cut)
    stats = WarcStats()
    urls = [page.url for page in iter_html_responses(fixture.path, stats)]
    assert urls[-1] == AFTER_BROKEN_URL
    assert stats.bad_records == fixture.bad_records


def test_page_fields(tmp_path: Path) -> None:
    fixture = build_fixture(tmp_path / "crawl.warc.gz")
    pages = {page.url: page for page in iter_html_responses(fixture.path)}
    seed = pages[SEED_URL]
    assert seed.content == seed_html()
    assert seed.content_type == "text/html; charset=utf-8"
    assert seed.date is not None and seed.date.isoformat() == "2024-03-01T12:00:00+00:00"
    # Stored with Content-Encoding: gzip, handed over decoded.
    assert pages[SYNDICATED_URL].content == syndicated_html()
    assert pages[XHTML_URL].content_type == "application/xhtml+xml"


def test_truncated_file_ends_the_iteration_and_says_so(tmp_path: Path) -> None:
    fixture = build_truncated(tmp_path / "cut.warc.gz")
    stats = WarcStats()
    assert [page.url for page in iter_html_responses(fixture.path, stats)] == fixture.good_urls
    assert stats.truncated
    assert stats.bad_records == 1


def test_uncompressed_warc_and_its_truncation(tmp_path: Path) -> None:
    responses = [Response(SEED_URL, seed_html()), Response(SYNDICATED_URL, syndicated_html())]
    path = write_warc(tmp_path / "plain.warc", responses, compress=False)
    stats = WarcStats()
    assert len(list(iter_html_responses(path, stats))) == 2
    assert stats.bad_records == 0
    path.write_bytes(path.read_bytes()[:-500])
    stats = WarcStats()
    assert len(list(iter_html_responses(path, stats))) == 1
    assert stats.truncated


def test_broken_first_record_is_skipped(tmp_path: Path) -> None:
    broken = record_bytes(Response(SEED_URL, seed_html()))
    good = record_bytes(Response(SYNDICATED_URL, syndicated_html()))
    path = tmp_path / "first.warc.gz"
    path.write_bytes(broken[:40] + good)
    stats = WarcStats()
    assert [page.url for page in iter_html_responses(path, stats)] == [SYNDICATED_URL]
    assert stats.bad_records == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"<html>not an archive</html>", "not a WARC file"),
    ],
)
def test_files_that_cannot_be_opened(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "x.warc.gz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WarcOpenError, match=message):
        list(iter_html_responses(path))


def test_content_encodings() -> None:
    body = b"<p>hello</p>"
    assert _decode_body(gzip.compress(body), "gzip") == body
    assert _decode_body(body, "") == body
    assert _decode_body(b"not gzip", "gzip") is None
    assert _decode_body(body, "compress") is None


def test_warc_names() -> None:
    assert is_warc_path("a/CRAWL.WARC.GZ")
    assert is_warc_path("crawl.warc")
    assert not is_warc_path("page.html.gz")
