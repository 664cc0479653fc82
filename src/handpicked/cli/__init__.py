"""The command line: a thin layer over the public API, one module per stage's commands."""

from handpicked.cli import accounts as _account_commands  # noqa: F401  (registers commands)
from handpicked.cli import extract as _extract_commands  # noqa: F401  (registers commands)
from handpicked.cli import gather as _gather_commands  # noqa: F401  (registers commands)
from handpicked.cli import readers as _reader_commands  # noqa: F401  (registers commands)
from handpicked.cli import serve as _serve_commands  # noqa: F401  (registers commands)
from handpicked.cli import try_it as _try_commands  # noqa: F401  (registers commands)
from handpicked.cli import understand as _understand_commands  # noqa: F401  (registers commands)
from handpicked.cli.app import cli, main
from handpicked.cli.render import render, render_json, render_markdown, render_text

__all__ = ["cli", "main", "render", "render_json", "render_markdown", "render_text"]
