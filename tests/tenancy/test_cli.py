"""The command line on a config folder: one school per file, --school to pick one, a broken
file named in one line, users added to a school or to the trust."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Membership, Post, School, User
from monitor.cli import main
from monitor.deployment import Deployment
from tests.web.conftest import PASSWORD


@pytest.fixture
def env(environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return environ


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    return error


def test_fetch_runs_the_named_schools_source_into_that_school(
    trust_dir: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(trust_dir)
    assert main(["fetch", "--config", config, "--school", "ashdown", "--source", "imported"]) == 0
    deployment = Deployment.open(trust_dir, env)
    try:
        with deployment.app("ashdown").sessions() as session:
            assert len(session.scalars(select(Post)).all()) == 4
        with deployment.app("roose").sessions() as session:
            assert session.scalars(select(Post)).all() == []
        with deployment.aggregates()() as session:
            names = {slug: name for slug, name in session.execute(select(School.slug, School.name))}
        assert names == {"ashdown": "Ashdown Vale Academy",
                         "roose": "Roose Community Primary School"}  # fmt: skip
    finally:
        deployment.close()
    capsys.readouterr()
    assert main(["fetch", "--config", config, "--source", "imported"]) == 2
    assert "--school" in _one_error_line(capsys)
    assert main(["fetch", "--config", config, "--school", "nope", "--source", "imported"]) == 2
    assert "no school 'nope'" in _one_error_line(capsys)


def test_a_broken_school_file_is_named_in_one_line(
    trust_dir: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    (trust_dir / "ashdown.toml").write_text("[school]\nname = \n")
    assert main(["sources", "--config", str(trust_dir), "--school", "roose"]) == 2
    assert "ashdown.toml" in _one_error_line(capsys)
    (trust_dir / "ashdown.toml").write_text('[school]\nname = "Ashdown"\n[nonsense]\n')
    assert main(["sources", "--config", str(trust_dir), "--school", "roose"]) == 2
    assert "ashdown.toml" in _one_error_line(capsys)
    (trust_dir / "ashdown.toml").rename(trust_dir / "Ashdown Vale.toml")
    assert main(["sources", "--config", str(trust_dir), "--school", "roose"]) == 2
    assert "Ashdown Vale.toml" in _one_error_line(capsys)


def test_users_join_the_named_school_and_a_trust_user_none(
    trust_dir: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    def add(*args: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        return main(["users", "add", *args, "--config", str(trust_dir)])

    assert add("dsl@roose.example", "--role", "dsl", "--school", "roose") == 0
    assert add("dsl@roose.example", "--role", "staff", "--school", "ashdown") == 0
    assert add("lead@trust.example", "--role", "trust") == 0
    capsys.readouterr()
    assert add("x@roose.example", "--role", "dsl") == 2
    assert "--school" in _one_error_line(capsys)
    assert add("dsl@roose.example", "--role", "dsl", "--school", "roose") == 2
    assert "already exists" in _one_error_line(capsys)
    deployment = Deployment.open(trust_dir, env)
    try:
        with deployment.aggregates()() as session:
            rows = session.execute(
                select(User.email, School.slug, Membership.role)
                .join(Membership, Membership.user_id == User.id)
                .join(School, School.id == Membership.school_id)
            ).all()
            trust = session.scalars(select(User).where(User.email == "lead@trust.example")).one()
    finally:
        deployment.close()
    assert sorted(rows) == [("dsl@roose.example", "ashdown", "staff"),
                            ("dsl@roose.example", "roose", "dsl")]  # fmt: skip
    assert trust.role == "trust"


def test_a_single_file_is_the_one_school_deployment_as_before(
    school_dir: Path, env: dict[str, str]
) -> None:
    deployment = Deployment.open(school_dir / "school.toml", env)
    try:
        assert deployment.single and deployment.school(None).slug == "school"
    finally:
        deployment.close()
