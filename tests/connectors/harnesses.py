"""Per-platform answers in the shapes the real APIs return, for the contract and table tests.

Shapes come from each API's reference and from the client libraries' recorded cassettes
(tweepy ``cassettes/test_client_search_recent_tweets.yaml``, praw
``tests/integration/cassettes/TestSubreddit.test_search.json``, Mastodon.py
``tests/cassettes/test_hashtag_tl.yaml``); ids, names and tokens are made up. Recordings added in
the tests themselves: X's ``UsageCapExceeded`` 429 (body and headers from xdevplatform/xdk issue
#25, test_x.py); Reddit's token endpoint 429 ``{"message": "Too Many Requests", "error": 429}`` (as
reported in Schoolwatch issue #14, test_reddit.py); Mastodon's 401 for a login-only timeline
(the body of Mastodon's ``Api::BaseController#require_user!``, test_mastodon.py); Bluesky's 400
``ExpiredToken`` on ``refreshSession`` (the XRPC error shape, test_bluesky.py); Facebook's feed with
nested ``comments`` and ``X-Business-Use-Case-Usage`` (Graph API field-expansion guide and rate
limiting reference, test_facebook_page.py).
"""

from __future__ import annotations

import base64
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors.replay import Replay, Reply, Seen

NOW = datetime.now(UTC).replace(microsecond=0)
BASE = NOW - timedelta(hours=2)
SCHOOL_TEXT = "Roose Primary post {n}: nativity tickets are on sale"


def at(n: int) -> datetime:
    return BASE + timedelta(minutes=n)


def iso(n: int) -> str:
    return at(n).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Harness:
    type: str
    options: dict[str, Any]
    env: dict[str, str]
    method: str
    pattern: str
    item: Callable[[int], Any]
    page: Callable[[list[Any], str | None], Reply]
    external_id: Callable[[int], str]
    rate_limited: Callable[[float], Reply]
    malformed: Any
    # What the server answers on the second cycle, given the cursor: it filters (X, Bluesky,
    # Mastodon) or it does not and the connector stops where it stopped (Reddit, YouTube).
    resume: list[int] = field(default_factory=lambda: [4, 3])
    cursor_sent: Callable[[Seen], bool] = lambda seen: True
    setup: Callable[[Replay], None] = lambda replay: None
    short_waits: bool = True
    two_page_requests: int = 2
    resume_reply: Reply | None = None
    # Items the second cycle reads again because the cursor overlaps by a margin (late-indexed
    # posts); storage is idempotent, so they are stored once.
    reread: list[int] = field(default_factory=list)

    def pages(self, *numbers: list[int]) -> list[Reply]:
        replies = []
        for index, group in enumerate(numbers):
            token = f"page{index + 2}" if index + 1 < len(numbers) else None
            replies.append(self.page([self.item(n) for n in group], token))
        return replies


# X API v2 ------------------------------------------------------------------------------------
_X_EPOCH_MS = 1288834974657


def _x_id(n: int) -> str:
    return str((int(at(n).timestamp() * 1000) - _X_EPOCH_MS) << 22)


def _x_item(n: int) -> dict[str, Any]:
    return {"edit_history_tweet_ids": [_x_id(n)], "id": _x_id(n), "author_id": "2244994945",
            "created_at": iso(n), "text": SCHOOL_TEXT.format(n=n)}  # fmt: skip


def _x_page(items: list[Any], token: str | None) -> Reply:
    if not items:
        return Reply(body={"meta": {"result_count": 0}}, headers=_x_headers(449))
    ids = [i["id"] for i in items if isinstance(i, dict) and str(i.get("id", "")).isdigit()]
    meta: dict[str, Any] = {"newest_id": max(ids, key=int), "oldest_id": min(ids, key=int),
                            "result_count": len(items)}  # fmt: skip
    if token:
        meta["next_token"] = token
    users = [{"id": "2244994945", "name": "A Parent", "username": "a_parent"}]
    return Reply(body={"data": items, "includes": {"users": users}, "meta": meta},
                 headers=_x_headers(448))  # fmt: skip


