"""``handpicked outbox``: the digests delivered to the local outbox (no SMTP server set)."""

from __future__ import annotations

import json

import click

from handpicked.cli.app import CONTEXT, cli
from handpicked.deliver.outbox import Outbox, OutboxMessage
from handpicked.settings import load_settings


@cli.command("outbox", context_settings=CONTEXT)
@click.argument("number", required=False, type=click.IntRange(min=1))
@click.option("--html", "as_html", is_flag=True, help="Print the message's HTML part.")
@click.option("--json", "as_json", is_flag=True, help="The list as JSON.")
def outbox(number: int | None, as_html: bool, as_json: bool) -> None:
    """The digests in the local outbox, where they go when no SMTP server is set
    (HANDPICKED_SMTP_URL); they are .eml files in HANDPICKED_DATA_DIR/outbox.

    Without NUMBER, lists them, newest first; with it, prints that one as its reader would
    read it (1 is the newest).

    \b
    Examples:
      handpicked outbox                     what was delivered, newest first
      handpicked outbox 1                   the newest digest, as plain text
      handpicked outbox 1 --html > d.html   the same as HTML, for a browser
    """
    box = Outbox.for_settings(load_settings())
    messages = box.messages()
    if number is None:
        _list(box, messages, as_json)
        return
    if number > len(messages):
        held = f"holds {len(messages)}" if messages else "is empty"
        raise click.ClickException(f"there is no message {number}: the outbox {held}")
    message = messages[number - 1]
    body = message.part("html" if as_html else "plain")
    if body is None:
        raise click.ClickException(f"message {number} has no {'HTML' if as_html else 'text'} part")
    if not as_html:
        click.echo(f"To: {message.to}\nSubject: {message.subject}\n")
    click.echo(body.rstrip("\n"))


def _list(box: Outbox, messages: list[OutboxMessage], as_json: bool) -> None:
    if as_json:
        listed = [
            {
                "number": number,
                "date": message.date.isoformat() if message.date else None,
                "to": message.to,
                "subject": message.subject,
                "message_id": message.message_id,
                "file": str(message.path),
            }
            for number, message in enumerate(messages, 1)
        ]
        click.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if not messages:
        click.echo(
            f"The outbox ({box.directory}) is empty. Digests go there when no SMTP server is "
            "set (HANDPICKED_SMTP_URL), once they are due."
        )
        return
    for number, message in enumerate(messages, 1):
        when = message.date.strftime("%Y-%m-%d %H:%M %Z").strip() if message.date else "undated"
        click.echo(f"{number:>3}  {when}  {message.to}  {message.subject}")
    click.echo(f"\n{len(messages)} in {box.directory}; `handpicked outbox N` prints one.")
