"""One ``schoolwatch worker`` process serves every school of a config folder: each school's
source runs at its ``every``, and each school's urgent e-mail goes to that school's own
recipients holding only its own posts (a real PostgreSQL database, a real SMTP server)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.alerts.conftest import Inbox
from tests.monitor.test_worker import _stop, _wait_for, smtp, worker_db, worker_env
from tests.tenancy.conftest import ASHDOWN_WORDS

# pytest fixtures of the worker tests: a fresh PostgreSQL database and a real SMTP server
__all__ = ["smtp", "worker_db", "worker_env"]


def test_one_worker_runs_every_schools_jobs_and_each_school_is_told_of_its_own(
    trust_dir: Path, worker_env: dict[str, str], smtp: tuple[Inbox, str], tmp_path: Path
) -> None:
    inbox, _ = smtp
    for toml in ("roose.toml", "ashdown.toml"):
        path = trust_dir / toml
        path.write_text(path.read_text().replace('every = "15m"', 'every = "1s"'))
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "monitor", "worker", "--config", str(trust_dir)],
            env={**os.environ, **worker_env}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        heads = {"head@school.example", "head@ashdown.example"}
        _wait_for(lambda: {r for r, _ in inbox.received} >= heads, 60)
    finally:
        codes = _stop(worker)
    output = log.read_text()
    assert codes == [0], output
    assert "2 school(s)" in output and "Traceback" not in output
    by_recipient: dict[str, list[str]] = {}
    for message in inbox.messages:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        for recipient in str(message["To"]).split(","):
            by_recipient.setdefault(recipient.strip(), []).append(str(body.get_content()))
    for text in by_recipient["head@school.example"]:
        assert not any(word in text for word in ASHDOWN_WORDS)
        assert "/s/roose/" in text
    assert any("Vexley" in text for text in by_recipient["head@ashdown.example"])
    assert all("/s/ashdown/" in text for text in by_recipient["head@ashdown.example"])
