"""Connectors fetch public posts; this registry maps a source ``type`` to its class, lazily."""

from __future__ import annotations

import importlib
from typing import cast

from config import ConfigError
from connectors.base import Attachment, Batch, Connector, FetchedPost, Skipped, SourceError

REGISTRY: dict[str, str] = {
    "jsonl": "connectors.jsonl.JsonlConnector",
    "reddit": "connectors.reddit.RedditConnector",
    "x": "connectors.x.XConnector",
    "bluesky": "connectors.bluesky.BlueskyConnector",
    "mastodon": "connectors.mastodon.MastodonConnector",
    "youtube": "connectors.youtube.YoutubeConnector",
    "facebook_page": "connectors.facebook_page.FacebookPageConnector",
    "rss": "connectors.rss.RssConnector",
    "imap": "connectors.imap.ImapConnector",
}


def connector_class(source_type: str) -> type[Connector]:
    """The class for ``source_type``; a missing optional dependency fails for that source only."""
    try:
        dotted = REGISTRY[source_type]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise ConfigError(
            f"source type {source_type!r} has no connector in this version; available: {known}"
        ) from None
    module_name, _, class_name = dotted.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(
            f"the {source_type!r} connector needs a package that is not installed ({exc.name}); "
            "reinstall Schoolwatch with its dependencies"
        ) from None
    return cast(type[Connector], getattr(module, class_name))


__all__ = [
    "REGISTRY",
    "Attachment",
    "Batch",
    "Connector",
    "FetchedPost",
    "Skipped",
    "SourceError",
    "connector_class",
]
