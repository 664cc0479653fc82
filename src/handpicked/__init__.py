"""handpicked: news, handpicked for each reader.

The public surface is small on purpose: :func:`extract` turns a page into an :class:`Article`.
"""

from handpicked.article import Article, Image
from handpicked.errors import ExtractionError, HandpickedError
from handpicked.extract import extract

__all__ = ["Article", "ExtractionError", "HandpickedError", "Image", "extract"]
__version__ = "0.1.0"
