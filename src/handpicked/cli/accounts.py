"""Account commands for the web app and the API: passwords, sign-in links, API tokens
(made, listed and revoked)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from handpicked.cli.app import CONTEXT, cli
from handpicked.cli.common import open_store_or_fail
from handpicked.desk import accounts as account_service
from handpicked.desk import credentials
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
        made = credentials.make_token(store, reader, name, datetime.now(UTC))
    click.echo(made.secret)


@cli.group("tokens", context_settings=CONTEXT)
def tokens_group() -> None:
    """List and revoke a reader's API tokens (make one with: handpicked token EMAIL).

    \b
    Examples:
      handpicked tokens list --reader ann@example.com
      handpicked tokens revoke 3 --reader ann@example.com
    """


_READER = click.option("--reader", "email", required=True, help="The reader's email address.")


@tokens_group.command("list", context_settings=CONTEXT)
@_READER
@click.option("--json", "as_json", is_flag=True, help="A JSON array of tokens.")
def tokens_list(email: str, as_json: bool) -> None:
    """A reader's API tokens: id, name, when made and last used (never the secrets)."""
    with open_store_or_fail() as store:
        reader = _find(store, email)
        found = credentials.tokens(store, reader)
    if as_json:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in found
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(f"{reader.email} has no API tokens.")
        return
    for t in found:
        used = f"last used {_minute(t.last_used_at)}" if t.last_used_at else "never used"
        click.echo(f"{t.id}  {t.name}  (made {_minute(t.created_at)}, {used})")


@tokens_group.command("revoke", context_settings=CONTEXT)
@click.argument("token_id", type=click.IntRange(min=1, max=2**63 - 1))
@_READER
def tokens_revoke(token_id: int, email: str) -> None:
    """Revoke one of a reader's API tokens by its id (as listed); it stops working at once."""
    with open_store_or_fail() as store:
        reader = _find(store, email)
        revoked = credentials.revoke_token(store, reader, token_id)
    if revoked is None:
        raise click.ClickException(f"{reader.email} has no API token {token_id}.")
    click.echo(f"Revoked {reader.email}'s token {token_id} ({revoked.name}).")


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
