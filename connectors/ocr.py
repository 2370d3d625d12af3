"""Screenshots: checked with Pillow (PNG or JPEG, within limits) and read with Tesseract OCR.

Used by the intake page and by the ``imap`` source, so an uploaded screenshot and an e-mailed one
are read the same way. Tesseract runs as a subprocess (``tesseract stdin stdout``): no temporary
files, a hard timeout, and a missing binary is one clear error.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from connectors.base import Attachment

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a tall phone screenshot is ~4 million; more is a decompression bomb
OCR_TIMEOUT = 60.0
MAX_OCR_CHARS = 20_000
# Tesseract often reads a lone capital I in a sans-serif font as a bar: "| will batter him".
_LONE_BAR = re.compile(r"(?<!\S)\|(?!\S)")


class ImageRejected(ValueError):
    """The file is not a PNG or JPEG image Schoolwatch will keep; the message says why."""


class OcrError(RuntimeError):
    """Tesseract is missing, failed or took too long."""


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int


def check_image(data: bytes, name: str = "the file") -> CheckedImage:
    """``data`` as a PNG or JPEG within the size limits, or ImageRejected."""
    if len(data) > MAX_BYTES:
        raise ImageRejected(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(f"{name} is too large (more than {MAX_PIXELS:,} pixels)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(f"{name} is not a PNG or JPEG image") from None
    if kind not in FORMATS:
        raise ImageRejected(f"{name} is not a PNG or JPEG image")
    if width * height > MAX_PIXELS:
        raise ImageRejected(f"{name} is too large (more than {MAX_PIXELS:,} pixels)")
    return CheckedImage(data, FORMATS[kind], width, height)


def _prepared(data: bytes) -> bytes:
    """Grey, dark mode turned light, small text enlarged: what Tesseract reads best."""
    with Image.open(io.BytesIO(data)) as image:
        grey = ImageOps.exif_transpose(image).convert("L")
    histogram = grey.histogram()
    mean = sum(i * n for i, n in enumerate(histogram)) / max(1, sum(histogram))
    if mean < 110:
        grey = ImageOps.invert(grey)
    if grey.width < 1200:
        scale = min(3, 1200 // max(1, grey.width) + 1)
        grey = grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    grey.save(out, format="PNG")
    return out.getvalue()


def read_text(image: CheckedImage, timeout: float = OCR_TIMEOUT) -> str:
    """The text Tesseract reads in ``image`` (English), whitespace tidied; OcrError on failure."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrError("tesseract is not installed (Debian: apt-get install tesseract-ocr)")
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "-l", "eng", "--psm", "3"],
            input=_prepared(image.data), capture_output=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise OcrError(f"tesseract took longer than {timeout:.0f} s") from None
    except OSError as exc:
        raise OcrError(f"tesseract could not run ({exc.strerror})") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no detail"]
        raise OcrError(f"tesseract failed: {detail[0][:200]}")
    text = done.stdout.decode("utf-8", "replace").replace("\x0c", "")
    lines = [_LONE_BAR.sub("I", " ".join(line.split())) for line in text.splitlines()]
    paragraphs = "\n".join(lines).strip()
    while "\n\n\n" in paragraphs:
        paragraphs = paragraphs.replace("\n\n\n", "\n\n")
    return paragraphs[:MAX_OCR_CHARS]


def screenshot(data: bytes, filename: str) -> Attachment:
    """A checked image with its OCR text; ImageRejected or OcrError."""
    image = check_image(data, repr(filename) if filename else "the file")
    return Attachment(
        filename=filename[:200] or "screenshot",
        content_type=image.content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        ocr_text=read_text(image),
    )


def with_screenshots(text: str, attachments: list[Attachment] | tuple[Attachment, ...]) -> str:
    """A post's text followed by what was read in each image, so the classifier sees both and
    evidence offsets still index the stored text."""
    parts = [text.strip()] if text.strip() else []
    for number, item in enumerate(attachments, start=1):
        if item.ocr_text:
            parts.append(f"[Text read from image {number}]\n{item.ocr_text}")
    return "\n\n".join(parts)
