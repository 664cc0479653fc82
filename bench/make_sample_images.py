"""Draw the offline sample's stand-in pictures: one small PNG for every image the sample's
articles name, so that ``handpicked try`` (``make run``) shows no broken or missing picture
without a network.

    python bench/make_sample_images.py

The publishers' own pictures are not ours to ship (the WCXB pages carry only their
addresses), so each stand-in is drawn here: a colour field with a few soft shapes, the
outlet's name and the words "stand-in picture". Writes ``src/handpicked/data/sample/images/``,
one ``<key>.png`` per image URL (``key`` as :func:`handpicked.images.image_key` makes it), and
removes pictures no article names any more. Run by hand after ``make_sample.py``; the files
are committed. Needs Pillow, which the ``bench`` extra brings (newspaper4k depends on it);
handpicked itself never imports it.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont

# Runnable as `python bench/make_sample_images.py`: the repository root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handpicked.images import image_key

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "src" / "handpicked" / "data" / "sample"
OUT = SAMPLE / "images"
SIZE = (480, 270)
COLOURS = 16
#: Muted backgrounds that keep white text readable.
PALETTE = ((38, 70, 83), (42, 157, 143), (87, 117, 144), (106, 76, 147), (181, 101, 29),
           (157, 2, 8), (29, 53, 87), (64, 91, 60), (120, 84, 106), (0, 95, 115))  # fmt: skip


def stand_in(url: str, site: str) -> bytes:
    """The stand-in for the picture at ``url`` of an article from ``site``, as PNG bytes."""
    seed = hashlib.sha256(url.encode()).digest()
    background = PALETTE[seed[0] % len(PALETTE)]
    picture = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(picture)
    width, height = SIZE
    for n in range(3):  # soft shapes, lighter than the background
        x, y = seed[1 + n] * width // 255, seed[4 + n] * height // 255
        radius = 40 + seed[7 + n] % 90
        shade = tuple(min(255, c + 28 + 12 * n) for c in background)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    band = tuple(max(0, c - 24) for c in background)  # keeps the words readable on the shapes
    draw.rectangle((0, height - 96, width, height), fill=band)
    title = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=16)
    name = site if len(site) <= 26 else site[:25] + "…"
    draw.text((24, height - 78), name, font=title, fill=(255, 255, 255))
    draw.text((24, height - 36), "stand-in picture, not the original", font=small,
              fill=(235, 235, 235))  # fmt: skip
    buffer = io.BytesIO()
    picture.quantize(COLOURS).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main() -> int:
    records = [json.loads(line) for line in (SAMPLE / "articles.jsonl").read_text().splitlines()]
    OUT.mkdir(exist_ok=True)
    wanted: set[str] = set()
    for record in records:
        site = record.get("site_name") or urlsplit(record["url"]).hostname or "the outlet"
        for image in record["images"]:
            name = f"{image_key(image['url'])}.png"
            wanted.add(name)
            (OUT / name).write_bytes(stand_in(image["url"], site))
    for old in OUT.glob("*.png"):
        if old.name not in wanted:
            old.unlink()
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"{len(wanted)} stand-in pictures, {total / 1024:.0f} KB, in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
