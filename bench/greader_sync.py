"""What a sync app costs the server: CPU time per Google Reader API request on a desk of
5,000 articles in 20 feeds, half of them read, for one reader.

    python bench/greader_sync.py [--articles N] [--feeds N] [--rounds N]

CPU time (``time.process_time``) of the whole request in-process (app and test client), the
median over the rounds; the picks are worked out on the first request and kept for a minute,
as a syncing app sees them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from starlette.testclient import TestClient

from handpicked.article import Article
from handpicked.desk import accounts
from handpicked.settings import Settings
from handpicked.store import open_store
from handpicked.web.app import create_app

PASSWORD = "correct horse battery"
PREFIX = "/api/greader.php"


def _seed(folder: Path, articles: int, feeds: int) -> tuple[Settings, int]:
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'news.db'}",
                        base_url="http://testserver", secret_key_value="bench",
                        allow_private_networks=False)  # fmt: skip
    store = open_store(settings.database_url)
    now = datetime.now(UTC)
    sources = [store.sources.add(f"https://feed{n}.example/rss", "feed", title=f"Feed {n}")[0].id
               for n in range(feeds)]  # fmt: skip
    ids = []
    for n in range(articles):
        article = Article(
            url=f"https://feed{n % feeds}.example/{n}", title=f"Story {n}",
            published=now - timedelta(minutes=n), lead=f"The lead of story {n}.",
            paragraphs=[f"Paragraph {p} of story {n}, in plain words." for p in range(12)],
            is_article=True,
        )  # fmt: skip
        article_id, _new = store.articles.save(
            article, source_id=sources[n % feeds], now=now - timedelta(minutes=n)
        )
        ids.append(article_id)
    reader = accounts.sign_up(store, "bench@example.com", PASSWORD, now)
    store.reading.mark_read(reader.id, ids[::2], now)
    store.close()
    return settings, sources[0]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        settings, first_feed = _seed(Path(folder), args.articles, args.feeds)
        with TestClient(create_app(settings)) as client:
            form = {"Email": "bench@example.com", "Passwd": PASSWORD}
            login = client.post(f"{PREFIX}/accounts/ClientLogin", data=form)
            token = login.text.splitlines()[-1].removeprefix("Auth=")
            auth = {"Authorization": f"GoogleLogin auth={token}"}
            api = f"{PREFIX}/reader/api/0"
            everything = "user/-/state/com.google/reading-list"
            requests = {
                "subscription/list": f"{api}/subscription/list",
                "unread-count": f"{api}/unread-count",
                "stream/items/ids, 1,000 unread": f"{api}/stream/items/ids?s={everything}"
                "&n=1000&xt=user/-/state/com.google/read",
                "stream/contents, 100 items": f"{api}/stream/contents/{everything}?n=100",
                "reader/atom (newsboat), 20 items":
                    f"{PREFIX}/reader/atom/feed%2F{first_feed}?n=20",
            }  # fmt: skip
            print(f"{args.articles:,} articles in {args.feeds} feeds, half read; "
                  f"median of {args.rounds} rounds")  # fmt: skip
            print("| Request | CPU ms (median) | Items |")
            print("|---|---:|---:|")
            for name, url in requests.items():
                client.get(url, headers=auth).raise_for_status()  # warm: picks, caches
                times, size = [], 0
                for _ in range(args.rounds):
                    start = time.process_time()
                    response = client.get(url, headers=auth)
                    times.append(time.process_time() - start)
                    response.raise_for_status()
                    body = response.text
                    size = body.count('"id":"tag:') + body.count("<entry") + body.count(
                        '"directStreamIds"')  # fmt: skip
                print(f"| {name} | {statistics.median(times) * 1000:.1f} | {size} |")


if __name__ == "__main__":
    main()
