"""Typed settings for Schoolwatch: the school's TOML file plus the environment."""

from __future__ import annotations

from config.env import env_secret
from config.errors import ConfigError
from config.schools import load_schools
from config.settings import (
    CATEGORIES,
    SEVERITIES,
    AlertSettings,
    Person,
    Roster,
    SchoolSettings,
    Settings,
    SourceSettings,
    load_settings,
)

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "AlertSettings",
    "ConfigError",
    "Person",
    "Roster",
    "SchoolSettings",
    "Settings",
    "SourceSettings",
    "env_secret",
    "load_schools",
    "load_settings",
]
