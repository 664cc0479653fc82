"""What kind of picture some bytes are, read from the bytes themselves (never from what the
server claimed): only raster formats every browser shows are taken. SVG is refused, since it
can carry scripts and links, and so is everything else (an HTML error page sent with status
200, a PDF, a video)."""

from __future__ import annotations

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/avif")
"""The media types served, each recognised by its signature."""

_AVIF_BRANDS = (b"avif", b"avis")


def image_type(data: bytes) -> str | None:
    """The media type of ``data`` when it starts like a JPEG, PNG, GIF, WebP or AVIF file,
    else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _AVIF_BRANDS:
        return "image/avif"
    return None