def _x_headers(remaining: int) -> dict[str, str]:
    return {"x-rate-limit-limit": "450", "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(time.time()) + 900), "api-version": "2.52"}  # fmt: skip


def _x_429(wait: float) -> Reply:
    body = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
            "status": 429}  # fmt: skip
    headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
               "x-rate-limit-reset": str(math.ceil(time.time() + wait))}  # fmt: skip
    return Reply(429, body, headers)


X = Harness(
    type="x", options={}, env={"X_BEARER_TOKEN": "<X_BEARER_TOKEN>"}, method="GET",
    pattern=r"https://api\.twitter\.com/2/tweets/search/recent", item=_x_item, page=_x_page,
    external_id=_x_id, rate_limited=_x_429, malformed={"id": "not-a-number", "text": None},
    cursor_sent=lambda seen: seen.param("since_id") == _x_id(2),
)  # fmt: skip


# Reddit -----------------------------------------------------------------------------------------
def _reddit_item(n: int) -> dict[str, Any]:
    return {"kind": "t3", "data": {
        "id": f"1ab{n}", "name": f"t3_1ab{n}", "subreddit": "BarrowInFurness",
        "title": SCHOOL_TEXT.format(n=n), "selftext": "", "author": "a_parent",
        "created_utc": at(n).timestamp(), "permalink": f"/r/BarrowInFurness/comments/1ab{n}/x/",
        "url": f"https://www.reddit.com/r/BarrowInFurness/comments/1ab{n}/x/", "num_comments": 0,
        "domain": "self.BarrowInFurness", "is_self": True, "over_18": False}}  # fmt: skip


def _reddit_page(items: list[Any], token: str | None) -> Reply:
    body = {"kind": "Listing", "data": {"after": token, "dist": len(items), "modhash": "",
            "geo_filter": "", "children": items, "before": None}}  # fmt: skip
    headers = {"x-ratelimit-remaining": "98.0", "x-ratelimit-used": "2",
               "x-ratelimit-reset": "300"}  # fmt: skip
    return Reply(body=body, headers=headers)


def _reddit_429(wait: float) -> Reply:
    headers = {"x-ratelimit-remaining": "0.0", "x-ratelimit-used": "100",
               "x-ratelimit-reset": str(math.ceil(wait))}  # fmt: skip
    return Reply(429, {"message": "Too Many Requests", "error": 429}, headers)


def _reddit_setup(replay: Replay) -> None:
    token = {"access_token": "<ACCESS_TOKEN>", "token_type": "bearer", "expires_in": 86400,
             "scope": "*"}  # fmt: skip
    replay.add("POST", r"https://www\.reddit\.com/api/v1/access_token", Reply(body=token))


REDDIT = Harness(
    type="reddit", options={},
    env={"REDDIT_CLIENT_ID": "<CLIENT_ID>", "REDDIT_CLIENT_SECRET": "<CLIENT_SECRET>",
         "REDDIT_USER_AGENT": "schoolwatch-tests/0.1 by <USER>"},
    method="GET", pattern=r"https://oauth\.reddit\.com/r/all/search", item=_reddit_item,
    page=_reddit_page, external_id=lambda n: f"t3_1ab{n}", rate_limited=_reddit_429,
    malformed={"kind": "t3", "data": {"id": "broken", "title": "no name or time"}},
    resume=[4, 3, 2, 1], setup=_reddit_setup, reread=[2, 1],
)  # fmt: skip


# Bluesky ----------------------------------------------------------------------------------------
def _jwt(lifetime: int = 7200) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"scope": "com.atproto.appPass", "sub": "did:plc:school", "iat": now,
              "exp": now + lifetime, "aud": "did:web:bsky.social"}  # fmt: skip
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def _bsky_item(n: int) -> dict[str, Any]:
    return {
        "uri": f"at://did:plc:parent{n}/app.bsky.feed.post/3kabc{n}",
        "cid": f"bafyreib{n}", "indexedAt": iso(n), "labels": [],
        "author": {"did": f"did:plc:parent{n}", "handle": "parent.bsky.social",
                   "displayName": "A Parent", "labels": [], "createdAt": iso(0)},
        "record": {"$type": "app.bsky.feed.post", "createdAt": iso(n), "langs": ["en"],
                   "text": SCHOOL_TEXT.format(n=n)},
        "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
    }  # fmt: skip


