"""Story grouping: paraphrases join, distinct events and distant times stay apart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handpicked.understand.embeddings import Embedder, story_text
from handpicked.understand.entities import extract_entities
from handpicked.understand.stories import StoryIndex, StoryItem, group_stories


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def test_groups_paraphrases_and_separates_quakes(embedder: Embedder) -> None:
    texts = [
        "Magnitude 7.1 earthquake strikes Chile, killing 12 in Valparaiso region",
        "Strong quake in Chile leaves at least a dozen dead near Valparaiso",
        "Earthquake of magnitude 6.4 hits Indonesia's Sulawesi, damaging homes",
    ]
    vectors = embedder.embed(texts)
    items = [
        StoryItem(str(i), vectors[i], texts[i], (), T0 + timedelta(hours=i), f"site{i}")
        for i in range(3)
    ]
    result = group_stories(items)
    assert result[0].story_id == result[1].story_id
    assert result[2].story_id != result[0].story_id


def test_window_and_round_trip(embedder: Embedder) -> None:
    (vector,) = embedder.embed(["Parliament passes new climate law after long debate"])
    index = StoryIndex()
    first = index.add("a", embedding=vector, title="Climate law", published=T0, site="x")
    later = index.add("b", embedding=vector, title="Climate law", published=T0 + timedelta(days=10))
    assert first.is_new and later.is_new and first.story_id != later.story_id
    copy = StoryIndex.from_rows(index.to_rows())
    again = copy.add("c", embedding=vector, title="Climate law", published=T0 + timedelta(hours=5))
    assert again.story_id == first.story_id and not again.is_new
    assert copy.stories[first.story_id].article_ids == ["a", "c"]


FIXTURE = Path(__file__).parent.parent / "fixtures" / "stories" / "stories.jsonl"


def test_labelled_set_keeps_two_turkish_quakes_apart(embedder: Embedder) -> None:
    """The set's hardest distractor pair: two earthquakes in Turkey a week apart."""
    events = ("quake-turkey-east", "quake-turkey-west")
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r["event"] in events]
    assert {r["event"] for r in rows} == set(events)
    vectors = embedder.embed([story_text(r["title"], r["text"]) for r in rows])
    items = [
        StoryItem(
            r["id"],
            vectors[i],
            r["title"],
            [e.key for e in extract_entities(r["title"], r["text"])],
            datetime.fromisoformat(r["published"]),
            r["site"],
        )
        for i, r in enumerate(rows)
    ]
    story = {a.article_id: a.story_id for a in group_stories(items)}
    found = {e: {story[r["id"]] for r in rows if r["event"] == e} for e in events}
    assert not found[events[0]] & found[events[1]]
