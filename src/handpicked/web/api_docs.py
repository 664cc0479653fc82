"""``/api/docs``: the API's interactive documentation (Swagger UI), served entirely by the app.

FastAPI's own docs page loads Swagger UI from a CDN, so it is blank offline and tells the CDN
who reads our docs. Here the Swagger UI files are shipped in ``static/swagger-ui/`` (from the
npm package ``swagger-ui-dist``, with its licence beside them) and started by a small script
file rather than an inline one, so the page also works under a Content-Security-Policy that
allows only the app's own scripts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

DOCS_PATH = "/api/docs"
OPENAPI_PATH = "/openapi.json"
ASSETS = "/static/swagger-ui"

router = APIRouter(include_in_schema=False)

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>handpicked API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{OPENAPI_PATH}"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/start.js"></script>
</body>
</html>
"""


@router.get(DOCS_PATH, response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    """The Swagger UI page over ``/openapi.json``, with every file from this app."""
    return HTMLResponse(_PAGE)
