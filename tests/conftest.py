"""Shared pytest setup: ``slow`` tests (big inputs, fuzz runs) run only with ``--run-slow``,
so that ``make test`` stays quick while the long checks remain one flag away."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run tests marked slow (benchmarks, big inputs, fuzz runs)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: pass --run-slow to run it")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)


# The database fixtures (``store``, ``database_url``: SQLite and a real PostgreSQL server
# started for the session) serve every stage's tests.
pytest_plugins = ["databases", "loopback", "newsroom", "pictures", "smtp_sink"]
