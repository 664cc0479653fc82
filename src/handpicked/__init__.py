"""handpicked: news, handpicked for each reader.

The public surface is small on purpose: :func:`extract` turns a page into an :class:`Article`;
:class:`Desk` (with ``handpicked[desk]`` installed) is the news desk's service layer. ``Desk``
loads on first use, so that extraction alone imports none of the desk's dependencies.
"""

from typing import TYPE_CHECKING, Any

from handpicked.article import Article, Image
from handpicked.errors import ExtractionError, HandpickedError
from handpicked.extract import extract

if TYPE_CHECKING:
    from handpicked.desk import Desk

__all__ = ["Article", "Desk", "ExtractionError", "HandpickedError", "Image", "extract"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Desk":
        from handpicked.desk import Desk

        return Desk
    raise AttributeError(f"module 'handpicked' has no attribute {name!r}")
