"""The command line: a thin layer over the public API, one module per stage's commands.

Extraction's commands need only the base install; the desk's load when ``handpicked[desk]`` is
installed and otherwise say so (see :mod:`handpicked.cli.extras`).
"""

from handpicked.cli import extract as _extract_commands  # noqa: F401  (registers commands)
from handpicked.cli.app import cli, main
from handpicked.cli.extras import register_desk_commands
from handpicked.cli.render import render, render_json, render_markdown, render_text

register_desk_commands()

__all__ = ["cli", "main", "render", "render_json", "render_markdown", "render_text"]