def _bsky_page(items: list[Any], token: str | None) -> Reply:
    body: dict[str, Any] = {"posts": items, "hitsTotal": len(items)}
    if token:
        body["cursor"] = token
    headers = {
        "ratelimit-limit": "3000",
        "ratelimit-remaining": "2990",
        "ratelimit-reset": str(int(time.time()) + 300),
        "ratelimit-policy": "3000;w=300",
    }
    return Reply(body=body, headers=headers)  # fmt: skip


def _bsky_429(wait: float) -> Reply:
    headers = {"ratelimit-limit": "3000", "ratelimit-remaining": "0",
               "ratelimit-reset": str(math.ceil(time.time() + wait)),
               "ratelimit-policy": "3000;w=300"}  # fmt: skip
    return Reply(429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, headers)


def _bsky_session(lifetime: int = 7200) -> dict[str, Any]:
    return {"did": "did:plc:school", "handle": "school.bsky.social", "accessJwt": _jwt(lifetime),
            "refreshJwt": _jwt(90 * 86400), "active": True}  # fmt: skip


def _bsky_setup(replay: Replay) -> None:
    replay.add("POST", r"https://bsky\.social/xrpc/com\.atproto\.server\.createSession",
               Reply(body=_bsky_session()))  # fmt: skip


BLUESKY = Harness(
    type="bluesky", options={"queries": ['"Roose Primary"']},
    env={"BLUESKY_HANDLE": "school.bsky.social", "BLUESKY_APP_PASSWORD": "<APP_PASSWORD>"},
    method="GET", pattern=r"https://bsky\.social/xrpc/app\.bsky\.feed\.searchPosts",
    item=_bsky_item, page=_bsky_page, external_id=lambda n: _bsky_item(n)["uri"],
    rate_limited=_bsky_429, malformed={"uri": "at://did:plc:x/app.bsky.feed.post/1", "cid": "b"},
    cursor_sent=lambda seen: seen.param("since") == iso(2 - 10), setup=_bsky_setup,
)  # fmt: skip


# Mastodon ---------------------------------------------------------------------------------------
_TAG_URL = "https://mastodon.example/api/v1/timelines/tag/RoosePrimary"


def _md_id(n: int) -> str:
    return str(109440153064280000 + n)


def _md_item(n: int) -> dict[str, Any]:
    return {
        "id": _md_id(n), "created_at": iso(n), "in_reply_to_id": None, "sensitive": False,
        "spoiler_text": "", "visibility": "public", "language": "en",
        "uri": f"https://mastodon.example/users/parent/statuses/{_md_id(n)}",
        "url": f"https://mastodon.example/@parent/{_md_id(n)}", "replies_count": 0,
        "reblogs_count": 0, "favourites_count": 0, "edited_at": None,
        "content": f"<p>{SCHOOL_TEXT.format(n=n)} <a href=\"https://mastodon.example/tags/"
                   "RoosePrimary\" class=\"mention hashtag\" rel=\"tag\">#<span>RoosePrimary"
                   "</span></a></p>",
        "reblog": None, "account": {"id": "109440137734600341", "username": "parent",
                                    "acct": "parent", "display_name": "A Parent",
                                    "url": "https://mastodon.example/@parent"},
        "media_attachments": [], "mentions": [], "emojis": [], "card": None, "poll": None,
        "tags": [{"name": "rooseprimary", "url": "https://mastodon.example/tags/rooseprimary"}],
    }  # fmt: skip


