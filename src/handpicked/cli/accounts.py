"""Account commands for the web app and the API: passwords, sign-in links, API tokens."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from handpicked.cli.app import CONTEXT, cli
from handpicked.cli.common import open_store_or_fail
from handpicked.desk import accounts as account_service
from handpicked.desk import readers as service
from handpicked.desk.readers import ReaderError
from handpicked.settings import load_settings
from handpicked.store import ReaderRecord, Store


def _find(store: Store, email: str) -> ReaderRecord:
    try:
        return service.find_reader(store, email)
    except ReaderError as error:
        raise click.ClickException(str(error)) from error


@cli.command("password", context_settings=CONTEXT)
@click.argument("email")
@click.password_option("--password", help="The new password (asked for when left out).")
def password(email: str, password: str) -> None:
    """Set a reader's password for the web app and the API (signs them out everywhere)."""
    with open_store_or_fail() as store:
        reader = _find(store, email)
        try:
            account_service.set_password(store, reader, password)
        except account_service.AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Password set for {reader.email}.")


@cli.command("signin-link", context_settings=CONTEXT)
@click.argument("email")
def signin_link(email: str) -> None:
    """Print a one-time sign-in link for a reader (works for 20 minutes)."""
    settings = load_settings()
    with open_store_or_fail() as store:
        reader = _find(store, email)
        token = store.accounts.create_sign_in_link(
            reader.id, datetime.now(UTC), account_service.LINK_LIFETIME
        )
    click.echo(f"{settings.base_url}/signin/link/{token}")


@cli.command("token", context_settings=CONTEXT)
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What it is for.")
def token(email: str, name: str) -> None:
    """Create an API token for a reader (shown once): Authorization: Bearer TOKEN."""
    with open_store_or_fail() as store:
        reader = _find(store, email)
        _id, secret = store.accounts.create_api_token(reader.id, name, datetime.now(UTC))
    click.echo(secret)
