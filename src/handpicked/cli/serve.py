"""``handpicked serve``: the web app on uvicorn, with the scheduler beside it."""

from __future__ import annotations

import logging

import click
import uvicorn

from handpicked.cli.app import CONTEXT, cli
from handpicked.cli.common import open_store_or_fail
from handpicked.scheduler import Scheduler
from handpicked.settings import load_settings
from handpicked.web import create_app


@cli.command("serve", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (one per core is a good start).",
)
@click.option("--no-scheduler", is_flag=True, help="Serve only; poll and deliver elsewhere.")
@click.option(
    "--interval",
    default=60,
    show_default=True,
    help="Seconds between rounds of polling and delivery.",
)
def serve(host: str, port: int, workers: int, no_scheduler: bool, interval: int) -> None:
    """Start the web app (pages, /api/v1, unsubscribe links, feeds) and the scheduler that
    polls sources and sends digests when they are due.

    Set HANDPICKED_BASE_URL to the address readers reach it at, so links in emails work.
    With several workers the scheduler runs once, in the main process.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    store = open_store_or_fail()
    scheduler = None if no_scheduler else Scheduler(store, settings, interval_s=interval)
    click.echo(f"handpicked is at http://{host}:{port}/ (emails link to {settings.base_url})")
    try:
        if workers == 1:
            app = create_app(settings, store, background=scheduler)
            uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
            return
        if scheduler is not None:
            scheduler.start()
        try:
            uvicorn.run(
                "handpicked.web.app:create_app",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="info",
                proxy_headers=True,
            )
        finally:
            if scheduler is not None:
                scheduler.stop()
    finally:
        store.close()
