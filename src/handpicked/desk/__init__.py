"""The desk: the one service layer under the command line, the web pages, the API and the
scheduler. They are thin callers of :class:`Desk`, which calls the store and the pipeline's
stages (fetch, understand, pick, deliver)."""

from handpicked.desk.core import Desk
from handpicked.desk.errors import DeskError

__all__ = ["Desk", "DeskError"]
