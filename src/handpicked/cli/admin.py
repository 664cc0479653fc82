"""``handpicked admin``: who administers the desk, who may sign up, and invite links."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from handpicked.cli.app import CONTEXT, cli
from handpicked.cli.common import open_store_or_fail
from handpicked.desk import Desk, DeskError
from handpicked.desk import readers as service
from handpicked.desk.admin import SIGNUP_MODES
from handpicked.settings import load_settings


def _desk() -> Desk:
    return Desk(open_store_or_fail(), load_settings())


@cli.group("admin", context_settings=CONTEXT)
def admin_group() -> None:
    """The desk's admins, its sign-up mode and invite links.

    The first account made in the web app is the admin. Admins manage the desk-wide sources,
    the readers and who may sign up, in the web app's Admin page and /api/v1/admin.

    \b
    Examples:
      handpicked admin add ann@example.com
      handpicked admin list
      handpicked admin signup open
      handpicked admin invite
    """


@admin_group.command("add", context_settings=CONTEXT)
@click.argument("email")
def admin_add(email: str) -> None:
    """Make a reader admin (adding the reader when there is none with that address)."""
    with _desk() as desk:
        if desk.store.readers.get(email=email) is None:
            try:
                service.add_reader(desk.store, email, datetime.now(UTC))
            except service.ReaderError as error:
                raise click.ClickException(str(error)) from error
            click.echo(f"added the reader {email}; sign in with: handpicked signin-link {email}")
        reader = desk.admin.set_admin(email, True)
    click.echo(f"{reader.email} is an admin")


@admin_group.command("remove", context_settings=CONTEXT)
@click.argument("email")
def admin_remove(email: str) -> None:
    """Make an admin an ordinary reader again (not the last admin)."""
    with _desk() as desk:
        try:
            reader = desk.admin.set_admin(email, False)
        except DeskError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"{reader.email} is no longer an admin")


@admin_group.command("list", context_settings=CONTEXT)
def admin_list() -> None:
    """The desk's admins, and its sign-up mode."""
    with _desk() as desk:
        for reader in desk.admin.admins():
            click.echo(reader.email)
        click.echo(f"sign-up: {desk.admin.policy().signup_mode}", err=True)


@admin_group.command("signup", context_settings=CONTEXT)
@click.argument("mode", type=click.Choice(SIGNUP_MODES))
def admin_signup(mode: str) -> None:
    """Who may create an account: nobody (closed), whoever has an invite link (invite), or
    anyone who confirms their address by email (open)."""
    with _desk() as desk:
        desk.admin.set_policy(None, signup_mode=mode)
    click.echo(f"sign-up is now {mode}")


@admin_group.command("invite", context_settings=CONTEXT)
def admin_invite() -> None:
    """Print a single-use sign-up link (works for 7 days, whatever the sign-up mode but
    closed)."""
    with _desk() as desk:
        click.echo(desk.admin.make_invite(None))
