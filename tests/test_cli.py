"""The ``handpicked`` command end to end: every kind of source, every format, failures that
must not sink the other inputs and worker processes (URLs: ``test_cli_fetch.py``)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from handpicked import __version__
from handpicked.cli import cli, render_markdown, render_text

FIXTURES = Path(__file__).parent / "fixtures" / "seed-article"
SEED = FIXTURES / "page.html"
SYNDICATED = FIXTURES / "syndicated-copy.html"
SEED_TITLE = "It’s Time For Russia’s Remaining Jews To Leave"
SEED_BODY_START = "The IRGC has every reason to remain loyal"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 8


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    """Run the CLI in-process; exceptions propagate so a crash fails the test loudly."""
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A folder of inputs: nested HTML, .htm, gzip, and a file that is not a page."""
    root = tmp_path / "pages"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / "a.html").write_bytes(SEED.read_bytes())
    (root / "b" / "deeper" / "c.htm").write_bytes(SYNDICATED.read_bytes())
    (root / "b" / "d.html.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (root / "notes.txt").write_text("not a page")
    (root / "image.png").write_bytes(PNG)
    return root


# --- Local files and standard input ---------------------------------------------------------


def test_file_prints_title_and_body_as_text() -> None:
    result = invoke("extract", str(SEED))
    assert result.exit_code == 0, result.stderr
    first_line = result.stdout.splitlines()[0]
    assert SEED_TITLE in first_line
    assert SEED_BODY_START in " ".join(result.stdout.split())
    assert result.stderr == ""


def test_json_lines_parse_with_source_and_title() -> None:
    result = invoke("extract", str(SEED), str(SYNDICATED), "--json")
    assert result.exit_code == 0, result.stderr
    records = json_lines(result.stdout)
    assert [record["source"] for record in records] == [str(SEED), str(SYNDICATED)]
    assert SEED_TITLE in records[0]["title"]
    assert records[0]["text"].startswith(SEED_BODY_START)
    assert len(result.stdout.splitlines()) == 2  # one object per line, nothing else


def test_format_json_is_the_same_as_json_flag() -> None:
    assert invoke("extract", str(SEED), "--json").stdout == (
        invoke("extract", str(SEED), "--format", "json").stdout
    )


def test_json_flag_conflicting_with_another_format_is_a_usage_error() -> None:
    result = invoke("extract", str(SEED), "--json", "--format", "text")
    assert result.exit_code == 2
    assert "conflicts" in result.stderr


def test_markdown_starts_with_the_title_heading() -> None:
    result = invoke("extract", str(SEED), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"# {SEED_TITLE}")
    assert "- **" in result.stdout


def test_gzip_file_gives_the_same_article(tmp_path: Path) -> None:
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(SEED.read_bytes()))
    plain = json_lines(invoke("extract", str(SEED), "--json").stdout)[0]
    result = invoke("extract", str(packed), "--json")
    assert result.exit_code == 0, result.stderr
    unpacked = json_lines(result.stdout)[0]
    assert unpacked.pop("source") == str(packed)
    plain.pop("source")
    assert unpacked == plain


def test_folder_expands_recursively_in_sorted_order(pages: Path) -> None:
    result = invoke("extract", str(pages), "--json")
    assert result.exit_code == 0, result.stderr
    sources = [record["source"] for record in json_lines(result.stdout)]
    assert sources == [
        str(pages / "a.html"),
        str(pages / "b" / "d.html.gz"),
        str(pages / "b" / "deeper" / "c.htm"),
    ]


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    result = invoke("extract", str(tmp_path), str(SEED), "--json")
    assert result.exit_code == 1
    assert f"error: {tmp_path}: folder holds no .html" in result.stderr
    assert len(json_lines(result.stdout)) == 1


def test_stdin_bytes() -> None:
    result = invoke("extract", "-", "--json", stdin=SEED.read_bytes())
    assert result.exit_code == 0, result.stderr
    (record,) = json_lines(result.stdout)
    assert record["source"] == "<stdin>"
    assert SEED_TITLE in record["title"]


def test_stdin_gzip_is_unpacked() -> None:
    result = invoke("extract", "-", "--json", stdin=gzip.compress(SEED.read_bytes()))
    assert result.exit_code == 0, result.stderr
    assert SEED_TITLE in json_lines(result.stdout)[0]["title"]


def test_stdin_over_the_limit_is_refused() -> None:
    result = invoke("extract", "-", "--max-bytes", "1k", stdin=SEED.read_bytes())
    assert result.exit_code == 1
    assert "error: <stdin>: input is over the" in result.stderr
    assert "--max-bytes" in result.stderr


def test_failing_inputs_are_reported_and_the_others_still_come_out(tmp_path: Path) -> None:
    binary = tmp_path / "image.html"
    binary.write_bytes(PNG)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.html"
    broken_gz = tmp_path / "broken.html.gz"
    broken_gz.write_bytes(gzip.compress(SEED.read_bytes())[:200])

    result = invoke(
        "extract", str(SEED), str(missing), str(binary), str(empty), str(broken_gz),
        str(SYNDICATED), "--json",
    )  # fmt: skip
    assert result.exit_code == 1
    assert [r["source"] for r in json_lines(result.stdout)] == [str(SEED), str(SYNDICATED)]
    errors = result.stderr.splitlines()
    assert errors[0] == f"error: {missing}: no such file; check the path"
    assert errors[1].startswith(f"error: {binary}: input looks like binary data, not HTML")
    assert errors[2].startswith(f"error: {empty}: input is empty")
    assert errors[3].startswith(f"error: {broken_gz}: gzip data is truncated")
    assert errors[4] == "4 of 6 inputs failed"


