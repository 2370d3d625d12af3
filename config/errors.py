"""The one error type of the settings boundary."""

from __future__ import annotations


class ConfigError(Exception):
    """A problem the user can fix in the config file or the environment.

    The message is one line that says what is wrong and how to fix it.
    """
