from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from connectors.ocr import ImageRejected, check_image, screenshot, with_screenshots
from tests.screenshots import render_post

THREAT = "Whoever is on the gate at Roose Primary tomorrow, I will batter Mr Okafor"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_it_reads_the_text_of_a_rendered_screenshot() -> None:
    data = render_post(THREAT)
    image = screenshot(data, "post.png")
    assert "Roose Primary" in image.ocr_text
    assert "I will batter Mr Okafor" in _words(image.ocr_text)
    assert image.content_type == "image/png"
    assert len(image.sha256) == 64 and image.data == data


def test_it_reads_a_dark_mode_jpeg_screenshot() -> None:
    image = screenshot(render_post(THREAT, dark=True, kind="JPEG"), "dark.jpg")
    assert image.content_type == "image/jpeg"
    assert "I will batter Mr Okafor" in _words(image.ocr_text)


def test_an_image_without_words_reads_as_empty_text() -> None:
    blank = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(blank, format="PNG")
    assert screenshot(blank.getvalue(), "blank.png").ocr_text == ""


def test_it_rejects_a_gif_a_text_file_and_a_truncated_png() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(gif, format="GIF")
    png = render_post("short")
    for data in (gif.getvalue(), b"<script>alert(1)</script>", png[: len(png) // 2]):
        with pytest.raises(ImageRejected, match="is not a PNG or JPEG image"):
            check_image(data, "'upload'")


def test_it_rejects_a_decompression_bomb_without_decoding_it() -> None:
    # A valid PNG header claiming 30000 x 30000 pixels in a few hundred bytes.
    row = b"\x00" + b"\x00" * 30000
    body = zlib.compress(row * 10, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    header = (30000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    bomb = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    with pytest.raises(ImageRejected, match="too large"):
        check_image(bomb, "'bomb.png'")


def test_the_post_text_is_the_typed_text_then_each_image_s_text() -> None:
    first = screenshot(render_post(THREAT), "a.png")
    text = with_screenshots("Seen on Snapchat", [first])
    assert text.startswith("Seen on Snapchat\n\n[Text read from image 1]\n")
    assert text.endswith(first.ocr_text)
