"""Screenshots the tests draw themselves: a fake post's text in a real font (Debian's DejaVu)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def render_post(
    text: str,
    *,
    author: str = "@parent_of_year5",
    dark: bool = False,
    width: int = 720,
    kind: str = "PNG",
) -> bytes:
    """A phone-like screenshot of a post: a handle line, then the text wrapped to the width."""
    font = ImageFont.truetype(str(FONT), 28)
    small = ImageFont.truetype(str(FONT), 22)
    lines = textwrap.wrap(text, width=40)
    height = 140 + 40 * len(lines)
    background, ink = ("#15181c", "#e7e9ea") if dark else ("#ffffff", "#0f1419")
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), author, font=small, fill="#536471")
    for number, line in enumerate(lines):
        draw.text((30, 80 + 40 * number), line, font=font, fill=ink)
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()
