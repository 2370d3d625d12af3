from __future__ import annotations

import re
from pathlib import Path

from config import SourceSettings
from config.settings import settings_from_mapping
from connectors import connector_class

README = (Path(__file__).parents[2] / "README.md").read_text()
ENV = {
    "X_BEARER_TOKEN": "t", "REDDIT_CLIENT_ID": "i", "REDDIT_CLIENT_SECRET": "s",
    "REDDIT_USER_AGENT": "a", "BLUESKY_HANDLE": "h", "BLUESKY_APP_PASSWORD": "p",
    "YOUTUBE_API_KEY": "k", "FACEBOOK_PAGE_TOKEN": "f",
}  # fmt: skip


def test_the_readme_sample_sources_build_every_platform_connector(tmp_path: Path) -> None:
    import tomllib

    block = README.split("### Sample sources", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    data = tomllib.loads('[school]\nname = "Roose Primary"\n' + block)
    settings = settings_from_mapping(data, tmp_path, ENV)
    built = {}
    for source in settings.sources:
        assert isinstance(source, SourceSettings)
        built[source.type] = connector_class(source.type).from_settings(source, settings)
    assert sorted(built) == sorted(
        ["reddit", "x", "bluesky", "mastodon", "youtube", "facebook_page", "rss"]
    )
    for variable in (*ENV, "MASTODON_ACCESS_TOKEN"):
        assert re.search(rf"`{variable}`", README), variable
