"""Without an SMTP server e-mails are only written as files: every report says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main

THREAT = {"id": "1", "text": "I'll hurt Mr Okafor at Roose Primary", "platform": "x"}


def test_fetch_and_status_say_written_to_files_not_sent_without_a_mail_server(
    school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SCHOOLWATCH_SMTP_URL", raising=False)
    (school_dir / "posts.jsonl").write_text(json.dumps(THREAT) + "\n")
    config = str(school_dir / "school.toml")
    assert main(["fetch", "--config", config, "--source", "imported"]) == 0
    out = capsys.readouterr().out
    assert "e-mails sent 0, written to files 1 (no SMTP server)" in out
    assert main(["status", "--config", config]) == 0
    outbox = json.loads(capsys.readouterr().out)["outbox"]
    assert (outbox["sent"], outbox["written_to_files"], outbox["delivery"]) == (0, 1, "files")
