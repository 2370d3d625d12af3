"""Environment variables, with Docker-style ``NAME_FILE`` secrets."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from config.errors import ConfigError


def env_secret(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """``NAME``, or the contents of the file named by ``NAME_FILE``; None if neither is set."""
    env = os.environ if environ is None else environ
    value = env.get(name)
    if value:
        return value
    file_name = env.get(f"{name}_FILE")
    if not file_name:
        return None
    try:
        return Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(
            f"{name}_FILE names {file_name!r}, which cannot be read ({exc.strerror}); "
            f"fix the path or set {name} instead"
        ) from None


def require_secret(name: str, environ: Mapping[str, str] | None = None, why: str = "") -> str:
    """Like :func:`env_secret` but a missing value is a :class:`ConfigError`."""
    value = env_secret(name, environ)
    if not value:
        purpose = f" ({why})" if why else ""
        raise ConfigError(
            f"{name} is not set{purpose}: set {name} or {name}_FILE in the environment"
        )
    return value
