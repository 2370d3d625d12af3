"""Shared platform searches for a trust of schools: plan them, build their connectors, and fan
each result out to the member schools it is about.

X recent search takes one query of at most 512 characters, so several schools' names are ORed
into one query; Reddit searches one subreddit with one ``q`` of at most 512 characters, so the
schools watching the same subreddit share it, and a subreddit's newest comments are read once for
all of them. One school's names are never split across queries: a post naming the school must
be found by one search. A school with its own ``query = "..."`` keeps it and searches alone.

:func:`plan` and :func:`fan_out` are pure; :func:`connector_for` only builds a connector;
:func:`deliver` stores and classifies one school's share.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from classifiers.normalise import normalise
from classifiers.people import PeopleMatcher
from classifiers.relevance import ABOUT, RelevanceStage
from config import Roster, SchoolSettings, Settings
from config.env import require_secret
from connectors.base import FetchedPost
from connectors.common import list_option, quoted_or
from connectors.reddit import MAX_QUERY as REDDIT_MAX_QUERY
from connectors.reddit import RedditConnector
from connectors.x import XConnector
from monitor.app import App
from monitor.cycle import CycleReport, classify_posts
from monitor.ingest import insert_posts

X_MAX_QUERY = 512  # recent search on the Basic and Pro tiers and on pay-per-use
X_SUFFIX = " -is:retweet"
SHARED = ("x", "reddit")


@dataclass(frozen=True)
class SchoolSearch:
    """One school's shareable source: an X search, or a Reddit search of some subreddits and a
    read of some subreddits' comments. ``query`` is set only when the config gave its own."""

    school: str
    source: str
    platform: str
    names: tuple[str, ...]
    query: str | None = None
    subreddits: tuple[str, ...] = ()
    comment_subreddits: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharedFetch:
    """One search (or one comments read, ``kind == "comments"``) done once for its members."""

    platform: str
    kind: str  # search | comments
    query: str
    members: tuple[SchoolSearch, ...]
    subreddit: str | None = None

    @property
    def schools(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.school for m in self.members))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for m in self.members for n in m.names))

    @property
    def key(self) -> str:
        """A stable name for the fetch's cursor and lock: it changes when its members do."""
        where = self.subreddit or ""
        digest = hashlib.sha256(f"{self.kind}\n{where}\n{self.query}".encode()).hexdigest()[:12]
        return f"shared-{self.platform}-{self.kind}-{digest}"


def x_query(groups: Sequence[str]) -> str:
    return f"({' OR '.join(groups)}){X_SUFFIX}"


def _pack(
    searches: Sequence[SchoolSearch], fits: Callable[[list[str]], bool]
) -> list[list[SchoolSearch]]:
    """First fit by decreasing length: each school's ORed names go whole into the first pack
    that still fits, else into a new one."""
    packs: list[list[SchoolSearch]] = []
    ordered = sorted(searches, key=lambda s: (-len(quoted_or(s.names)), s.school, s.source))
    for search in ordered:
        term = quoted_or(search.names)
        for pack in packs:
            if fits([*(quoted_or(m.names) for m in pack), term]):
                pack.append(search)
                break
        else:
            packs.append([search])
    return packs


def plan(
    searches: Iterable[SchoolSearch],
    x_limit: int = X_MAX_QUERY,
    reddit_limit: int = REDDIT_MAX_QUERY,
) -> list[SharedFetch]:
    """The fetches that cover every search: X names packed into queries of at most ``x_limit``
    characters; one Reddit search per subreddit (more when its schools' names pass
    ``reddit_limit``) and one comments read per subreddit."""
    fetches: list[SharedFetch] = []
    x_pool: list[SchoolSearch] = []
    by_sub: dict[str, list[SchoolSearch]] = defaultdict(list)
    comments: dict[str, list[SchoolSearch]] = defaultdict(list)
    for search in searches:
        if search.platform not in SHARED:
            raise ValueError(f"{search.platform!r} searches are not shared")
        if search.platform == "x":
            if search.query is not None or len(x_query([quoted_or(search.names)])) > x_limit:
                own = search.query or x_query([quoted_or(search.names)])
                fetches.append(SharedFetch("x", "search", own, (search,)))
            else:
                x_pool.append(search)
            continue
        for sub in search.comment_subreddits:
            comments[sub.casefold()].append(search)
        if search.query is not None or len(quoted_or(search.names)) > reddit_limit:
            own = search.query or quoted_or(search.names)
            for sub in search.subreddits:
                fetches.append(SharedFetch("reddit", "search", own, (search,), sub.casefold()))
            continue
        for sub in search.subreddits:
            by_sub[sub.casefold()].append(search)
    for pack in _pack(x_pool, lambda terms: len(x_query(terms)) <= x_limit):
        fetches.append(SharedFetch("x", "search", x_query([quoted_or(m.names) for m in pack]),
                                   tuple(pack)))  # fmt: skip
    for sub, members in sorted(by_sub.items()):
        for pack in _pack(members, lambda terms: len(" OR ".join(terms)) <= reddit_limit):
            query = " OR ".join(quoted_or(m.names) for m in pack)
            fetches.append(SharedFetch("reddit", "search", query, tuple(pack), sub))
    for sub, members in sorted(comments.items()):
        fetches.append(SharedFetch("reddit", "comments", "", tuple(members), sub))
    return fetches


