"""What the queue and the case pages keep for a few seconds: counts, rendered lists, a case's
posts and drafts. Any change made through the app's sessions empties it at once; changes made by
another process (a worker's cycle) show after at most ``KEPT_SECONDS``."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar, cast

from flask import current_app
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from models import (
    Case,
    CaseEvent,
    CaseLetter,
    CaseStep,
    EvidenceImage,
    Flag,
    Membership,
    Post,
    User,
)
from monitor.web.common import core

KEPT_SECONDS = 15.0  # the documented bound: nothing kept is older than this
# Past this age the first request to see an entry makes it again while the others keep using
# it, so that twenty clients do not all wait for one recount every KEPT_SECONDS.
REFRESH_AFTER = 10.0
KEPT_MOST = 500  # entries; past that the cache starts again (filters and pages are many)
# Where csrf_token() goes in a kept page: a comment cannot come out of escaped post text.
CSRF_SLOT = Markup("<!--csrf_token-->")
# The rows whose change may show on the queue or on a case page (users: whom a case may be
# assigned to).
SHOWN = (Post, Flag, EvidenceImage, Case, CaseEvent, CaseLetter, CaseStep, User, Membership)
_MAKING = threading.Lock()
T = TypeVar("T")


class PageCache:
    """Values by key, each tagged with the cache's generation and the time it was made."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        # Held while a missing entry is made: the requests that miss it at the same moment wait
        # and reuse it instead of each making it (twenty renders of one list at once).
        self.making = threading.Lock()
        self._kept: dict[tuple[object, ...], tuple[float, int, object]] = {}
        self._refreshing: set[tuple[object, ...]] = set()
        self.generation = 0

    def changed(self) -> None:
        with self._lock:
            self.generation += 1
            self._kept.clear()
            self._refreshing.clear()

    def get(self, key: tuple[object, ...]) -> object | None:
        with self._lock:
            kept = self._kept.get(key)
        if kept is None or kept[1] != self.generation:
            return None
        return kept[2] if self.clock() - kept[0] < KEPT_SECONDS else None

    def claim_refresh(self, key: tuple[object, ...]) -> bool:
        """True for the one caller that should make ``key`` again because it is older than
        ``REFRESH_AFTER`` (it then calls ``put`` or ``release``); False for everyone else."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or key in self._refreshing:
                return False
            if self.clock() - kept[0] < REFRESH_AFTER:
                return False
            self._refreshing.add(key)
            return True

    def release(self, key: tuple[object, ...]) -> None:
        with self._lock:
            self._refreshing.discard(key)

    def kept(self, key: tuple[object, ...], kind: type[T], make: Callable[[], T]) -> tuple[T, bool]:
        """The entry for ``key`` (an instance of ``kind``), made by ``make`` when missing, and
        whether this call made it. When it is old enough, the one caller that claims it makes
        it again while the others go on with the kept one."""
        value = self.get(key)
        if isinstance(value, kind):
            if not self.claim_refresh(key):
                return value, False
            generation = self.generation
            try:
                value = make()
            finally:
                self.release(key)
            self.put(key, generation, value)
            return value, True
        with self.making:
            value = self.get(key)
            if isinstance(value, kind):
                return value, False
            generation = self.generation
            value = make()
            self.put(key, generation, value)
            return value, True

    def put(self, key: tuple[object, ...], generation: int, value: object) -> None:
        with self._lock:
            self._refreshing.discard(key)
            if generation == self.generation:
                if len(self._kept) >= KEPT_MOST:
                    self._kept.clear()
                self._kept[key] = (self.clock(), generation, value)


def page_cache() -> PageCache:
    """This app's cache; any flush that adds, changes or removes one of the ``SHOWN`` rows
    through the app's sessions (a decision, a cycle in this process) empties it."""
    cache = current_app.extensions.get("schoolwatch.pages")
    if cache is not None:
        return cast(PageCache, cache)
    with _MAKING:  # one cache and one listener per app, however many requests come first
        cache = current_app.extensions.get("schoolwatch.pages")
        if cache is None:
            made = cache = current_app.extensions["schoolwatch.pages"] = PageCache()

            def on_flush(session: Session, _context: object) -> None:
                touched = (*session.new, *session.dirty, *session.deleted)
                if any(isinstance(row, SHOWN) for row in touched):
                    made.changed()

            event.listen(core().sessions, "after_flush", on_flush)
    return cast(PageCache, cache)
