"""The page the project started from extracts exactly as its expected.json says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from handpicked import Article, extract

SEED = Path(__file__).parent / "fixtures" / "seed-article"
EXPECTED: dict[str, dict[str, Any]] = json.loads((SEED / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Article]:
    name: str = request.param
    return EXPECTED[name], extract((SEED / name).read_bytes())


def test_scalar_fields(case: tuple[dict[str, Any], Article]) -> None:
    expected, article = case
    for field in ("url", "title", "site_name", "language", "section", "syndicated_from"):
        if field in expected:
            assert getattr(article, field) == expected[field], field


def test_published_day(case: tuple[dict[str, Any], Article]) -> None:
    expected, article = case
    assert article.published is not None
    assert article.published.tzinfo is not None
    assert article.published.date().isoformat() == expected["published"]


def test_list_fields(case: tuple[dict[str, Any], Article]) -> None:
    expected, article = case
    for field in ("tags", "editors", "pull_quotes"):
        if field in expected:
            assert getattr(article, field) == expected[field], field


def test_images_with_caption_and_credit(case: tuple[dict[str, Any], Article]) -> None:
    expected, article = case
    if "images" not in expected:
        pytest.skip("no images expected")
    got = [
        {key: image.to_dict()[key] for key in wanted}
        for image, wanted in zip(article.images, expected["images"], strict=False)
    ]
    assert got == expected["images"]


def test_body_paragraphs(case: tuple[dict[str, Any], Article]) -> None:
    expected, article = case
    assert len(article.paragraphs) == expected["body_paragraphs"]
    assert article.text == "\n\n".join(article.paragraphs)
    if "body_starts_with" in expected:
        assert article.text.startswith(expected["body_starts_with"])
    if "body_ends_with" in expected:
        assert article.text.endswith(expected["body_ends_with"])


def test_no_chrome_in_body(case: tuple[dict[str, Any], Article]) -> None:
    expected, article = case
    for snippet in expected.get("body_must_not_contain", []):
        assert snippet not in article.text, snippet


def test_is_an_article(case: tuple[dict[str, Any], Article]) -> None:
    _expected, article = case
    assert article.is_article
    assert article.word_count > 300


def test_to_dict_is_json(case: tuple[dict[str, Any], Article]) -> None:
    _expected, article = case
    data = json.loads(json.dumps(article.to_dict()))
    assert data["text"] == article.text
    assert data["published"].startswith(article.published.date().isoformat())  # type: ignore[union-attr]