def searches_from_settings(school: str, settings: Settings) -> list[SchoolSearch]:
    """The shareable sources in one school's config, keyed by ``school``; a malformed option
    raises ConfigError as the connector itself would."""
    found = []
    for source in settings.sources:
        if source.type not in SHARED:
            continue
        own = source.options.get("query")
        reddit = source.type == "reddit"
        found.append(SchoolSearch(
            school=school, source=source.name, platform=source.type,
            names=settings.school.names, query=str(own) if own else None,
            subreddits=list_option(source, "subreddits", ("all",)) if reddit else (),
            comment_subreddits=list_option(source, "comment_subreddits") if reddit else (),
        ))  # fmt: skip
    return found


def connector_for(fetch: SharedFetch, environ: Mapping[str, str]) -> XConnector | RedditConnector:
    """The connector that runs ``fetch``, with the deployment's credentials."""
    why = f"shared fetch {fetch.key}"
    if fetch.platform == "x":
        return XConnector(query=fetch.query,
                          bearer_token=require_secret("X_BEARER_TOKEN", environ, why))  # fmt: skip
    credentials = (
        require_secret("REDDIT_CLIENT_ID", environ, why),
        require_secret("REDDIT_CLIENT_SECRET", environ, why),
        require_secret("REDDIT_USER_AGENT", environ, why),
    )
    sub = fetch.subreddit or "all"
    if fetch.kind == "comments":
        return RedditConnector(query="", subreddits=(sub,), comment_subreddits=(sub,),
                               names=fetch.names, credentials=credentials)  # fmt: skip
    return RedditConnector(query=fetch.query, subreddits=(sub,), comment_subreddits=(),
                           names=fetch.names, credentials=credentials)  # fmt: skip


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


P = TypeVar("P", bound=_HasText)
Judge = Callable[[str], bool]


@dataclass
class FanOut(Generic[P]):
    """Each member school's posts, and the posts no member was judged to be about."""

    by_school: dict[str, list[P]] = field(default_factory=dict)
    unclaimed: list[P] = field(default_factory=list)

    @property
    def deliveries(self) -> int:
        return sum(len(posts) for posts in self.by_school.values())


def fan_out(posts: Iterable[P], judges: Mapping[str, Judge]) -> FanOut[P]:
    """Give each post to every school whose judge says it is about that school; a post about
    none of them is kept nowhere and counted in ``unclaimed``."""
    result: FanOut[P] = FanOut({school: [] for school in judges})
    for post in posts:
        claimed = False
        for school, about in judges.items():
            if about(post.text):
                result.by_school[school].append(post)
                claimed = True
        if not claimed:
            result.unclaimed.append(post)
    return result


class RelevanceJudge:
    """Whether a post is about one school, by its classifier's relevance stage: it names the
    school, or someone on its roster (a bare first name only with school words around it), and
    names no other school instead.

    A shared search found the post for some member, not necessarily this one, so what the
    school's own search would accept on weaker grounds (school words alone, or school words
    and the town, which neighbouring schools share) does not count here."""

    def __init__(self, school: SchoolSettings, roster: Roster | None = None) -> None:
        self._relevance = RelevanceStage(school)
        self._people = PeopleMatcher(roster or Roster())

    def __call__(self, text: str) -> bool:
        norm = normalise(text)
        named = self._relevance.school_named(norm)
        context = bool(named) or self._relevance.has_school_words(norm)
        mentions = self._people.find(norm, context, self._people.tokenise(norm.text))
        verdict = self._relevance.judge(norm, mentions, named).verdict
        return verdict == ABOUT and bool(named or mentions)


def deliver(app: App, source_name: str, posts: list[FetchedPost]) -> CycleReport:
    """Store one school's share of a shared fetch under the school's own source name, then
    classify it and open its cases as a cycle does. The school's own cursor is left alone: the
    shared fetch keeps its cursor under ``SharedFetch.key``. E-mails are left to the relay."""
    report = CycleReport(source=source_name)
    with app.sessions.begin() as session:
        new_ids = insert_posts(session, posts, source_name)
    report.fetched, report.new = len(posts), len(new_ids)
    classify_posts(app, new_ids, report)
    return report
