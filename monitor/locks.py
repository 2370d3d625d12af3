"""One scheduler per database, and one cycle per source at a time: PostgreSQL advisory locks, or
file locks beside a SQLite file."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

LOCK_KEY = 0x5C400157  # any constant shared by every Schoolwatch process on this database


@dataclass
class SchedulerLock:
    engine: Engine
    lock_dir: Path
    # In a deployment of several schools each school has its scheduler (0: the one school).
    school_id: int = 0
    _connection: Connection | None = field(default=None, init=False)
    _file: IO[str] | None = field(default=None, init=False)

    def acquire(self) -> bool:
        """True if this process now owns the scheduler; False if another one does."""
        if self.engine.dialect.name == "postgresql":
            connection = self.engine.connect()
            got = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}
                ).scalar()
            )
            connection.commit()
            if got:
                self._connection = connection
            else:
                connection.close()
            return got
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        name = f"scheduler-{self.school_id}.lock" if self.school_id else "scheduler.lock"
        handle = (self.lock_dir / name).open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return True

    @property
    def _key(self) -> int:
        """One 64-bit advisory key: the school in the high half (PostgreSQL's classid), the
        constant in the low half (objid)."""
        return (self.school_id << 32) | LOCK_KEY

    def held(self) -> bool:
        """Whether this process still owns the scheduler. A PostgreSQL advisory lock lives on
        one connection: if the database dropped it (a restart, a network blip, an admin's
        pg_terminate_backend), the lock went with it, and another process may now hold it."""
        if self._file is not None:
            return True
        if self._connection is None:
            return False
        try:
            mine = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND pid = pg_backend_pid() AND objid = :k AND classid = :c"
                ),
                {"k": LOCK_KEY, "c": self.school_id},
            ).scalar()
            self._connection.commit()
        except SQLAlchemyError:
            self._drop_connection()
            return False
        if not mine:
            self._drop_connection()
        return bool(mine)

    def _drop_connection(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._connection.close()
            self._connection = None

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(SQLAlchemyError):  # a dropped connection took the lock too
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            self._drop_connection()
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


WORKER_ALIVE = 30  # seconds: procrastinate's heartbeat comes every 10


def queue_workers(engine: Engine) -> int:
    """How many ``schoolwatch worker`` processes are alive on this database (their
    heartbeat in procrastinate's table is fresh); 0 on SQLite or before any worker ran."""
    if engine.dialect.name != "postgresql":
        return 0
    try:
        with engine.connect() as connection:
            if connection.execute(text("SELECT to_regclass('procrastinate_workers')")).scalar():
                return int(connection.execute(
                    text("SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > "
                         "now() - make_interval(secs => :s)"), {"s": WORKER_ALIVE},
                ).scalar() or 0)  # fmt: skip
    except SQLAlchemyError:
        pass  # the lock check that follows meets the same trouble and says so
    return 0


class SourceBusy(Exception):
    """Another process is running a cycle of this source."""


SOURCE_LOCK_CLASS = 0x5C40  # first key of the two-key advisory lock; the second is the source's


def _source_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big", signed=True)


@contextmanager
def source_lock(engine: Engine, lock_dir: Path, name: str, wait: float = 5.0) -> Iterator[None]:
    """Hold the source's lock for one cycle, so two processes never run the same source at once.

    Waits up to ``wait`` seconds for another process to finish, then raises SourceBusy.
    """
    deadline = time.monotonic() + wait
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            args = {"c": SOURCE_LOCK_CLASS, "k": _source_key(name)}
            while not connection.execute(
                text("SELECT pg_try_advisory_lock(:c, :k)"), args
            ).scalar():
                connection.commit()
                if time.monotonic() >= deadline:
                    raise SourceBusy(name)
                time.sleep(0.2)
            connection.commit()
            try:
                yield
            finally:
                if not connection.invalidated and not connection.closed:
                    connection.execute(text("SELECT pg_advisory_unlock(:c, :k)"), args)
                    connection.commit()
        return
    folder = lock_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"source-{_source_key(name) & 0xFFFFFFFF:08x}.lock").open("a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SourceBusy(name) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
