"""Every command's ``--help`` reads cleanly: click's ``\\b`` marker (a line of its own before a
paragraph that must keep its line breaks) never shows, as a literal ``\\b`` or a backspace
character, and every example command keeps its own line."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from handpicked.cli import cli

NO_REWRAP = "\b"  # click's marker: the next paragraph is printed as written


def _commands(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(cli))


def _example_lines(help_text: str) -> list[str]:
    """The example commands a help text gives: its lines that start with ``handpicked ``
    (or ``curl ``, piping a page in)."""
    return [
        line.strip()
        for line in help_text.splitlines()
        if line.strip().startswith(("handpicked ", "curl "))
    ]


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path, _command in COMMANDS}
    assert {"", "sources", "sources add", "stories", "articles", "load", "try"} <= names
    assert sum(bool(_example_lines(c.help or "")) for _p, c in COMMANDS) >= 5


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "handpicked" for p, _c in COMMANDS]
)
def test_help_has_no_stray_marker_and_keeps_example_lines(
    path: tuple[str, ...], command: click.Command
) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "\\b" not in result.output and "\x08" not in result.output
    shown = {line.strip() for line in result.output.splitlines()}
    for example in _example_lines(command.help or ""):
        # On its own line (possibly with a comment after it), not run into the text around it.
        assert any(line.startswith(example.split("  ")[0]) for line in shown), example
    help_text = command.help or ""
    for index, line in enumerate(help_text.splitlines()):
        if NO_REWRAP in line:
            assert line.strip() == NO_REWRAP, f"the marker must be on its own line: {line!r}"
            following = help_text.splitlines()[index + 1 : index + 2]
            assert following and following[0].strip(), "the marker must come before a paragraph"
