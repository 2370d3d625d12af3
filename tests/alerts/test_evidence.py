from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

from alerts.evidence import build_pack, canonical_content, media_urls, render_pack_html
from alerts.facts import CaseFacts, FlagFacts, PostFacts, Span
from connectors import FetchedPost
from monitor.ingest import content_hash

GENERATED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> Mr Okafor is a liar <img src=x onerror=alert(2)>"
RAW = {
    "id": "99",
    "text": HOSTILE,
    "attachments": {"media_keys": ["3_1"]},
    "includes": {"media": [{"type": "photo", "url": "https://pbs.example/media/abc"}]},
    "entities": {"urls": [{"expanded_url": "https://news.example/story"}]},
    "preview": "https://video.example/clip.mp4?x=1",
}


def _post() -> PostFacts:
    fetched = FetchedPost("x", "99", HOSTILE, "@someone", "https://x.com/someone/status/99")
    return PostFacts(
        platform="x",
        external_id="99",
        text=HOSTILE,
        author="@someone",
        url="https://x.com/someone/status/99",
        created_at=datetime(2026, 11, 24, 21, 3, tzinfo=UTC),
        fetched_at=datetime(2026, 11, 24, 21, 10, tzinfo=UTC),
        raw=RAW,
        content_sha256=content_hash(fetched),
        flags=(
            FlagFacts(
                "allegation", "high", 0.8, "calls staff a liar: 'liar'", ("liar",), "patterns"
            ),
        ),  # fmt: skip
        highlights=(Span(41, 45),),
        media_urls=tuple(media_urls(RAW)),
    )


def _case() -> CaseFacts:
    return CaseFacts(
        school="Roose Community Primary School",
        reference="SW-2026-0003",
        severity="high",
        categories=("allegation",),
        posts=(_post(),),
        names_redacted=False,
    )


def _files(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_media_addresses_are_found_in_the_raw_payload_but_not_links() -> None:
    assert media_urls(RAW) == [
        "https://pbs.example/media/abc",
        "https://video.example/clip.mp4?x=1",
    ]


def test_the_pack_holds_each_posts_text_payload_times_hash_and_flags() -> None:
    files = _files(build_pack(_case(), GENERATED))
    folder = "posts/01-x-99"
    assert files[f"{folder}/text.txt"].decode() == HOSTILE
    assert json.loads(files[f"{folder}/raw.json"]) == RAW
    data = json.loads(files["case.json"])
    post = data["posts"][0]
    assert post["author"] == "@someone" and post["permalink"] == "https://x.com/someone/status/99"
    assert post["created_at"] == "2026-11-24T21:03:00+00:00"
    assert post["fetched_at"] == "2026-11-24T21:10:00+00:00"
    assert post["flags"][0]["reason"] == "calls staff a liar: 'liar'"
    assert post["flags"][0]["evidence"] == ["liar"]
    # the stored SHA-256 is that of content.json's exact bytes
    assert hashlib.sha256(files[f"{folder}/content.json"]).hexdigest() == post["content_sha256"]


def test_every_file_in_the_pack_is_listed_with_its_sha256() -> None:
    files = _files(build_pack(_case(), GENERATED))
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest


def test_the_pack_keeps_media_addresses_only_with_iwf_guidance() -> None:
    files = _files(build_pack(_case(), GENERATED))
    assert all(name.endswith((".json", ".txt", ".html", "SHA256SUMS")) for name in files)
    note = files["MEDIA-NOT-INCLUDED.txt"].decode()
    assert "https://pbs.example/media/abc" in note and "report.iwf.org.uk" in note
    assert json.loads(files["case.json"])["posts"][0]["media_urls_not_downloaded"] == [
        "https://pbs.example/media/abc", "https://video.example/clip.mp4?x=1"]  # fmt: skip


def test_hostile_text_is_escaped_in_the_printable_page() -> None:
    page = render_pack_html(_case(), GENERATED)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "<mark>liar</mark>" in page
    assert "(checked: matches the stored post)" in page
    assert "may contain the names of children" in page


def test_a_changed_text_no_longer_matches_its_hash() -> None:
    case = _case()
    post = case.posts[0]
    tampered = replace(case, posts=(replace(post, text="edited"),))
    assert "does not match this text" in render_pack_html(tampered, GENERATED)
    assert canonical_content(post) != canonical_content(tampered.posts[0])


def test_the_same_facts_give_the_same_zip() -> None:
    assert build_pack(_case(), GENERATED) == build_pack(_case(), GENERATED)
