"""The web app: the reader's pages, the JSON API, and the links that digests carry."""

from handpicked.web import ids  # noqa: F401  (registers ``{name:id}`` before any route)
from handpicked.web.app import create_app

__all__ = ["create_app"]
