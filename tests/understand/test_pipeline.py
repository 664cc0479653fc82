"""Understanding runs on what the store holds, and picks up where an earlier process stopped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from handpicked import extract
from handpicked.store import open_store
from handpicked.understand.pipeline import Understander, understand_on_dask

SEED = Path(__file__).parent.parent / "fixtures" / "seed-article"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)

SPORT = (
    "<html lang='en'><head><title>Late goal</title></head><body><article><h1>Late goal wins "
    "the cup for Leeds</h1><p>Leeds United won the cup final on Saturday with a goal in the "
    "last minute of extra time, after a match that the coach called the hardest of the season."
    "</p><p>The striker, who joined the club in the summer, scored from a corner as the "
    "stadium fell silent, and the players celebrated with thousands of fans on the pitch.</p>"
    "</article></body></html>"
)


def test_a_restarted_pipeline_still_links_a_syndicated_copy(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'news.db'}")
    ledger = extract((SEED / "page.html").read_bytes())
    sport = extract(SPORT, "https://sport.example/2026/11/24/late-goal-wins-the-cup")
    ledger_id, _ = store.articles.save(ledger, source_id=None, now=NOW)
    sport_id, _ = store.articles.save(sport, source_id=None, now=NOW)
    first = Understander(store).run()
    assert first.articles == 2 and first.new_stories == 2 and first.duplicates == 0

    # A new process: its indexes are rebuilt from the store before the copy arrives.
    jns = extract((SEED / "syndicated-copy.html").read_bytes())
    jns_id, _ = store.articles.save(jns, source_id=None, now=NOW)
    second = Understander(store).run()
    assert second.articles == 1 and second.duplicates == 0  # the JNS page is the original

    stored = {a.id: a for a in store.articles.list()}
    assert stored[ledger_id].duplicate_of == jns_id
    assert stored[jns_id].story_id == stored[ledger_id].story_id
    assert stored[sport_id].story_id != stored[ledger_id].story_id
    assert {t["key"] for t in stored[sport_id].topics} >= {"sport"}
    assert Understander(store).run().articles == 0  # nothing is understood twice

    stories = {s.id: s for s in store.stories.list()}
    story = stories[stored[jns_id].story_id or 0]
    assert story.article_count == 2
    assert story.representative_id == jns_id
    assert set(story.outlets) == {"The Daily Ledger", "Jewish News Syndicate"}


def test_the_bulk_job_on_dask_finds_the_same(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'news.db'}")
    ids = []
    for name in ("page.html", "syndicated-copy.html"):
        article = extract((SEED / name).read_bytes())
        ids.append(store.articles.save(article, source_id=None, now=NOW)[0])
    ids.append(
        store.articles.save(
            extract(SPORT, "https://sport.example/2026/11/24/late-goal-wins-the-cup"),
            source_id=None,
            now=NOW,
        )[0]
    )
    report = understand_on_dask(store, workers=1)
    assert report.articles == 3
    ledger, jns, sport = (store.articles.get(i) for i in ids)
    assert ledger is not None and jns is not None and sport is not None
    assert ledger.duplicate_of == jns.id
    assert ledger.story_id == jns.story_id != sport.story_id
    assert {e["name"] for e in ledger.entities} >= {"Vladimir Putin", "IRGC"}
