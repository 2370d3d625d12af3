"""A deployment's schools: one TOML file (one school), or a folder with one file per school."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from config.errors import ConfigError
from config.settings import Settings, load_settings

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def config_path(path: str | Path | None, environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if path is None:
        path = env.get("SCHOOLWATCH_CONFIG")
    if not path:
        raise ConfigError(
            "no config given; pass --config FILE (or a folder of school files) "
            "or set SCHOOLWATCH_CONFIG"
        )
    return Path(path)


def school_files(folder: Path) -> list[Path]:
    """The folder's ``*.toml`` files, each one school named by its file's stem."""
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    if not files:
        raise ConfigError(f"the config folder {folder} holds no .toml file: add one per school")
    for file in files:
        if not SLUG.match(file.stem):
            raise ConfigError(
                f"{file}: a school's file name is its address on the review page; use lower-case "
                "letters, digits and hyphens, e.g. roose-primary.toml"
            )
    return files


def load_schools(
    path: str | Path | None, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, Settings], bool]:
    """Each school's settings by slug, and whether the config was a single file (the one-school
    deployment, which keeps working as it always has)."""
    where = config_path(path, environ)
    if not where.is_dir():
        settings = load_settings(where, environ)
        return {where.stem: settings}, True
    schools: dict[str, Settings] = {}
    for file in school_files(where):
        try:
            schools[file.stem] = load_settings(file, environ)
        except ConfigError as exc:
            message = str(exc)
            raise ConfigError(message if str(file) in message else f"{file}: {message}") from None
    return schools, False


def one_school(folder: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """For the commands that work on one school's file: a folder of exactly one school will do."""
    files = school_files(folder)
    if len(files) > 1:
        raise ConfigError(
            f"{folder} is a folder of {len(files)} schools; this command takes one school's file, "
            f"e.g. --config {files[0]}"
        )
    return load_settings(files[0], environ)
