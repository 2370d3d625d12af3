"""Shared platform searches for a trust of schools: plan them, build their connectors, and fan
each result out to the member schools it is about.

X recent search takes one query of at most 512 characters, so several schools' names are ORed
into one query; Reddit searches one subreddit with one ``q`` of at most 512 characters, so the
schools watching the same subreddit share it, and a subreddit's newest comments are read once for
all of them. One school's names are never split across queries: a post naming the school must
be found by one search. A school with its own ``query = "..."`` keeps it and searches alone.

:func:`plan` and :func:`fan_out` are pure; :func:`connector_for` only builds a connector;
:func:`deliver` stores and classifies one school's share; :func:`run_shared` does one shared
fetch from its cursor to every member's share (the worker's ``shared_cycle`` job).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

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
from models import SharedCursor, utcnow
from models.tenancy import global_sessions
from monitor.app import App
from monitor.cycle import (
    CLASSIFY_CHARS,
    CycleReport,
    classify_posts,
    fetch_or_fail,
    unclassified,
)
from monitor.ingest import insert_posts, source_row
from monitor.unclaimed import screen
from monitor.usage import ApiCosts, record_usage

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
    none of them goes to ``unclaimed`` (which :func:`run_shared` gives every member, marked)."""
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


def shared_fetches(searches: Iterable[SchoolSearch]) -> list[SharedFetch]:
    """The fetches a deployment's workers run instead of the schools' own cycles: every fetch of
    a source that shares at least one fetch with another school (a Reddit source whose one
    subreddit is shared and whose other is not runs both as shared fetches). A source that shares
    nothing (its own ``query``, a one-school deployment) keeps its own cycle."""
    fetches = plan(searches)
    sharing = {(m.school, m.source) for f in fetches if len(f.schools) > 1 for m in f.members}
    return [f for f in fetches if any((m.school, m.source) in sharing for m in f.members)]


def covered(fetches: Iterable[SharedFetch]) -> dict[tuple[str, str], int]:
    """(school, source) -> the most schools one of the source's shared fetches serves."""
    found: dict[tuple[str, str], int] = {}
    for fetch in fetches:
        for member in fetch.members:
            key = (member.school, member.source)
            found[key] = max(found.get(key, 0), len(fetch.schools))
    return found


def deployment_fetches(schools: Mapping[str, Settings]) -> list[SharedFetch]:
    """:func:`shared_fetches` over every school of a deployment (slug -> settings)."""
    return shared_fetches(s for slug, settings in schools.items()
                          for s in searches_from_settings(slug, settings))  # fmt: skip


def deliver(
    app: App,
    source_name: str,
    posts: list[FetchedPost],
    source_type: str,
    unclaimed: Sequence[tuple[FetchedPost, list[str]]] = (),
) -> CycleReport:
    """Store one school's share of a shared fetch under the school's own source name, and the
    fetch's ``unclaimed`` posts (each with the safety categories the members' screen raised,
    ``monitor/unclaimed.py``), then classify them (and any post a failed delivery left
    unclassified) and open their cases as a cycle does, and mark the school's source run. The
    school's own cursor is left alone: the shared fetch keeps its cursor under
    ``SharedFetch.key``. E-mails are left to the relay."""
    report = CycleReport(source=source_name)
    with app.sessions.begin() as session:
        row = source_row(session, source_name, source_type)
        new_ids = insert_posts(session, posts, source_name)
        new_ids += insert_posts(session, [post for post, _ in unclaimed], source_name,
                                [raised for _, raised in unclaimed])  # fmt: skip
        row.last_fetched, row.last_skipped = len(posts) + len(unclaimed), 0
        row.posts_total = (row.posts_total or 0) + len(new_ids)
    report.fetched, report.new = len(posts) + len(unclaimed), len(new_ids)
    classify_posts(app, unclassified(app, source_name), report)
    with app.sessions.begin() as session:
        row = source_row(session, source_name, source_type)
        row.last_run_at = row.last_success_at = utcnow()
        row.last_outcome, row.last_error, row.consecutive_failures = "ok", None, 0
    return report


@dataclass
class SharedReport:
    """One shared fetch: what it read, what each member school got, or why it failed."""

    key: str
    fetched: int = 0
    unclaimed: int = 0  # kept for every member, unflagged or (``unsure``) flagged, demoted
    unsure: int = 0  # unclaimed posts that raised a safety category
    calls: int = 0
    schools: dict[str, CycleReport] = field(default_factory=dict)
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None
    pause: float | None = None


def run_shared(
    fetch: SharedFetch,
    apps: Mapping[str, App],
    judges: Mapping[str, Judge],
    environ: Mapping[str, str],
    costs: ApiCosts,
) -> SharedReport:
    """Fetch once from the shared cursor, give each member school its share, then advance the
    cursor and record the calls split between the members. A SourceError is recorded on every
    member's source and returned in the report; the cursor then stays where it was."""
    report = SharedReport(fetch.key)
    engine = apps[fetch.schools[0]].engine
    connector = connector_for(fetch, environ)
    with global_sessions(engine).begin() as session:
        cursor = _cursor_row(session, fetch).cursor
    batch = fetch_or_fail(connector, cursor, report, lambda error: mark_failed(fetch, apps, error))
    if batch is None:
        report.calls = connector.calls
        with global_sessions(engine).begin() as session:
            record_usage(session, fetch.platform, fetch.schools, connector.calls, 0, costs,
                         shared=True)  # fmt: skip
        return report
    shares = fan_out(batch.posts, {school: judges[school] for school in fetch.schools})
    raised = screen([post.text[:CLASSIFY_CHARS] for post in shares.unclaimed],
                    {school: apps[school].classifier for school in fetch.schools})  # fmt: skip
    unclaimed = list(zip(shares.unclaimed, raised, strict=True))
    for member in fetch.members:
        share = shares.by_school[member.school]
        report.schools[member.school] = deliver(apps[member.school], member.source, share,
                                                member.platform, unclaimed)  # fmt: skip
    with global_sessions(engine).begin() as session:
        row = _cursor_row(session, fetch)
        row.cursor, row.updated_at = batch.cursor, utcnow()
        record_usage(session, fetch.platform, fetch.schools, connector.calls, len(batch.posts),
                     costs, shared=True)  # fmt: skip
    report.fetched, report.unclaimed = len(batch.posts), len(shares.unclaimed)
    report.unsure = sum(1 for categories in raised if categories)
    report.calls, report.pause = connector.calls, batch.pause
    return report


def mark_failed(fetch: SharedFetch, apps: Mapping[str, App], error: str) -> None:
    """Every member's source shows the shared fetch's failure (the trust page, `sources`)."""
    for member in fetch.members:
        with apps[member.school].sessions.begin() as session:
            row = source_row(session, member.source, member.platform)
            row.last_run_at = utcnow()
            row.last_outcome, row.last_error = "error", error[:2000]
            row.consecutive_failures = (row.consecutive_failures or 0) + 1


def _cursor_row(session: Session, fetch: SharedFetch) -> SharedCursor:
    """The fetch's cursor row, made on its first run; two workers starting together both get it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(SharedCursor).values(key=fetch.key, platform=fetch.platform)
                    .on_conflict_do_nothing(index_elements=["key"]))  # fmt: skip
    return session.scalars(select(SharedCursor).where(SharedCursor.key == fetch.key)).one()
