from __future__ import annotations

import argparse
from pathlib import Path

from config.settings import (
    _ALERT_KEYS,
    _LEARNING_KEYS,
    _PEOPLE_KEYS,
    _RETENTION_KEYS,
    _SCHOOL_KEYS,
    _TOP_KEYS,
    _WEB_KEYS,
)
from monitor.cli import build_parser

README = (Path(__file__).parents[1] / "README.md").read_text()


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "schoolwatch") -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _subcommands(sub, f"{prefix} {name}")
                found.extend(nested or [f"{prefix} {name}"])
    return found


def test_every_command_is_in_the_readme() -> None:
    commands = _subcommands(build_parser())
    assert "schoolwatch alerts flush" in commands
    for command in commands:
        assert f"`{command}" in README, command


def test_every_setting_is_in_the_readme() -> None:
    for key in (
        *_TOP_KEYS,
        *_SCHOOL_KEYS,
        *_PEOPLE_KEYS,
        *_ALERT_KEYS,
        *_RETENTION_KEYS,
        *_WEB_KEYS,
        *_LEARNING_KEYS,
    ):
        assert key in README, key
    for variable in ("SCHOOLWATCH_DATA_DIR", "SCHOOLWATCH_DATABASE_URL", "SCHOOLWATCH_SMTP_URL",
                     "SCHOOLWATCH_SECRET_KEY", "SCHOOLWATCH_CONFIG", "_FILE"):  # fmt: skip
        assert variable in README, variable
