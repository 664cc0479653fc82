"""From a crawl archive to stories: extract the WARC on Dask, load its output, understand it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from handpicked.cli import cli

from .make_warc import Response, seed_html, syndicated_html, write_warc


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"HANDPICKED_DATABASE_URL": f"sqlite:///{tmp_path / 'news.db'}"}


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_crawl_output_loads_and_becomes_one_story(
    tmp_path: Path, env: dict[str, str], suffix: str
) -> None:
    warc = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            Response("https://ledger.example/world/leave", seed_html()),
            Response("https://jns.example/opinion/get-out", syndicated_html()),
        ],
    )
    out = tmp_path / f"articles{suffix}"
    runner = CliRunner()
    extracted = runner.invoke(
        cli, ["extract", str(warc), "--out", str(out), "--workers", "1"], env=env
    )
    assert extracted.exit_code == 0, extracted.output
    loaded = runner.invoke(cli, ["load", str(out)], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert "stored 2 articles" in loaded.output
    again = runner.invoke(cli, ["load", str(out), "--no-understand"], env=env)
    assert "stored 0 articles (2 skipped" in again.output

    stories = json.loads(runner.invoke(cli, ["stories", "--json"], env=env).output)
    assert len(stories) == 1
    assert stories[0]["article_count"] == 2
    assert set(stories[0]["outlets"]) == {"The Daily Ledger", "Jewish News Syndicate"}


def test_a_file_of_another_kind_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    other = tmp_path / "articles.csv"
    other.write_text("url,title\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(other)], env=env)
    assert result.exit_code == 1
    assert "expected a .jsonl or .parquet file" in result.output
