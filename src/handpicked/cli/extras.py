"""Commands that need an optional extra: the desk's commands load only when ``handpicked[desk]``
is installed; without it they stay listed and say which extra to install, instead of the whole
command line failing on an import the extraction commands never needed."""

from __future__ import annotations

from importlib import import_module

import click

from handpicked.cli.app import cli

#: The modules that add the desk's commands, and the commands they add.
DESK_MODULES = (
    "accounts",
    "admin",
    "gather",
    "outbox",
    "readers",
    "search",
    "serve",
    "try_it",
    "understand",
)
DESK_COMMANDS = tuple(
    "sources poll articles understand stories load readers follow mute unfollow feedback "
    "digest deliver outbox password signin-link token tokens serve try admin search".split()
)


class MissingExtra(click.ClickException):
    """A command ran without the optional dependencies it needs."""

    def __init__(self, extra: str, module: str | None) -> None:
        missing = f" ({module} is not installed)" if module else ""
        super().__init__(
            f"this command needs handpicked's {extra!r} extra{missing}; "
            f"install it with: pip install 'handpicked[{extra}]'"
        )


def register_desk_commands() -> None:
    """Add the desk's commands, or stand-ins that name the missing extra."""
    try:
        for name in DESK_MODULES:
            import_module(f"handpicked.cli.{name}")
    except ModuleNotFoundError as error:
        if error.name is None or error.name.split(".")[0] == "handpicked":
            raise
        for command in DESK_COMMANDS:
            if command not in cli.commands:
                cli.add_command(_needs_extra(command, "desk", error.name))


def _needs_extra(name: str, extra: str, module: str) -> click.Command:
    def fail(args: tuple[str, ...]) -> None:
        raise MissingExtra(extra, module)

    return click.Command(
        name,
        callback=fail,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        help=f"(needs: pip install 'handpicked[{extra}]')",
        context_settings={"ignore_unknown_options": True, "help_option_names": []},
    )