def test_oversized_file_is_refused_with_a_hint() -> None:
    result = invoke("extract", str(SEED), "--max-bytes", "2k")
    assert result.exit_code == 1
    assert "over the" in result.stderr
    assert "--max-bytes" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("size", ["0", "lots", "-5"])
def test_bad_max_bytes_is_a_usage_error(size: str) -> None:
    result = invoke("extract", str(SEED), "--max-bytes", size)
    assert result.exit_code == 2


def test_max_bytes_accepts_suffixes() -> None:
    assert invoke("extract", str(SEED), "--max-bytes", "64MB").exit_code == 0
    assert invoke("extract", str(SEED), "--max-bytes", "1.5M").exit_code == 0


def test_no_sources_is_a_usage_error() -> None:
    assert invoke("extract").exit_code == 2


def test_text_format_separates_several_articles() -> None:
    result = invoke("extract", str(SEED), str(SYNDICATED))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("─" * 78) == 1


def test_jobs_two_gives_the_same_output_as_jobs_one(pages: Path, tmp_path: Path) -> None:
    missing = tmp_path / "gone.html"
    args = ["extract", str(pages), str(missing), str(SEED), str(SYNDICATED), "--json"]
    serial = invoke(*args, "--jobs", "1")
    parallel = invoke(*args, "--jobs", "2")
    assert serial.exit_code == parallel.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert len(json_lines(parallel.stdout)) == 5


def test_no_progress_bar_when_stderr_is_not_a_terminal(pages: Path) -> None:
    result = invoke("extract", str(pages), "--json")
    assert "page/s" not in result.stderr
    assert "%|" not in result.stderr


# --- Demo, version, help --------------------------------------------------------------------


def test_demo_prints_the_seed_title() -> None:
    result = invoke("demo")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == SEED_TITLE
    assert SEED_BODY_START in " ".join(result.stdout.split())


def test_demo_json_has_the_seed_url() -> None:
    record = json.loads(invoke("demo", "--format", "json").stdout)
    assert (
        record["url"] == "https://ledger.example/world/its-time-for-russias-remaining-jews-to-leave"
    )


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize("command", [[], ["extract"], ["demo"]])
def test_every_command_has_help_with_examples(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout


# --- Rendering of unusual articles ----------------------------------------------------------


def test_renderers_cope_with_an_empty_article() -> None:
    from handpicked import Article

    article = Article()
    assert "(untitled)" in render_text(article)
    assert "No article body found" in render_text(article)
    assert render_markdown(article).startswith("# (untitled)")


def test_markdown_escapes_what_would_read_as_markup() -> None:
    from handpicked import Article

    article = Article(title="*Hot* news", paragraphs=["# not a heading", "1. not a list"])
    text = render_markdown(article)
    assert "# \\*Hot\\* news" in text
    assert "\n\\# not a heading" in text
    assert "\n\\1. not a list" in text


# --- As a real process ----------------------------------------------------------------------


def run_process(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "handpicked", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_subprocess_stdin_json() -> None:
    process = run_process("extract", "-", "--json", stdin=SEED.read_bytes())
    assert process.returncode == 0, process.stderr.decode()
    (record,) = json_lines(process.stdout.decode("utf-8"))
    assert SEED_TITLE in record["title"]


def test_subprocess_jobs_and_failures(pages: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    process = run_process("extract", str(pages), str(missing), "--json", "--jobs", "2")
    assert process.returncode == 1
    assert len(json_lines(process.stdout.decode("utf-8"))) == 3
    assert f"error: {missing}: no such file" in process.stderr.decode("utf-8")


def test_subprocess_demo_and_usage_error() -> None:
    demo = run_process("demo")
    assert demo.returncode == 0
    assert demo.stdout.decode("utf-8").startswith(SEED_TITLE)
    assert run_process("extract", "--no-such-option").returncode == 2


def _stderr_on_a_terminal(*args: str) -> str:
    """Run the CLI with standard error on a pseudo-terminal 100 columns wide; return it."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    received = bytearray()

    def drain() -> None:
        try:
            while chunk := os.read(master, 65_536):
                received.extend(chunk)
        except OSError:  # the terminal closed
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        subprocess.run(
            [sys.executable, "-m", "handpicked", *args],
            stdout=subprocess.DEVNULL,
            stderr=slave,
            timeout=120,
            check=False,
        )
    finally:
        os.close(slave)
        reader.join(timeout=5)
        os.close(master)
    return received.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_bar_on_a_terminal_and_not_with_no_progress(pages: Path) -> None:
    shown = _stderr_on_a_terminal("extract", str(pages), str(SEED), "--json")
    assert "4/4" in shown
    assert "page/s" in shown
    hidden = _stderr_on_a_terminal("extract", str(pages), str(SEED), "--json", "--no-progress")
    assert hidden == ""
