"""Shared searches against replayed X and Reddit answers: one request serves several schools,
and each post reaches only the schools it is about."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from config import SchoolSettings
from models import Case, Post
from monitor.app import App
from monitor.sharing import RelevanceJudge, SchoolSearch, connector_for, deliver, fan_out, plan
from monitor.usage import ApiCosts, record_usage, usage_rows
from tests.connectors.harnesses import REDDIT, X, _x_id, iso
from tests.connectors.replay import Replay, Reply

ROOSE = SchoolSettings("Roose Community Primary School", ("Roose Primary",))
ABBOTS = SchoolSettings("Abbotsmead Academy", ("Abbotsmead",))
JUDGES = {"roose": RelevanceJudge(ROOSE), "abbots": RelevanceJudge(ABBOTS)}
TEXTS = {
    1: "Roose Primary nativity was lovely",
    2: "Abbotsmead Academy's new head has no idea",
    3: "Roose Primary and Abbotsmead both closed for snow",
    4: "Stuck on Roose Road again",
}


def _x_item(n: int) -> dict[str, Any]:
    return {"id": _x_id(n), "text": TEXTS[n], "author_id": "2244994945", "created_at": iso(n),
            "conversation_id": _x_id(n), "edit_history_tweet_ids": [_x_id(n)]}  # fmt: skip


def _searches(platform: str, **extra: Any) -> list[SchoolSearch]:
    return [SchoolSearch("roose", "s", platform, ROOSE.names, **extra),
            SchoolSearch("abbots", "s", platform, ABBOTS.names, **extra)]  # fmt: skip


def test_one_x_search_serves_both_schools_and_each_post_reaches_its_own(mock: Replay) -> None:
    [fetch] = plan(_searches("x"))
    search = mock.add("GET", X.pattern, X.page([_x_item(n) for n in (4, 3, 2, 1)], None))
    connector = connector_for(fetch, X.env)
    batch = connector.fetch(None)
    assert len(search.seen) == 1 and connector.calls == 1
    query = search.seen[0].param("query")
    assert query == fetch.query and len(query or "") <= 512
    assert '"Roose Community Primary School" OR "Roose Primary"' in (query or "")
    assert '"Abbotsmead Academy" OR "Abbotsmead"' in (query or "")
    result = fan_out(batch.posts, JUDGES)
    assert {s: sorted(p.text for p in posts) for s, posts in result.by_school.items()} == {
        "roose": sorted([TEXTS[1], TEXTS[3]]),
        "abbots": sorted([TEXTS[2], TEXTS[3]]),
    }
    assert [p.text for p in result.unclaimed] == [TEXTS[4]]


def _comment(n: int) -> dict[str, Any]:
    return {"kind": "t1", "data": {
        "id": f"kc{n}", "name": f"t1_kc{n}", "body": TEXTS[n], "author": "local_mum",
        "created_utc": 1_764_000_000 + n, "link_id": "t3_1ab1", "subreddit": "BarrowInFurness",
        "permalink": f"/r/BarrowInFurness/comments/1ab1/x/kc{n}/", "score": 1}}  # fmt: skip


def test_a_subreddit_is_searched_once_and_its_comments_read_once(mock: Replay) -> None:
    REDDIT.setup(mock)
    fetches = plan(_searches("reddit", subreddits=("BarrowInFurness",),
                             comment_subreddits=("BarrowInFurness",)))  # fmt: skip
    search = next(f for f in fetches if f.kind == "search")
    comments = next(f for f in fetches if f.kind == "comments")
    found = mock.add("GET", r"https://oauth\.reddit\.com/r/barrowinfurness/search",
                     REDDIT.page([], None))  # fmt: skip
    listing = mock.add("GET", r"https://oauth\.reddit\.com/r/barrowinfurness/comments",
                       REDDIT.page([_comment(n) for n in (4, 3, 2, 1)], None))  # fmt: skip
    connector_for(search, REDDIT.env).fetch(None)
    assert len(found.seen) == 1 and listing.seen == []
    assert found.seen[0].param("q") == search.query
    assert found.seen[0].param("restrict_sr") == "true"
    reader = connector_for(comments, REDDIT.env)
    batch = reader.fetch(None)
    assert len(found.seen) == 1 and len(listing.seen) == 1 and reader.calls == 1
    # The read keeps comments naming any member; the fan-out gives each school its own.
    assert sorted(p.text for p in batch.posts) == sorted([TEXTS[1], TEXTS[2], TEXTS[3]])
    result = fan_out(batch.posts, JUDGES)
    assert sorted(p.text for p in result.by_school["roose"]) == sorted([TEXTS[1], TEXTS[3]])
    assert sorted(p.text for p in result.by_school["abbots"]) == sorted([TEXTS[2], TEXTS[3]])
    assert result.unclaimed == []


def test_a_failed_shared_search_counts_its_calls(mock: Replay) -> None:
    [fetch] = plan(_searches("x"))
    mock.add("GET", X.pattern, Reply(401, {"title": "Unauthorized", "status": 401}))
    connector = connector_for(fetch, X.env)
    try:
        connector.fetch(None)
    except Exception as exc:
        assert "X_BEARER_TOKEN" in str(exc)
    else:
        raise AssertionError("a 401 must fail the fetch")
    assert connector.calls == 1


def test_a_school_stores_and_classifies_only_its_share_and_pays_its_share(
    app: App, mock: Replay
) -> None:
    texts = {**TEXTS, 5: "If Mr Okafor does that again I'll batter him outside Roose Primary"}
    items = [{**_x_item(min(n, 4)), "id": _x_id(n), "text": texts[n]} for n in (5, 4, 3, 2, 1)]
    [fetch] = plan(_searches("x"))
    mock.add("GET", X.pattern, X.page(items, None))
    connector = connector_for(fetch, X.env)
    batch = connector.fetch(None)
    shares = fan_out(batch.posts, JUDGES)
    report = deliver(app, "x-search", shares.by_school["roose"], "x")
    assert (report.fetched, report.new, report.flagged) == (3, 3, 1)
    assert deliver(app, "x-search", shares.by_school["roose"], "x").new == 0  # stored once
    with app.sessions.begin() as session:
        record_usage(session, "x", fetch.schools, connector.calls, len(batch.posts), ApiCosts(),
                     shared=True)  # fmt: skip
    with app.sessions() as session:
        stored = sorted(session.scalars(select(Post.text)))
        assert stored == sorted([texts[1], texts[3], texts[5]])
        assert [c.severity for c in session.scalars(select(Case))] == ["urgent"]
        mine = {r.school: r for r in usage_rows(session, 1)}
    assert mine["roose"].calls == 0.5 and mine["roose"].posts_read == 2.5
