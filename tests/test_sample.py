"""The bundled offline sample and ``handpicked try``: a new user's first minute, with picks."""

from __future__ import annotations

import asyncio
import html
import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner
from loopback import cli_env

from handpicked.cli import cli
from handpicked.cli.try_it import DEMO_EMAIL, prepare_demo
from handpicked.deliver.outbox import Outbox
from handpicked.deliver.runner import Deliverer
from handpicked.desk import readers
from handpicked.fetch.client import Fetcher
from handpicked.fetch.poller import PollReport, poll_sources
from handpicked.images import ImageCache, image_key
from handpicked.sample import (
    SAMPLE_RESOURCE,
    freshen_sample,
    holds_only_sample,
    load_sample,
    sample_articles,
)
from handpicked.settings import load_settings
from handpicked.store import Store, open_store

# After every article in the sample was published, and (for `try`, which uses the clock) in
# the past.
NOW = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
JNS_TITLE = "Russia’s remaining Jews should get out while they can"
LEDGER_TITLE = "It’s Time For Russia’s Remaining Jews To Leave"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_IMG = re.compile(r'<img src="([^"]+)"')
_ARTICLE = re.compile(r'<a href="/articles/(\d+)">')


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the sample loaded, made once (understanding it takes seconds); tests
    work on copies of it."""
    path = tmp_path_factory.mktemp("sample") / "loaded.db"
    store = open_store(f"sqlite:///{path}")
    try:
        report = load_sample(store, NOW)
    finally:
        store.close()
    assert report.added == report.articles == report.understood
    return path


def _copy(loaded: Path, tmp_path: Path) -> str:
    """A copy of the loaded database (SQLite's backup, which WAL files do not trouble)."""
    target = tmp_path / "news.db"
    with sqlite3.connect(loaded) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


@pytest.fixture
def sample_db(loaded: Path, tmp_path: Path) -> Iterator[tuple[Store, str]]:
    url = _copy(loaded, tmp_path)
    store = open_store(url)
    try:
        yield store, url
    finally:
        store.close()


def test_the_sample_is_bundled_with_its_attribution() -> None:
    data = resources.files("handpicked").joinpath(SAMPLE_RESOURCE)
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    assert 30 <= len(records) <= 60
    assert len(data.read_bytes()) < 1_500_000
    for record in records:
        assert record["source_page"].startswith(("wcxb-dev/", "seed-article/"))
        assert record["url"] and record["title"] and record["published"] and record["is_article"]
        assert record["word_count"] >= 150
    readme = resources.files("handpicked").joinpath("data/sample/README.md").read_text("utf-8")
    assert "Murrough Foley" in readme and "CC BY 4.0" in readme
    assert "https://creativecommons.org/licenses/by/4.0/" in readme


def test_loading_stores_and_understands_the_sample(sample_db: tuple[Store, str]) -> None:
    store, _url = sample_db
    stored = store.articles.list()
    assert len(stored) == len(sample_articles()) >= 30
    assert all(a.fetched_at == NOW and a.understood for a in stored)
    assert all(a.published is not None and a.published < NOW for a in stored)  # as extracted

    # The seed pair is one story, told by the syndicating outlet's original.
    by_title = {a.title: a for a in stored}
    jns, ledger = by_title[JNS_TITLE], by_title[LEDGER_TITLE]
    assert ledger.duplicate_of == jns.id and jns.duplicate_of is None
    assert ledger.story_id == jns.story_id is not None
    story = {s.id: s for s in store.stories.list()}[jns.story_id]
    assert story.article_count == 2 and story.representative_id == jns.id

    # Only the seed pair is one story: articles that merely share a subject (five outlets'
    # unrelated pieces on AI, two on meditation, two "best of 2025" lists) each stand alone, so
    # no pick claims "also covered by" an outlet that told another story.
    told_together = [s for s in store.stories.list() if s.article_count > 1]
    assert [s.id for s in told_together] == [jns.story_id]


def test_the_sample_sites_are_listed_as_sources_that_are_never_polled(
    sample_db: tuple[Store, str],
) -> None:
    store, _url = sample_db
    sources = store.sources.list()
    sites = {urlsplit(a.url or "").netloc for a in sample_articles()}
    assert {urlsplit(s.url).netloc for s in sources} == sites
    assert all(
        s.kind == "site" and "bundled sample, not polled" in (s.title or "") for s in sources
    )
    by_id = {s.id: s for s in sources}
    for article in store.articles.list():
        source = by_id[article.source_id or 0]
        assert urlsplit(source.url).netloc == urlsplit(article.url or "").netloc
    # The poller takes due sources only; these never are, so nothing is fetched.
    years_later = datetime.now(UTC) + timedelta(days=3650)
    assert store.sources.due(years_later) == []

    report = PollReport()

    async def poll() -> None:
        async with Fetcher(retries=0, timeout=2) as fetcher:
            await poll_sources(store, fetcher, report, years_later)

    asyncio.run(poll())
    assert report.sources_polled == 0
    assert all(s.last_polled_at is None for s in store.sources.list())


def test_loading_twice_adds_nothing(sample_db: tuple[Store, str]) -> None:
    store, _url = sample_db
    before = store.articles.count()
    again = load_sample(store, NOW + timedelta(hours=1))
    assert (again.added, again.understood, again.new_stories) == (0, 0, 0)
    assert store.articles.count() == before
    assert holds_only_sample(store)


def test_a_reader_who_follows_putin_gets_the_seed_story(
    sample_db: tuple[Store, str], tmp_path: Path
) -> None:
    store, url = sample_db
    settings = load_settings({"HANDPICKED_DATA_DIR": str(tmp_path), "HANDPICKED_DATABASE_URL": url})
    reader = readers.add_reader(store, "ann@example.com", NOW)
    readers.set_interest(store, reader, "Putin", "follow", NOW)
    digest = Deliverer(store, settings).preview(reader, NOW + timedelta(minutes=5))
    titles = [item.article.title for item in digest.items]
    assert titles == [JNS_TITLE]  # the story once, by its original
    assert digest.items[0].outlets and "Vladimir Putin" in str(digest.items[0].reasons)

    # Days later, a store that holds only the sample is made new again by `try`.
    later = NOW + timedelta(days=5)
    assert Deliverer(store, settings).preview(reader, later).items == ()
    assert freshen_sample(store, later) == len(sample_articles())
    assert [i.article.title for i in Deliverer(store, settings).preview(reader, later).items] == [
        JNS_TITLE
    ]
    assert freshen_sample(store, NOW) == 0  # never moved back


def test_the_demo_reader_is_made_once(loaded: Path, tmp_path: Path) -> None:
    url = _copy(loaded, tmp_path)
    # As if the first load had been cut short: two articles not stored yet.
    missing = sample_articles()[-2:]
    with sqlite3.connect(tmp_path / "news.db") as db:
        db.executemany("DELETE FROM articles WHERE title = ?", [(a.title,) for a in missing])
    db.close()
    settings = load_settings({"HANDPICKED_DATA_DIR": str(tmp_path), "HANDPICKED_DATABASE_URL": url,
                              "HANDPICKED_BASE_URL": "http://127.0.0.1:9999"})  # fmt: skip
    store = open_store(url)
    try:
        later = NOW + timedelta(days=3)
        first = prepare_demo(store, settings, later)
        assert first.on_sample and first.loaded == 2
        assert first.password and len(first.password) >= 10
        assert first.link.startswith("http://127.0.0.1:9999/signin/link/")
        reader = store.readers.get(email=DEMO_EMAIL)
        assert reader is not None
        assert reader.unsubscribed_at is None  # subscribed: the demo makes digests
        follows = store.interests.of_readers([reader.id])[reader.id]
        assert {(i.kind, i.key) for i in follows} >= {("entity", "person:vladimir putin"),
                                                      ("topic", "politics")}  # fmt: skip
        # With no SMTP server, the first digest was delivered at once to the local outbox.
        [delivery] = store.deliveries.list(reader.id)
        assert delivery.state == "sent" and len(delivery.items) == first.first_digest >= 3
        [message] = Outbox.for_settings(settings).messages()
        assert message.message_id == delivery.message_id and message.to == DEMO_EMAIL
        assert JNS_TITLE in (message.part("plain") or "")
        # Every picture of the sample is in the image cache, as a picture.
        cache = ImageCache.for_settings(settings)
        urls = {image.url for article in sample_articles() for image in article.images}
        assert len(urls) >= 100
        for url in urls:
            cached = cache.get(image_key(url))
            assert cached is not None and cached.media_type == "image/png", url

        second = prepare_demo(store, settings, later + timedelta(hours=1))
        assert second.password is None and second.loaded == 0
        assert second.first_digest == 0  # later digests come on the schedule
        assert len(store.deliveries.list(reader.id)) == 1
        assert second.link != first.link
        assert len(store.interests.of_readers([reader.id])[reader.id]) == len(follows)

        # A database with articles of its own is left alone.
        store.articles.save(replace(missing[0], url="https://news.example/own",
                                   canonical_url=None), source_id=None, now=later)  # fmt: skip
        third = prepare_demo(store, settings, later + timedelta(days=1))
        assert not third.on_sample and third.loaded == 0
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Output:
    """A child's merged stdout and stderr, read on a thread so that it never blocks."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._process = process
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text)
            if found:
                return found
            if self._process.poll() is not None:
                self._thread.join(5)
                found = re.search(pattern, self.text)
                if found:
                    return found
                pytest.fail(f"exited {self._process.returncode} before printing {pattern!r}:\n"
                            f"{self.text}")  # fmt: skip
            time.sleep(0.1)
        pytest.fail(f"no {pattern!r} within {timeout} s:\n{self.text}")

    def close(self) -> None:
        self._thread.join(10)


def test_try_serves_the_sample_to_a_signed_in_demo_reader(loaded: Path, tmp_path: Path) -> None:
    """`make run`'s command for real (uvicorn, the scheduler), on a copy of the loaded sample
    so that it is not understood twice in this file: `try` then marks it new today, makes
    the demo reader and serves."""
    env = cli_env(tmp_path, allow_private=False)
    assert env["HANDPICKED_DATABASE_URL"] == _copy(loaded, tmp_path)
    env["PYTHONUNBUFFERED"] = "1"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "handpicked", "try", "--port", str(port)],  # as `make run`
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output = _Output(process)
    try:
        output.wait_for(re.escape(f"handpicked is at {base}/"), timeout=90)
        password = output.wait_for(rf"Sign in as {re.escape(DEMO_EMAIL)} with password (\S+)",
                                   timeout=5).group(1)  # fmt: skip
        link = output.wait_for(rf"({re.escape(base)}/signin/link/\S+)", timeout=5).group(1)
        assert "Ctrl-C" in output.text and "marked as new today" in output.text
        output.wait_for("Uvicorn running", timeout=30)

        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.get(link.removeprefix(base)).status_code == 200  # a live link
            form = client.get("/signin")
            assert form.status_code == 200 and client.cookies.get("handpicked_csrf")
            token = _CSRF.search(form.text)
            assert token is not None
            signed_in = client.post("/signin", data={
                "email": DEMO_EMAIL, "password": password, "next": "/",
                "csrf_token": token.group(1),
            })  # fmt: skip
            assert signed_in.status_code == 303, signed_in.text
            assert client.cookies.get("handpicked_session")
            # Depends on the reader's pages (src/handpicked/web/pages/picks.py): today's picks.
            today = client.get("/")
            assert today.status_code == 200
            assert JNS_TITLE in html.unescape(today.text)
            listed = html.unescape(client.get("/sources").text)
            assert "No sources yet" not in listed
            assert "Jewish News Syndicate (bundled sample, not polled)" in listed
            # Every picture on the picks page and on an article page loads, from our server.
            pictures = _IMG.findall(today.text)
            article = client.get(f"/articles/{_ARTICLE.findall(today.text)[0]}").text
            pictures += _IMG.findall(article)
            assert len(pictures) >= 3
            for src in pictures:
                assert src.startswith("/images/"), src
                picture = client.get(html.unescape(src))
                assert picture.status_code == 200, src
                assert picture.headers["content-type"] == "image/png"
            # The whole loop: a digest delivered (to the outbox), in the history and readable.
            history = client.get("/settings").text
            assert "<strong>Sent</strong>" in history
            read_it = re.search(r'href="(/outbox/\d+)">read it in your outbox', history)
            assert read_it is not None, history
            assert JNS_TITLE in html.unescape(client.get("/outbox").text)
            assert client.get(read_it.group(1)).status_code == 200
            email = client.get(read_it.group(1) + "/email")
            assert email.status_code == 200 and JNS_TITLE in html.unescape(email.text)
            assert all(src.startswith("/images/") for src in _IMG.findall(email.text))
        assert "first digest" in output.text and "handpicked outbox 1" in output.text
        listing = subprocess.run([sys.executable, "-m", "handpicked", "outbox"], env=env,
                                 capture_output=True, text=True, timeout=60)  # fmt: skip
        assert listing.returncode == 0 and DEMO_EMAIL in listing.stdout
        newest = subprocess.run([sys.executable, "-m", "handpicked", "outbox", "1"], env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert newest.returncode == 0 and JNS_TITLE in newest.stdout

        # The same, without the pages: the demo reader's digest, read from the store.
        store = open_store(env["HANDPICKED_DATABASE_URL"])
        try:
            reader = store.readers.get(email=DEMO_EMAIL)
            assert reader is not None
            [delivered] = store.deliveries.list(reader.id)  # the first digest, sent at once
            titles = {a.id: a.title for a in store.articles.list()}
            assert JNS_TITLE in [titles[i] for i in delivered.article_ids]
            # so the next digest holds only what that one did not.
            digest = Deliverer(store, load_settings(env)).preview(reader, datetime.now(UTC))
            assert not {item.article.id for item in digest.items} & set(delivered.article_ids)
            stored = store.articles.list()
            assert len(stored) == len(sample_articles())
            assert all(a.fetched_at > NOW for a in stored)  # new today
        finally:
            store.close()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
            raise
        output.close()
        if process.stdout:
            process.stdout.close()
    assert code == 0, output.text
    assert "Traceback" not in output.text
    assert "Application shutdown complete" in output.text


def test_try_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "handpicked", "try", "--port", str(port)],
            env=cli_env(tmp_path, allow_private=False), capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert not (tmp_path / "news.db").exists()  # refused before anything was loaded


def test_since_on_the_cli_means_found_by_us_not_published(sample_db: tuple[Store, str]) -> None:
    """The sample's articles were published months ago but found just now: `--since 1d` lists
    them all, as the web app counts them new; `--since` before they were found lists none."""
    store, url = sample_db
    found = datetime.now(UTC)
    assert freshen_sample(store, found) == len(sample_articles())
    published = [a.published for a in store.articles.list() if a.published]
    assert published and max(published) < found - timedelta(days=2)
    env = {"HANDPICKED_DATABASE_URL": url}
    runner = CliRunner()

    articles = runner.invoke(cli, ["articles", "--since", "2d"], env=env, catch_exceptions=False)
    assert articles.exit_code == 0
    assert len(articles.stdout.splitlines()) == len(sample_articles())
    stories = runner.invoke(cli, ["stories", "--since", "1d", "--json"], env=env,
                            catch_exceptions=False)  # fmt: skip
    listed = json.loads(stories.stdout)
    assert len(listed) == len(store.stories.list()) >= 10
    assert any(a["title"] == JNS_TITLE for s in listed for a in s["articles"])

    future = (found + timedelta(hours=1)).isoformat()
    for command in ("articles", "stories"):
        later = runner.invoke(cli, [command, "--since", future], env=env, catch_exceptions=False)
        assert later.exit_code == 0 and later.stdout == ""
