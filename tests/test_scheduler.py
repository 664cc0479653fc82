"""The server's background round: poll what is due, understand it, send the digests due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from smtp_sink import SmtpTestServer

from handpicked.desk import readers as service
from handpicked.scheduler import Scheduler
from handpicked.settings import Settings
from handpicked.store import open_store


def test_one_round_polls_understands_and_delivers(
    site: str, smtp_server: SmtpTestServer, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        allow_private_networks=True,
        smtp_url=f"smtp://{smtp_server.host}:{smtp_server.port}",
        secret_key_value="test",
    )
    now = datetime.now(UTC)
    with open_store(settings.database_url) as store:
        store.sources.add(f"{site}/feed.xml", "feed", desk_wide=True)  # as `sources add`
        slot = (now - timedelta(minutes=5)).strftime("%H:%M")
        reader = service.add_reader(store, "ann@example.com", now - timedelta(days=2),
                                    schedule=f"daily {slot}")  # fmt: skip
        service.set_interest(store, reader, "Putin", "follow", now)
        scheduler = Scheduler(store, settings, interval_s=3600)
        scheduler.tick()
        assert len(store.articles.list()) == 2
        assert [r.rcpt_tos for r in smtp_server.received] == [["ann@example.com"]]
        [delivery] = store.deliveries.list()
        assert delivery.state == "sent"
        scheduler.tick()  # nothing new is due: nothing more is sent
        assert len(smtp_server.received) == 1
        scheduler.start()
        scheduler.stop()
