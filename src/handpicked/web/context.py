"""What every request handler needs: the desk (with its store and settings), link building
and templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from handpicked.deliver.links import Links
from handpicked.desk import Desk
from handpicked.settings import Settings
from handpicked.store import Store

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")


@dataclass(frozen=True, slots=True)
class WebContext:
    """The desk the handlers call, and what presenting its results needs."""

    desk: Desk

    @classmethod
    def create(cls, store: Store, settings: Settings) -> WebContext:
        return cls(Desk(store, settings, links=Links.from_settings(settings)))

    @property
    def store(self) -> Store:
        return self.desk.store

    @property
    def settings(self) -> Settings:
        return self.desk.settings

    @property
    def links(self) -> Links:
        return self.desk.links


def web(request: Request) -> WebContext:
    """The app's context (a FastAPI dependency)."""
    context: WebContext = request.app.state.web
    return context


def page(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A server-rendered page."""
    return templates.TemplateResponse(request, template, values, status_code=status_code)
