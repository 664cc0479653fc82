"""Settings from the environment, read in one place so every stage agrees on them.

HANDPICKED_DATABASE_URL           SQLAlchemy URL; default: SQLite in the user's data folder.
HANDPICKED_DATA_DIR               where the default database and other state live (the image
                                  cache in images/, the local outbox in outbox/).
HANDPICKED_ALLOW_PRIVATE_NETWORKS "1" lets the fetcher reach loopback and private addresses
                                  (tests, intranets); off by default so user-given URLs cannot
                                  be turned against the network the server runs in.
HANDPICKED_SMTP_URL               where digests are sent: smtp://user:pass@host:587 (STARTTLS
                                  when the server offers it) or smtps://host:465; unset means
                                  digests go to the local outbox (``handpicked outbox``).
HANDPICKED_MAIL_FROM              the digest's From address; default "handpicked
                                  <digest@localhost>".
HANDPICKED_BASE_URL               the web app's public address, for links in digests and feeds;
                                  default http://127.0.0.1:8000.
HANDPICKED_SECRET_KEY             signs unsubscribe links and sessions; default: a random key
                                  kept in the data folder (``secret.key``, mode 0600).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

_TRUE = {"1", "true", "yes", "on"}
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_MAIL_FROM = "handpicked <digest@localhost>"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    allow_private_networks: bool
    smtp_url: str | None = None
    mail_from: str = DEFAULT_MAIL_FROM
    base_url: str = DEFAULT_BASE_URL
    secret_key_value: str | None = None

    def secret_key(self) -> str:
        """The signing key: HANDPICKED_SECRET_KEY, else one made once and kept in the data
        folder so links in digests already sent stay valid across restarts."""
        if self.secret_key_value:
            return self.secret_key_value
        path = self.data_dir / "secret.key"
        try:
            return path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            pass
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return path.read_text(encoding="ascii").strip()
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
        return key


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """The settings in force now (from ``environ``, default ``os.environ``)."""
    env = dict(os.environ) if environ is None else environ
    data_dir = Path(env.get("HANDPICKED_DATA_DIR") or user_data_dir("handpicked"))
    database_url = env.get("HANDPICKED_DATABASE_URL") or f"sqlite:///{data_dir / 'handpicked.db'}"
    allow_private = env.get("HANDPICKED_ALLOW_PRIVATE_NETWORKS", "").strip().lower() in _TRUE
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        allow_private_networks=allow_private,
        smtp_url=env.get("HANDPICKED_SMTP_URL") or None,
        mail_from=env.get("HANDPICKED_MAIL_FROM") or DEFAULT_MAIL_FROM,
        base_url=(env.get("HANDPICKED_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        secret_key_value=env.get("HANDPICKED_SECRET_KEY") or None,
    )
