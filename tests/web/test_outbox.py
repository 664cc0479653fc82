"""The Outbox page: the signed-in reader's digests delivered to the local outbox (no SMTP
server set), readable in the app with pictures from our address; nobody else's."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from newsroom import Newsroom
from starlette.testclient import TestClient

from handpicked.deliver.runner import Deliverer
from handpicked.desk import accounts, readers
from handpicked.images import image_path
from handpicked.store import ReaderRecord

from .conftest import Seeded, web_settings


def deliver_now(newsroom: Newsroom, reader: ReaderRecord, tmp_path: Path) -> int:
    """A digest for ``reader``, delivered now to the outbox; its delivery id."""
    now = datetime.now(UTC)
    readers.set_interest(newsroom.store, reader, "Putin", "follow", now)
    settings = web_settings(tmp_path, "http://testserver")  # as the app's: no SMTP server
    report = Deliverer(newsroom.store, settings).send_now(reader, now)
    assert report.sent == 1, report.outcomes
    return newsroom.store.deliveries.list(reader.id, limit=1)[0].id


def test_a_digest_delivered_to_the_outbox_is_read_in_the_app(
    reader_client: TestClient,
    account: ReaderRecord,
    newsroom: Newsroom,
    seeded: Seeded,
    tmp_path: Path,
) -> None:
    assert "No digests here yet." in reader_client.get("/outbox").text
    delivery = deliver_now(newsroom, account, tmp_path)

    listed = reader_client.get("/outbox").text
    assert f'href="/outbox/{delivery}"' in listed
    settings = reader_client.get("/settings").text
    assert f'href="/outbox/{delivery}">read it in your outbox' in settings
    shown = reader_client.get(f"/outbox/{delivery}")
    assert shown.status_code == 200
    assert f'<iframe class="preview" src="/outbox/{delivery}/email" sandbox=' in shown.text

    email = reader_client.get(f"/outbox/{delivery}/email")
    assert email.status_code == 200
    assert "sandbox" in email.headers["content-security-policy"]
    assert "Putin meets envoy in the Kremlin" in email.text
    pictures = re.findall(r'<img[^>]* src="([^"]+)"', email.text)
    assert image_path(seeded.putin, "https://jns.example/img/rostov.jpg") in pictures
    assert "jns.example/img/" not in email.text  # read here, the pictures come from us


def test_nobody_reads_another_readers_digest(
    reader_client: TestClient, app: FastAPI, newsroom: Newsroom, tmp_path: Path
) -> None:
    other = accounts.sign_up(newsroom.store, "other@example.com", "another long password",
                             datetime.now(UTC))  # fmt: skip
    theirs = deliver_now(newsroom, other, tmp_path)
    assert f"/outbox/{theirs}" not in reader_client.get("/outbox").text
    assert reader_client.get(f"/outbox/{theirs}").status_code == 404
    assert reader_client.get(f"/outbox/{theirs}/email").status_code == 404
    with TestClient(app) as signed_out:
        answer = signed_out.get(f"/outbox/{theirs}/email", follow_redirects=False)
    assert answer.status_code == 303 and "/signin" in answer.headers["location"]
