"""``handpicked try``: the web app on the bundled offline sample, with a demo reader who already
follows a few things in it, so that a new user sees picks at once (``make run``)."""

from __future__ import annotations

import errno
import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

import click
import uvicorn
from sqlalchemy.engine import make_url

from handpicked.cli.app import CONTEXT, cli
from handpicked.cli.common import open_store_or_fail
from handpicked.deliver.runner import Deliverer
from handpicked.desk import readers as reader_service
from handpicked.desk.accounts import LINK_LIFETIME, sign_up
from handpicked.images import ImageCache
from handpicked.sample import freshen_sample, holds_only_sample, load_sample, ship_sample_images
from handpicked.scheduler import Scheduler
from handpicked.settings import Settings, load_settings
from handpicked.store import ReaderRecord, Store
from handpicked.web import create_app

DEMO_EMAIL = "demo@handpicked.local"
#: Things in the sample: the seed story (Putin), and several stories for each topic.
DEMO_FOLLOWS = ("Putin", "topic:politics", "topic:technology")


@dataclass(frozen=True, slots=True)
class DemoAccess:
    """How to sign in as the demo reader: the password (only when the reader was made now)
    and a one-time sign-in link. ``on_sample`` says whether the store holds only the sample,
    ``loaded`` how many of its articles were stored now."""

    email: str
    password: str | None
    link: str
    on_sample: bool
    loaded: int
    first_digest: int = 0
    """Stories in the first digest delivered to the local outbox now (0: none was)."""


def prepare_demo(store: Store, settings: Settings, now: datetime) -> DemoAccess:
    """Load the sample into a store that holds nothing else (stored but not understood
    articles of an interrupted load are finished; the sample is marked new today again, its
    pictures put in the image cache), make sure the demo reader exists, following
    ``DEMO_FOLLOWS`` when made now, and deliver their first digest (see :func:`first_digest`)."""
    loaded = 0
    on_sample = holds_only_sample(store)
    if on_sample:
        loaded = load_sample(store, now).added
        freshen_sample(store, now)
        ship_sample_images(ImageCache.for_settings(settings))
    password = None
    reader = store.readers.get(email=DEMO_EMAIL)
    if reader is None:
        password = secrets.token_urlsafe(12)
        # Subscribed, so that the demo shows digests being made; with no SMTP server set
        # they go to the local outbox (the address is not real).
        reader = sign_up(store, DEMO_EMAIL, password, now)
        for thing in DEMO_FOLLOWS:
            reader_service.set_interest(store, reader, thing, "follow", now)
    token = store.accounts.create_sign_in_link(reader.id, now, LINK_LIFETIME)
    link = f"{settings.base_url}/signin/link/{token}"
    return DemoAccess(DEMO_EMAIL, password, link, on_sample, loaded,
                      first_digest(store, settings, reader, now))  # fmt: skip


def first_digest(store: Store, settings: Settings, reader: ReaderRecord, now: datetime) -> int:
    """Deliver the demo reader's first digest at once, to the local outbox, so that the
    delivery history shows the whole loop at once instead of at the next scheduled slot.
    Only without an SMTP server (the demo address is not real) and only for a reader who
    has no digest yet; later ones come on the schedule. Returns its stories (0: none)."""
    if settings.smtp_url or store.deliveries.list(reader.id, limit=1):
        return 0
    report = Deliverer(store, settings).send_now(reader, now)
    return len(store.deliveries.list(reader.id, limit=1)[0].items) if report.sent else 0


def _address(host: str, port: int) -> str:
    """Where a browser on this machine reaches the server."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _check_port(host: str, port: int) -> None:
    """Fail early, before the sample is loaded, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"port {port} on {host} is in use (another handpicked?); "
                    f"choose another with: handpicked try --port {port + 1}"
                ) from error
            raise click.ClickException(f"cannot listen on {host}:{port}: {error}") from error


def _banner(address: str, access: DemoAccess) -> str:
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    if access.password:
        how = f"Sign in as {access.email} with password {access.password}"
    else:
        how = f"Sign in as {access.email} (its password was printed the first time)"
    if not access.on_sample:
        sample = "The database holds other articles too, so the sample was not loaded."
    elif access.loaded:
        sample = f"Loaded {access.loaded} sample articles, marked as new today."
    else:
        sample = "The sample was loaded before; its articles are marked as new today."
    return "\n".join(
        [
            "",
            f"handpicked is at {address}/",
            f"  {how}",
            f"  or open this one-time sign-in link (works for {minutes} minutes):",
            f"  {access.link}",
            f"  {sample}",
            *_outbox_lines(access),
            "  Stop the server with Ctrl-C.",
            "",
        ]
    )


def _outbox_lines(access: DemoAccess) -> list[str]:
    if not access.first_digest:
        return []
    stories = f"{access.first_digest} {'story' if access.first_digest == 1 else 'stories'}"
    return [
        f"  No SMTP server is set: the demo reader's first digest ({stories}) was delivered to",
        "  the local outbox; read it under Outbox in the web app, or with: handpicked outbox 1",
    ]


@cli.command("try", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-scheduler", is_flag=True, help="Serve only: no polling or delivery.")
def try_it(host: str, port: int, no_scheduler: bool) -> None:
    """The web app on a bundled offline sample.

    Loads the sample into an empty database (a story told by two outlets and a few dozen
    news articles; attribution in the package's data/sample/README.md), makes a demo reader
    who follows Putin, politics and technology so that today's picks are there at once,
    prints the address and how to sign in, and starts the web app like `handpicked serve`.
    The sample's pictures are stand-ins served by the app. With no SMTP server set, the demo
    reader's first digest is delivered at once to the local outbox (`handpicked outbox`).

    Uses the configured database (HANDPICKED_DATABASE_URL, default: SQLite in
    HANDPICKED_DATA_DIR); one that holds other articles gets no sample.
    """
    _check_port(host, port)
    address = _address(host, port)
    if not os.environ.get("HANDPICKED_BASE_URL"):
        os.environ["HANDPICKED_BASE_URL"] = address  # so that links point here
    settings = load_settings()
    store = open_store_or_fail()
    try:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        click.echo(f"Preparing the sample in {where} …", err=True)
        access = prepare_demo(store, settings, datetime.now(UTC))
        click.echo(_banner(address, access))
        # Logging from here on: the scheduler's rounds, not the setup's migrations.
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        scheduler = None if no_scheduler else Scheduler(store, settings)
        app = create_app(settings, store, background=scheduler)
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
    finally:
        store.close()