def _md_page(items: list[Any], token: str | None) -> Reply:
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "297",
               "X-RateLimit-Reset": (NOW + timedelta(hours=1)).isoformat()}  # fmt: skip
    ids = [i["id"] for i in items if isinstance(i, dict) and "id" in i]
    if token and ids:
        low, high = min(ids, key=int), max(ids, key=int)
        headers["Link"] = (f'<{_TAG_URL}?max_id={low}>; rel="next", '
                           f'<{_TAG_URL}?min_id={high}>; rel="prev"')  # fmt: skip
    return Reply(body=items, headers=headers)


def _md_429(wait: float) -> Reply:
    reset = datetime.fromtimestamp(time.time() + wait, UTC).isoformat()
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
               "X-RateLimit-Reset": reset}  # fmt: skip
    return Reply(429, {"error": "Too many requests"}, headers)


MASTODON = Harness(
    type="mastodon", options={"instance": "https://mastodon.example", "hashtags": ["RoosePrimary"]},
    env={}, method="GET", pattern=r"https://mastodon\.example/api/v1/timelines/tag/RoosePrimary",
    item=_md_item, page=_md_page, external_id=lambda n: _md_item(n)["uri"], rate_limited=_md_429,
    malformed={"id": "109440153064280999", "created_at": iso(5), "content": None, "account": {}},
    cursor_sent=lambda seen: seen.param("since_id") == _md_id(2), two_page_requests=2,
)  # fmt: skip


# YouTube ----------------------------------------------------------------------------------------
def _yt_item(n: int) -> dict[str, Any]:
    comment = {
        "kind": "youtube#comment", "etag": f"etag{n}", "id": f"UgzKq{n}AaBb",
        "snippet": {"channelId": "UCschool0000000000000000", "videoId": "dQw4w9WgXcQ",
                    "textDisplay": SCHOOL_TEXT.format(n=n), "textOriginal": SCHOOL_TEXT.format(n=n),
                    "authorDisplayName": "@aparent",
                    "authorChannelUrl": "http://www.youtube.com/@aparent",
                    "authorChannelId": {"value": "UCparent000000000000000"}, "canRate": True,
                    "viewerRating": "none", "likeCount": 0,
                    "publishedAt": iso(n).replace(".000", ""),
                    "updatedAt": iso(n).replace(".000", "")},
    }  # fmt: skip
    return {"kind": "youtube#commentThread", "etag": f"t{n}", "id": f"UgzKq{n}AaBb",
            "snippet": {"channelId": "UCschool0000000000000000", "videoId": "dQw4w9WgXcQ",
                        "topLevelComment": comment, "canReply": True, "totalReplyCount": 0,
                        "isPublic": True}}  # fmt: skip


def _yt_page(items: list[Any], token: str | None) -> Reply:
    body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": "list",
                            "pageInfo": {"totalResults": len(items), "resultsPerPage": 100},
                            "items": items}  # fmt: skip
    if token:
        body["nextPageToken"] = token
    return Reply(body=body)


def _yt_429(wait: float) -> Reply:
    body = {"error": {"code": 429, "message": "Resource has been exhausted", "status":
                      "RESOURCE_EXHAUSTED", "errors": [{"message": "Resource has been exhausted",
                      "domain": "global", "reason": "rateLimitExceeded"}]}}  # fmt: skip
    return Reply(429, body, {"Retry-After": str(math.ceil(wait))})


YOUTUBE = Harness(
    type="youtube", options={"channel_id": "UCschool0000000000000000"},
    env={"YOUTUBE_API_KEY": "<YOUTUBE_API_KEY>"}, method="GET",
    pattern=r"https://www\.googleapis\.com/youtube/v3/commentThreads", item=_yt_item,
    page=_yt_page, external_id=lambda n: f"UgzKq{n}AaBb", rate_limited=_yt_429,
    malformed={"kind": "youtube#commentThread", "id": "broken", "snippet": {"videoId": "x"}},
    resume=[4, 3, 2, 1],
)  # fmt: skip


# Facebook Page ----------------------------------------------------------------------------------
_FB_FEED = "https://graph.facebook.com/v26.0/104000000000001/feed"


