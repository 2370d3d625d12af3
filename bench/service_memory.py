"""Memory of a running ``schoolwatch run``: idle, then after a cycle of N new posts.

    .venv/bin/python bench/service_memory.py --posts 10000

Starts the service on a free port with the demo school and an empty jsonl source every 30 s, reads
its RSS once it has run its first (empty) cycle, appends N posts, waits for the next cycle to store
them, and reads its RSS again.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import make_posts, write_jsonl  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def readyz(port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
        data: dict[str, object] = json.loads(response.read())
        return data


def wait(predicate: object, seconds: float) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError("the service did not get there in time")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sw-mem-"))
    for name in ("pupils.csv", "staff.csv"):
        shutil.copy(ROOT / "monitor/demo" / name, work / name)
    toml = (ROOT / "monitor/demo/school.toml").read_text().replace('every = "15m"', 'every = "30s"')
    (work / "school.toml").write_text(toml)
    (work / "posts.jsonl").write_text("")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SCHOOLWATCH_DATA_DIR": str(work / "data")}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/schoolwatch"), "run", "--config", str(work / "school.toml"),
         "--port", str(port), "--no-web"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def sources() -> list[dict[str, object]]:
        data = readyz(port)["sources"]
        assert isinstance(data, list)
        return data

    try:
        wait(lambda: sources()[0]["last_success"], 60)
        idle = rss_mb(process.pid)
        first = sources()[0]["last_success"]
        write_jsonl(work / "posts.jsonl", make_posts(args.posts))
        wait(lambda: sources()[0]["last_success"] != first, 300)
        # The cycle has stored the posts; it is over once its e-mails have gone and none follow.
        sent: list[object] = []

        def settled() -> bool:
            outbox = readyz(port)["outbox"]
            assert isinstance(outbox, dict)
            sent.append(outbox["sent"])
            return len(sent) > 4 and bool(sent[-1]) and len(set(sent[-5:])) == 1

        wait(settled, 300)
        after = rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"service rss idle={idle:.0f}MB after_{args.posts}_posts={after:.0f}MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
