"""`schoolwatch train` and `schoolwatch evaluate` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers.corpus import corpus_split
from classifiers.learned import load_model
from monitor.cli import main


def _labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.jsonl"
    rows = [
        {"id": "1", "text": "I'll batter Mr Okafor at Roose Primary", "labels": ["threat"]},
        {"id": "2", "text": "Lovely nativity at Roose Primary", "labels": []},
        {"id": "3", "text": "Roose Road is closed again", "labels": [], "relevant": False},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_evaluate_prints_per_category_scores_for_a_school(
    school_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["evaluate", "--input", str(_labelled(tmp_path)),
                 "--config", str(school_dir / "school.toml")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    threat = next(line for line in out.splitlines() if line.startswith("threat"))
    assert threat.split()[1:4] == ["1.000", "1.000", "1.000"]
    assert "appropriate posts flagged 0/1" in out
    assert "irrelevant posts flagged 0/1" in out


def test_evaluate_without_a_school_says_to_give_a_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "--input", str(_labelled(tmp_path))]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "--config" in err[0]


def test_evaluate_reports_a_bad_line_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "labels": "threat"}\n')
    assert main(["evaluate", "--input", str(path), "--rules-only"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "line 1" in err[0]


def test_train_without_public_data_says_how_to_fix_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["train", "--data-dir", str(tmp_path / "missing"), "--output",
                 str(tmp_path / "m.npz")])  # fmt: skip
    assert code == 2
    assert "--no-public-data" in capsys.readouterr().err


def test_train_on_the_corpus_alone_writes_a_loadable_model(tmp_path: Path) -> None:
    output = tmp_path / "m.npz"
    code = main(["train", "--no-public-data", "--folds", "0", "--corpus",
                 str(corpus_split("dev")), "--dev", str(corpus_split("dev")),
                 "--output", str(output)])  # fmt: skip
    assert code == 0
    model = load_model(output)
    assert model.version.startswith("tfidf-lr-")
    assert "school-context corpus" in model.trained_on


def test_classify_reports_input_that_is_not_utf8_in_one_line(
    school_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "1", "text": "caf\xe9 at Roose Primary"}\n')
    code = main(["classify", "--config", str(school_dir / "school.toml"), "--input", str(path)])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 2
    assert len(err) == 1 and "not UTF-8" in err[0]
