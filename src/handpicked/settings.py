"""Settings from the environment, read in one place so every stage agrees on them.

HANDPICKED_DATABASE_URL           SQLAlchemy URL; default: SQLite in the user's data folder.
HANDPICKED_DATA_DIR               where the default database and other state live.
HANDPICKED_ALLOW_PRIVATE_NETWORKS "1" lets the fetcher reach loopback and private addresses
                                  (tests, intranets); off by default so user-given URLs cannot
                                  be turned against the network the server runs in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    allow_private_networks: bool


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """The settings in force now (from ``environ``, default ``os.environ``)."""
    env = dict(os.environ) if environ is None else environ
    data_dir = Path(env.get("HANDPICKED_DATA_DIR") or user_data_dir("handpicked"))
    database_url = env.get("HANDPICKED_DATABASE_URL") or f"sqlite:///{data_dir / 'handpicked.db'}"
    allow_private = env.get("HANDPICKED_ALLOW_PRIVATE_NETWORKS", "").strip().lower() in _TRUE
    return Settings(data_dir, database_url, allow_private)