def _fb_item(n: int) -> dict[str, Any]:
    return {"id": f"104000000000001_{900 + n}", "message": SCHOOL_TEXT.format(n=n),
            "created_time": at(n).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "permalink_url": f"https://www.facebook.com/104000000000001/posts/{900 + n}",
            "from": {"name": "Roose Community Primary School",
                     "id": "104000000000001"}}  # fmt: skip


def _fb_page(items: list[Any], token: str | None) -> Reply:
    paging: dict[str, Any] = {"cursors": {"before": "QVFIUmxyYmVmb3Jl", "after": "QVFIUmFmdGVy"}}
    if token:
        paging["next"] = f"{_FB_FEED}?access_token=<PAGE_TOKEN>&limit=25&after={token}"
    usage = json.dumps({"call_count": 4, "total_cputime": 2, "total_time": 3})
    return Reply(body={"data": items, "paging": paging}, headers={"x-app-usage": usage})


def _fb_throttled(wait: float) -> Reply:
    body = {"error": {"message": "(#32) Page request limit reached", "type": "OAuthException",
                      "is_transient": True, "code": 32, "fbtrace_id": "AbCdEf"}}  # fmt: skip
    usage = {
        "104000000000001": [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 10,
                "total_time": 20,
                "estimated_time_to_regain_access": math.ceil(wait / 60),
            }
        ]
    }
    return Reply(403, body, {"x-business-use-case-usage": json.dumps(usage)})  # fmt: skip


FACEBOOK = Harness(
    type="facebook_page", options={"page_id": "104000000000001", "comments": False},
    env={"FACEBOOK_PAGE_TOKEN": "<PAGE_TOKEN>"}, method="GET",
    pattern=r"https://graph\.facebook\.com/v26\.0/104000000000001/feed", item=_fb_item,
    page=_fb_page, external_id=lambda n: f"104000000000001_{900 + n}", rate_limited=_fb_throttled,
    malformed={"message": "no id here", "created_time": "2026-11-25T10:00:00+0000"},
    resume=[4, 3, 2, 1], short_waits=False,
)  # fmt: skip


# RSS --------------------------------------------------------------------------------------------
_FEED = "https://news.example/barrow/feed.xml"


def _rss_item(n: int) -> str:
    stamp = at(n).strftime("%a, %d %b %Y %H:%M:%S +0000")
    return (f"<item><title>{SCHOOL_TEXT.format(n=n)}</title>"
            f"<link>https://news.example/barrow/{n}</link><guid>https://news.example/barrow/{n}"
            f"</guid><description>&lt;p&gt;Parents queued at Roose Primary.&lt;/p&gt;"
            f"</description><pubDate>{stamp}</pubDate></item>")  # fmt: skip


def _rss_page(items: list[Any], token: str | None) -> Reply:
    next_link = f'<atom:link rel="next" href="{_FEED}?page={token}"/>' if token else ""
    body = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Barrow news</title>'
            f"<link>https://news.example/barrow</link>{next_link}"
            f"{''.join(items)}</channel></rss>")  # fmt: skip
    return Reply(
        body=body,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": NOW.strftime("%a, %d %b %Y %H:%M:%S GMT")},
    )


def _rss_429(wait: float) -> Reply:
    return Reply(429, "slow down", {"Retry-After": str(math.ceil(wait))}, content_type="text/plain")


RSS = Harness(
    type="rss", options={"url": _FEED}, env={}, method="GET",
    pattern=r"https://news\.example/barrow/feed\.xml", item=_rss_item, page=_rss_page,
    external_id=lambda n: f"https://news.example/barrow/{n}", rate_limited=_rss_429,
    malformed="<item><description></description></item>",
    cursor_sent=lambda seen: seen.headers.get("if-none-match") == '"v1"', resume=[],
    resume_reply=Reply(304, "", content_type="text/plain"),
)  # fmt: skip

HARNESSES = [X, REDDIT, BLUESKY, MASTODON, YOUTUBE, FACEBOOK, RSS]
