"""The evidence pack of one case: a printable HTML page and a ZIP. Pure: facts in, bytes out.

Media is never fetched or stored: a post's images and videos appear as addresses only, with the
IWF guidance, because an image may show a child sexually and copying it can be an offence. The one
exception is a screenshot someone gave Schoolwatch (intake page, reporting mailbox): it is the
evidence itself, so it goes into the pack with its SHA-256 and the text read from it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import datetime
from typing import Any

from alerts.drafts import CEOP, IWF
from alerts.facts import CaseFacts, PostFacts
from alerts.render import ENV, highlight

_MEDIA_KEYS = re.compile(r"media|image|photo|video|thumb|attach|embed|preview|picture|gif", re.I)
_MEDIA_EXT = re.compile(r"\.(jpe?g|png|gif|webp|heic|bmp|mp4|mov|webm|m3u8|avi)(\?|$)", re.I)


def media_urls(raw: Any) -> list[str]:
    """Addresses of images and videos anywhere in a raw payload; nothing is opened."""
    found: list[str] = []

    def walk(value: Any, media_context: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, media_context or bool(_MEDIA_KEYS.search(str(key))))
        elif isinstance(value, list):
            for item in value:
                walk(item, media_context)
        elif (
            isinstance(value, str)
            and value.startswith(("http://", "https://"))
            and (media_context or _MEDIA_EXT.search(value))
            and value not in found
        ):
            found.append(value)

    walk(raw, False)
    return found


def canonical_content(post: PostFacts) -> bytes:
    """The bytes whose SHA-256 is the post's ``content_sha256`` (as stored at ingestion)."""
    return json.dumps(
        {"platform": post.platform, "id": post.external_id, "text": post.text,
         "author": post.author, "url": post.url},
        sort_keys=True, ensure_ascii=False,
    ).encode("utf-8")  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def case_json(case: CaseFacts, generated_at: datetime) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "school": case.school,
        "severity": case.severity,
        "categories": list(case.categories),
        "status": case.status,
        "opened_at": _iso(case.created_at),
        "generated_at": generated_at.isoformat(),
        "pupil_names_redacted": case.names_redacted,
        "assignee": case.assignee or None,
        "platform_reference": case.platform_reference or None,
        "police_reference": case.police_reference or None,
        "outcome": case.outcome or None,
        "letters_sent": [
            {
                "kind": x.kind,
                "title": x.title,
                "sent_at": x.sent_at.isoformat(),
                "actor": x.actor,
                "text": x.body,
            }
            for x in case.letters_sent
        ],  # fmt: skip
        "posts": [
            {
                "platform": p.platform,
                "id": p.external_id,
                "author": p.author,
                "permalink": p.url,
                "created_at": _iso(p.created_at),
                "fetched_at": _iso(p.fetched_at),
                "content_sha256": p.content_sha256,
                "text_sha256": hashlib.sha256(p.text.encode("utf-8")).hexdigest(),
                "text": p.text,
                "flags": [
                    {
                        "category": f.category,
                        "severity": f.severity,
                        "score": round(f.score, 4),
                        "reason": f.reason,
                        "evidence": list(f.quotes),
                        "stage": f.stage,
                    }
                    for f in p.flags
                ],  # fmt: skip
                "media_urls_not_downloaded": list(p.media_urls),
                "screenshots": [
                    {
                        "file": name,
                        "filename": i.filename,
                        "content_type": i.content_type,
                        "sha256": i.sha256,
                        "bytes": len(i.data),
                        "ocr_text": i.ocr_text,
                    }
                    for i, name in zip(p.images, image_names(p), strict=True)
                ],  # fmt: skip
            }
            for p in case.posts
        ],
        "events": [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "detail": e.detail}
            for e in case.events
        ],
    }


def render_pack_html(case: CaseFacts, generated_at: datetime) -> str:
    """The printable page: every post, its hashes, its flags, and the case's history."""
    posts = [
        {
            "post": p,
            "highlighted": highlight(p.text, list(p.highlights)),
            "text_sha256": hashlib.sha256(p.text.encode("utf-8")).hexdigest(),
            "verified": hashlib.sha256(canonical_content(p)).hexdigest() == p.content_sha256,
        }
        for p in case.posts
    ]
    return ENV.get_template("evidence-pack.html").render(
        case=case, posts=posts, generated=generated_at, iwf=IWF, ceop=CEOP
    )


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)[:60].strip("-") or "post"


def image_names(post: PostFacts) -> list[str]:
    """Each screenshot's file name in the post's folder of the ZIP."""
    extension = {"image/png": "png", "image/jpeg": "jpg"}
    return [
        f"screenshots/{n:02d}-{i.sha256[:12]}.{extension.get(i.content_type, 'bin')}"
        for n, i in enumerate(post.images, start=1)
    ]


MEDIA_NOTE = f"""Images and videos are not in this pack, by design.

Schoolwatch never downloads or stores media. Each post's media addresses are listed in case.json
("media_urls_not_downloaded") and below, so that the police or the platform can retrieve them.
The only pictures in the pack are screenshots someone submitted to Schoolwatch as the report
itself (a post's screenshots/ folder, with their SHA-256 in case.json and SHA256SUMS).

If an image may show a child in a sexual way: do not open, download, screenshot, copy or forward
it, even to report it. Report the address to the {IWF} (anonymous) and to the
police; if a child is at risk of grooming or abuse online, to {CEOP}.
Tell the school's Designated Safeguarding Lead.
"""


def build_pack(case: CaseFacts, generated_at: datetime) -> bytes:
    """The ZIP: index.html, case.json, per post its text, raw payload and hashed content, a note
    on media, and SHA256SUMS over every file. The same facts give the same bytes."""
    files: dict[str, bytes] = {
        "index.html": render_pack_html(case, generated_at).encode("utf-8"),
        "case.json": json.dumps(case_json(case, generated_at), indent=2, ensure_ascii=False)
        .encode("utf-8"),
    }  # fmt: skip
    media: list[str] = []
    for number, post in enumerate(case.posts, start=1):
        folder = f"posts/{number:02d}-{_safe(post.platform)}-{_safe(post.external_id)}"
        files[f"{folder}/text.txt"] = post.text.encode("utf-8")
        files[f"{folder}/content.json"] = canonical_content(post)
        files[f"{folder}/raw.json"] = json.dumps(
            post.raw, indent=2, ensure_ascii=False, sort_keys=True
        ).encode("utf-8")
        for image, name in zip(post.images, image_names(post), strict=True):
            files[f"{folder}/{name}"] = image.data
            files[f"{folder}/{name}.txt"] = image.ocr_text.encode("utf-8")
        media += [f"{post.url or post.external_id}: {u}" for u in post.media_urls]
    for number, sent in enumerate(case.letters_sent, start=1):
        files[f"letters/{number:02d}-{_safe(sent.kind)}.txt"] = sent.body.encode("utf-8")
    files["MEDIA-NOT-INCLUDED.txt"] = (
        MEDIA_NOTE + ("\nMedia addresses:\n" + "\n".join(media) + "\n" if media else "")
    ).encode("utf-8")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    files["SHA256SUMS"] = sums.encode("utf-8")
    buffer = io.BytesIO()
    stamp = generated_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"{case.reference}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
