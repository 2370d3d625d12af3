from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, env_secret, load_settings


def _write(school_dir: Path, text: str) -> Path:
    path = school_dir / "school.toml"
    path.write_text(text)
    return path


def test_it_reads_the_school_roster_and_sources(school_dir: Path) -> None:
    settings = load_settings(school_dir / "school.toml", {"SCHOOLWATCH_DATA_DIR": "/tmp/x"})
    assert settings.school.names == (
        "Roose Community Primary School",
        "Roose Primary",
        "Roose School",
    )
    assert [p.full_name for p in settings.roster.pupils] == ["Jayden Nowak", "Amelia Hartley"]
    assert settings.roster.staff[0].aliases == ("Mrs W",)
    assert settings.sources[0].every_seconds == 900
    assert settings.source("imported").path_option("path") == (school_dir / "posts.jsonl").resolve()
    assert settings.database_url == "sqlite:////tmp/x/schoolwatch.db"


def test_it_suggests_the_nearest_key_for_a_typo(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text().replace("aliases =", "alias =")
    with pytest.raises(
        ConfigError, match=r"unknown key 'alias' in \[school\]; did you mean 'aliases'"
    ):
        load_settings(_write(school_dir, text), {})


def test_it_rejects_an_unknown_top_level_table(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text() + "\n[alert]\nsender = 'x'\n"
    with pytest.raises(ConfigError, match="did you mean 'alerts'"):
        load_settings(_write(school_dir, text), {})


def test_it_names_the_file_when_toml_is_broken(school_dir: Path) -> None:
    path = _write(school_dir, "[school\nname = 1")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings(path, {})


def test_it_says_when_the_config_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", {})


def test_it_asks_for_a_config_when_none_is_given() -> None:
    with pytest.raises(ConfigError, match="SCHOOLWATCH_CONFIG"):
        load_settings(None, {})


def test_it_uses_schoolwatch_config_from_the_environment(school_dir: Path) -> None:
    settings = load_settings(None, {"SCHOOLWATCH_CONFIG": str(school_dir / "school.toml")})
    assert settings.school.name == "Roose Community Primary School"


def test_it_reports_a_bad_roster_row_with_its_line_number(school_dir: Path) -> None:
    (school_dir / "pupils.csv").write_text(
        "first_name,last_name,year_group,aliases\nJayden,Nowak,4,\n,Hartley,6,\n"
    )
    with pytest.raises(ConfigError, match=r"pupils.csv:3: first_name and last_name are required"):
        load_settings(school_dir / "school.toml", {})


def test_it_reports_a_roster_header_that_lacks_columns(school_dir: Path) -> None:
    (school_dir / "staff.csv").write_text("name,role\nSarah Whitfield,Head\n")
    with pytest.raises(ConfigError, match=r"staff.csv:1: the header lacks title, first_name"):
        load_settings(school_dir / "school.toml", {})


def test_it_rejects_an_unknown_source_type_with_a_hint(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text().replace('type = "jsonl"', 'type = "jsonlines"')
    with pytest.raises(ConfigError, match="did you mean 'jsonl'"):
        load_settings(_write(school_dir, text), {})


def test_it_rejects_a_duration_it_cannot_read(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text().replace('every = "15m"', 'every = "soon"')
    with pytest.raises(ConfigError, match="is not a duration"):
        load_settings(_write(school_dir, text), {})


def test_it_rejects_duplicate_source_names(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text()
    source = text[text.index("[[sources]]") :]
    with pytest.raises(ConfigError, match="defined twice"):
        load_settings(_write(school_dir, text + "\n" + source), {})


def test_it_rejects_a_threshold_outside_zero_to_one(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text() + "\n[thresholds]\nthreat = 1.5\n"
    with pytest.raises(ConfigError, match="must be a number from 0 to 1"):
        load_settings(_write(school_dir, text), {})


def test_it_reads_a_secret_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("s3cret\n")
    assert env_secret("X_BEARER_TOKEN", {"X_BEARER_TOKEN_FILE": str(secret)}) == "s3cret"
    assert env_secret("X_BEARER_TOKEN", {"X_BEARER_TOKEN": "direct"}) == "direct"
    assert env_secret("X_BEARER_TOKEN", {}) is None


def test_it_says_which_secret_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="X_BEARER_TOKEN_FILE names"):
        env_secret("X_BEARER_TOKEN", {"X_BEARER_TOKEN_FILE": str(tmp_path / "missing")})


def test_database_and_smtp_urls_come_from_the_environment(school_dir: Path, tmp_path: Path) -> None:
    url_file = tmp_path / "db"
    url_file.write_text("postgresql://u:p@db/schoolwatch")
    settings = load_settings(
        school_dir / "school.toml",
        {"SCHOOLWATCH_DATABASE_URL_FILE": str(url_file), "SCHOOLWATCH_SMTP_URL": "smtp://mail:25"},
    )
    assert settings.database_url == "postgresql://u:p@db/schoolwatch"
    assert settings.smtp_url == "smtp://mail:25"


def test_a_source_is_about_the_school_unless_it_is_a_broad_feed(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text() + (
        '\n[[sources]]\nname = "news"\ntype = "rss"\nurl = "https://news.example/feed"\n'
        '\n[[sources]]\nname = "town"\ntype = "jsonl"\npath = "posts.jsonl"\nscope = "area"\n'
    )
    settings = load_settings(_write(school_dir, text), {})
    assert [s.scope for s in settings.sources] == ["school", "area", "area"]
    assert "scope" not in settings.source("town").options  # not passed on to the connector
    assert settings.scope_of("news") == "area" and settings.scope_of(None) == "school"


def test_a_scope_that_is_neither_is_one_clear_error(school_dir: Path) -> None:
    text = (school_dir / "school.toml").read_text().replace('every = "15m"', 'scope = "town"')
    with pytest.raises(ConfigError, match="scope 'town' is not one of school, area"):
        load_settings(_write(school_dir, text), {})


def test_the_learning_section_is_checked(tmp_path: Path) -> None:
    from config import ConfigError, load_settings

    config = tmp_path / "school.toml"
    base = '[school]\nname = "Roose Primary"\n'
    config.write_text(base)
    assert load_settings(config, {}).learning.retrain == "off"
    for bad, message in [('retrain = "daily"', "off"), ("hour = 25", "0 to 23"),
                         ('day = "someday"', "mon"), ('when = "x"', "unknown key")]:  # fmt: skip
        config.write_text(base + "[learning]\n" + bad + "\n")
        with pytest.raises(ConfigError, match=message):
            load_settings(config, {})
