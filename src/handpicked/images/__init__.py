"""Article images through the desk: fetched once by the guarded fetcher, checked to be a
picture, kept on disk and served from our own address, so that a page, the feed and the
offline demo never hot-link an outlet (which would tell it who reads what)."""

from handpicked.images.cache import ImageCache, image_key, image_path
from handpicked.images.kinds import IMAGE_TYPES, image_type

__all__ = ["IMAGE_TYPES", "ImageCache", "image_key", "image_path", "image_type"]
