from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from config import load_settings
from models import AuditEvent
from monitor.app import App
from monitor.cli import main


def _err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_classify_reads_and_writes_the_contract_jsonl(school_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "Lovely nativity at Roose Primary", "platform": "x"}\n'
        '{"id": "b", "text": "I\'ll hurt Mr Okafor at Roose Primary"}\n'
        '{"id": "c", "text": "Nothing to do with anyone"}\n'
    )
    out = tmp_path / "out.jsonl"
    code = main(["classify", "--config", str(school_dir / "school.toml"), "--input", str(source),
                 "--output", str(out)])  # fmt: skip
    assert code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert [r["relevant"] for r in rows] == [True, True, False]
    assert rows[0]["flags"] == [] and rows[2]["flags"] == []
    assert rows[1]["flags"][0]["category"] == "threat"


def test_classify_all_relevant_skips_the_relevance_gate(school_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "1", "text": "I will stab you"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["classify", "--config", str(school_dir / "school.toml"), "--input", str(source),
                 "--output", str(out), "--all-relevant"]) == 0  # fmt: skip
    row = json.loads(out.read_text())
    assert row["relevant"] and row["flags"][0]["category"] == "threat"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: None, "does not exist"),
        (lambda d: (d / "bad.toml").write_text("[school\n"), "not valid TOML"),
        (
            lambda d: (d / "bad.toml").write_text('[school]\nname = "X"\ncolour = 1\n'),
            "unknown key",
        ),
    ],
)
def test_a_broken_config_gives_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: object, message: str
) -> None:
    assert callable(setup)
    setup(tmp_path)
    assert main(["classify", "--config", str(tmp_path / "bad.toml")]) == 2
    lines = _err_lines(capsys)
    assert len(lines) == 1 and message in lines[0]


def test_a_bad_input_line_gives_its_number_and_exit_2(
    school_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "1", "text": "fine"}\n{"id": 2\n')
    code = main(["classify", "--config", str(school_dir / "school.toml"), "--input", str(source)])
    assert code == 2
    lines = _err_lines(capsys)
    assert len(lines) == 1 and "line 2" in lines[0]


def test_a_missing_input_file_is_exit_2(
    school_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["classify", "--config", str(school_dir / "school.toml"), "--input", "nope"]) == 2
    assert "does not exist" in _err_lines(capsys)[0]


def test_bad_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch"]) == 2
    lines = _err_lines(capsys)
    assert len(lines) == 1 and "--source" in lines[0]


def test_fetch_an_unknown_source_is_exit_2(
    school_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", "--config", str(school_dir / "school.toml"), "--source", "tiktok"]) == 2
    assert "unknown source 'tiktok'" in _err_lines(capsys)[0]


def test_fetch_then_export_every_post(
    school_dir: Path, tmp_path: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    (school_dir / "posts.jsonl").write_text(
        '{"id": "1", "text": "I\'ll hurt Mr Okafor at Roose Primary", "platform": "x"}\n'
        '{"id": "2", "text": "Lovely nativity at Roose Primary", "platform": "x"}\n'
    )
    config = str(school_dir / "school.toml")
    assert main(["fetch", "--config", config, "--source", "imported"]) == 0
    assert "new 2" in capsys.readouterr().out
    out = tmp_path / "export.jsonl"
    assert main(["export", "--config", config, "--output", str(out)]) == 0
    app = App.open(load_settings(config))
    with app.sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    app.close()
    assert actions == ["export_posts"]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [set(r) for r in rows] == [
        {"platform", "external_id", "text", "author", "url", "created_at", "flags", "case"}
    ] * 2
    assert rows[0]["case"] and rows[0]["case"].startswith("SW-")
    assert rows[0]["flags"][0]["category"] == "threat" and rows[1]["case"] is None
    assert main(["alerts", "flush", "--config", config]) == 0
    assert "sent 0" in capsys.readouterr().out


def test_demo_once_twice_adds_no_duplicates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "demo"
    assert main(["demo", "--once", "--data-dir", str(data)]) == 0
    first = capsys.readouterr().out
    assert main(["demo", "--once", "--data-dir", str(data)]) == 0
    second = capsys.readouterr().out
    assert "posts stored:" in first and first == second
    emls = list((data / "outbox").glob("*.eml"))
    urgent = [e for e in emls if "-urgent-" in e.name]
    # an urgent case that gains a category later in the stream is e-mailed again
    urgent_cases = {e.name.split("-urgent-")[0] for e in urgent}
    assert len(urgent_cases) >= 3 and len(emls) == len(urgent) + 1  # the rest: one digest
    assert f"({len(urgent_cases)} urgent)" in first
    packs = list((data / "cases").glob("*/evidence.zip"))
    assert len(packs) >= 10 and f"cases:          {len(packs)} " in first


def test_python_dash_m_monitor_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "monitor", "classify", "--config", "/nonexistent"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "does not exist" in done.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SCHOOLWATCH_DATABASE_URL", "nonsense://x", "cannot use"),
        ("SCHOOLWATCH_DATABASE_URL", "::::", "is not a database URL"),
        ("SCHOOLWATCH_DATA_DIR", "/proc/no-such-place", "cannot create the data folder"),
    ],
)
def test_a_bad_database_or_data_dir_is_one_line_and_exit_2(
    school_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    variable: str, value: str, message: str,
) -> None:  # fmt: skip
    monkeypatch.setenv(variable, value)
    assert main(["fetch", "--config", str(school_dir / "school.toml"), "--source", "imported"]) == 2
    lines = _err_lines(capsys)
    assert len(lines) == 1 and message in lines[0]


def test_an_unreachable_database_is_one_line_and_exit_1(
    school_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCHOOLWATCH_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["status", "--config", str(school_dir / "school.toml")]) == 1
    lines = _err_lines(capsys)
    assert len(lines) == 1 and "cannot use the database" in lines[0]


def test_the_demo_raises_urgent_only_on_visible_threats_and_never_on_a_moan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.demo import DEMO_DIR

    data = tmp_path / "demo"
    assert main(["demo", "--once", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    out = tmp_path / "export.jsonl"
    monkeypatch.setenv("SCHOOLWATCH_DATA_DIR", str(data))
    config = str(DEMO_DIR / "school.toml")
    assert main(["export", "--config", config, "--output", str(out)]) == 0
    rows = {r["text"]: r for r in map(json.loads, out.read_text().splitlines())}

    def severities(start: str) -> dict[str, str]:
        row = next(r for text, r in rows.items() if text.startswith(start))
        return {f["category"]: f["severity"] for f in row["flags"]}

    assert severities("Going to stab Mr Okafor")["threat"] == "urgent"
    assert severities("Roose Primary teachers are paedos")
    assert severities("Mrs Whitfield at Roose Primary is a lying b*tch")
    for text, row in rows.items():
        urgent = {f["category"] for f in row["flags"] if f["severity"] == "urgent"}
        if not row["flags"] or {f["category"] for f in row["flags"]} <= {"complaint"}:
            assert not urgent, text
        assert not urgent - {"threat", "racist", "selfharm"}, text
    moan = severities("Roose Primary teachers are lazy and incompetent")
    assert "urgent" not in moan.values() and "racist" not in moan


def test_a_service_with_nobody_to_alert_refuses_to_start_in_one_line(
    school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    toml = school_dir / "school.toml"
    toml.write_text(toml.read_text().replace('recipients = ["head@school.example"]\n', ""))
    assert main(["fetch", "--config", str(toml), "--source", "imported"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nobody would receive an alert" in err
