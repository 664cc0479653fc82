"""Errors that the public API raises, each with a message that says what was wrong."""


class HandpickedError(Exception):
    """Base class for every error handpicked raises on purpose."""


class ExtractionError(HandpickedError):
    """The input could not be turned into an article (not HTML, unreadable, too large)."""
