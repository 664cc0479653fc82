"""Helpers behind :func:`handpicked.extract.metadata.extract_metadata`, one source each."""
