"""``handpicked extract`` with WARC sources: routing, the summary line, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handpicked.bulk import job
from handpicked.cli import cli

from .make_warc import SEED_TITLE, Fixture, build_fixture, build_truncated

SEED_PAGE = Path(__file__).parent.parent / "fixtures" / "seed-article" / "page.html"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def crawl(tmp_path: Path) -> Fixture:
    return build_fixture(tmp_path / "crawl.warc.gz")


def test_warc_to_jsonl_with_summary(crawl: Fixture, tmp_path: Path) -> None:
    cut = build_truncated(tmp_path / "cut.warc")
    out = tmp_path / "articles.jsonl"
    result = invoke("extract", str(crawl.path), str(cut.path), "--out", str(out), "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("6 pages, ")
    assert "3 bad records, 1 error in " in lines[-1]
    assert lines[-1].endswith(f"pages/s) → {out}")
    assert any("ends mid-record" in line and str(cut.path) in line for line in lines)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5
    assert rows[0]["title"] == SEED_TITLE


def test_subprocess_parquet(crawl: Fixture, tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    command = [sys.executable, "-m", "handpicked", "extract", str(crawl.path), "-o", str(out)]
    done = subprocess.run(
        [*command, "--workers", "1"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "4 articles" in done.stderr or " articles, " in done.stderr
    assert out.is_file()


def test_unopenable_warc_exits_1(tmp_path: Path) -> None:
    result = invoke("extract", str(tmp_path / "nope.warc.gz"), "--out", str(tmp_path / "a.jsonl"))
    assert result.exit_code == 1
    assert "nope.warc.gz: no such file" in result.stderr
    assert not (tmp_path / "a.jsonl").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "need --out"),
        (["--out", "a.csv"], "unknown output format"),
        (["--out", "a.jsonl", "--scheduler", "localhost:8786"], "not a scheduler address"),
        (
            ["--out", "a.jsonl", "--scheduler", "tcp://localhost:8786", "--workers", "2"],
            "--workers sizes the local cluster",
        ),
    ],
)
def test_usage_errors(crawl: Fixture, extra: list[str], message: str) -> None:
    result = invoke("extract", str(crawl.path), *extra)
    assert result.exit_code == 2
    assert message in result.stderr


def test_mixing_warc_and_html_is_a_usage_error(crawl: Fixture, tmp_path: Path) -> None:
    result = invoke("extract", str(crawl.path), str(SEED_PAGE), "--out", str(tmp_path / "a.jsonl"))
    assert result.exit_code == 2
    assert "run the WARC files" in result.stderr


def test_warc_options_with_html_sources_are_usage_errors(tmp_path: Path) -> None:
    result = invoke("extract", str(SEED_PAGE), "--out", str(tmp_path / "a.jsonl"))
    assert result.exit_code == 2
    assert "--out is for WARC inputs" in result.stderr


def test_help_mentions_warc() -> None:
    result = invoke("extract", "--help")
    assert "--scheduler" in result.stdout
    assert "crawl.warc.gz --out articles.parquet" in result.stdout


def test_unreachable_scheduler_exits_1(
    crawl: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job, "_CONNECT_TIMEOUT", "0.5s")
    out = str(tmp_path / "a.jsonl")
    result = invoke("extract", str(crawl.path), "--out", out, "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    assert "could not reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
