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

QUAKE = (
    "<html lang='en'><head><title>Quake</title>"
    "<meta property='article:published_time' content='2026-11-24T06:00:00+00:00'></head><body>"
    "<article><h1>Strong quake shakes the coast</h1><p>An earthquake of magnitude 6.4 struck "
    "near Valparaiso on Tuesday, killing 12 people, the Chilean civil defence agency said as "
    "rescuers searched the rubble of collapsed homes through the night.</p></article></body>"
    "</html>"
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


def test_a_restart_gives_open_stories_back_the_marks_of_their_text(tmp_path: Path) -> None:
    """Stories tell look-alike events apart by the names and numbers in their articles' text.
    A new process rebuilds its story index from the store: the open stories must know the
    same marks as in the process that built them, or the next articles are matched on titles
    alone."""
    store = open_store(f"sqlite:///{tmp_path / 'news.db'}")
    for page, url in (
        (QUAKE, "https://news.example/2026/11/24/quake"),
        (SPORT, "https://sport.example/2026/11/24/late-goal-wins-the-cup"),
    ):
        store.articles.save(extract(page, url), source_id=None, now=NOW)
    first = Understander(store)
    first.run()
    second = Understander(store)
    second.run()  # nothing new: only rebuilds the indexes

    def known(understander: Understander) -> dict[int, set[str]]:
        return {s.id: set(s.marks) for s in understander.stories.stories}

    assert len(known(first)) == 2
    assert any({"valparaiso", "6.4"} <= marks for marks in known(second).values())  # text only
    assert known(second) == known(first)
    store.close()


def _page(title: str, when: str, text: str) -> str:
    return (
        f"<html lang='en'><head><title>{title}</title><meta property='article:published_time' "
        f"content='{when}'></head><body><article><h1>{title}</h1><p>{text}</p></article></body>"
        "</html>"
    )


TRIAL = _page(
    "Former mayor Viktor Halloran goes on trial in Brackwater",
    "2026-11-01T09:00:00+00:00",
    "The fraud trial of former Brackwater mayor Viktor Halloran opened on Thursday at Ellsworth "
    "County Court before Judge Miriam Oduya, with prosecutor Dana Whitcombe telling the jury "
    "that 4.2 million dollars of harbour funds had been diverted to companies Halloran owned.",
)
VERDICT = _page(
    "Jury finds Viktor Halloran guilty of fraud",
    "2026-11-20T15:00:00+00:00",
    "A jury at Ellsworth County Court found former Brackwater mayor Viktor Halloran guilty of "
    "fraud on Tuesday, after a trial in which prosecutor Dana Whitcombe said harbour funds were "
    "diverted; Judge Miriam Oduya will pass sentence next month.",
)


def test_a_story_that_comes_back_after_the_window_is_threaded_even_after_a_restart(
    tmp_path: Path,
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'news.db'}")
    trial_id, _ = store.articles.save(extract(TRIAL, "https://a.example/trial"), source_id=None,
                                      now=NOW)  # fmt: skip
    store.articles.save(extract(SPORT, "https://sport.example/late-goal"), source_id=None, now=NOW)
    store.articles.save(extract(QUAKE, "https://b.example/quake"), source_id=None, now=NOW)
    assert Understander(store).run().threaded_stories == 0

    verdict_id, _ = store.articles.save(extract(VERDICT, "https://c.example/verdict"),
                                        source_id=None, now=NOW)  # fmt: skip
    report = Understander(store).run()  # a new process: the thread index is rebuilt first
    assert report.new_stories == 1 and report.threaded_stories == 1
    trial, verdict = store.articles.get(trial_id), store.articles.get(verdict_id)
    assert trial is not None and verdict is not None and trial.story_id != verdict.story_id
    thread = store.threads.of(verdict.story_id or 0)
    assert [e.story_id for e in thread] == [trial.story_id, verdict.story_id]
    assert thread[1].continues_id == trial.story_id
