from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from config import ConfigError, Settings, load_settings
from monitor.app import App
from monitor.web import create_app, secret_key
from monitor.web.auth import ADDRESS_FAILURES
from monitor.web.users import password_problem
from tests.conftest import SCHOOL_TOML
from tests.web.conftest import login


def test_every_response_carries_the_security_headers(
    client: FlaskClient, users: dict[str, str]
) -> None:
    login(client, users["staff"])
    for path in ("/login", "/", "/healthz", "/nowhere"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        assert headers["Cache-Control"] == "no-store", path


def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str]
) -> None:
    plain, _ = web_clients
    from tests.web.conftest import csrf_token

    token = csrf_token(plain)
    cookie = plain.post("/login", data={"csrf_token": token, "email": users["staff"],
                                        "password": "a long enough pass phrase"}
                        ).headers["Set-Cookie"]  # fmt: skip
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = plain.application.test_client()
    page = secure.get("/login", base_url="https://localhost")
    assert "Secure" in page.headers["Set-Cookie"]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_cookie_is_secure_when_the_site_address_is_https(
    school_dir: Path, environ: dict[str, str]
) -> None:
    toml = school_dir / "school.toml"
    toml.write_text(toml.read_text().replace(
        '[alerts]\n', '[alerts]\nbase_url = "https://watch.school.example"\n'))  # fmt: skip
    app = App.open(load_settings(toml, environ))
    try:
        page = create_app(app).test_client().get("/login")
        assert "Secure" in page.headers["Set-Cookie"]
    finally:
        app.close()


def test_a_generated_secret_key_is_kept_in_the_data_dir(settings: Settings) -> None:
    first = secret_key(settings)
    assert len(first) == 64
    assert secret_key(settings) == first
    assert (settings.data_dir / "secret_key").stat().st_mode & 0o077 == 0


def test_the_secret_key_from_the_environment_wins(
    school_dir: Path, environ: dict[str, str]
) -> None:
    settings = load_settings(school_dir / "school.toml",
                             {**environ, "SCHOOLWATCH_SECRET_KEY": "k" * 40})  # fmt: skip
    assert secret_key(settings) == "k" * 40
    assert not (settings.data_dir / "secret_key").exists()


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("eleven char", False), ("password1234", False), ("Qwertyuiop123", False),
     ("111111111111111", False), ("staff-member-2026", False),
     ("tea kettle on the hob", True)],
)  # fmt: skip
def test_the_password_rule(password: str, accepted: bool) -> None:
    assert (password_problem(password, "staff-member@school.example") is None) is accepted


def _with_proxies(school_dir: Path, environ: dict[str, str], value: str) -> Settings:
    toml = school_dir / "school.toml"
    toml.write_text(toml.read_text() + f"\n[web]\nproxies = {value}\n")
    return load_settings(toml, environ)


def test_behind_a_trusted_proxy_the_login_limit_counts_each_users_address(
    school_dir: Path, environ: dict[str, str], users: dict[str, str]
) -> None:
    app = App.open(_with_proxies(school_dir, environ, "1"))
    try:
        client = create_app(app).test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
        for number in range(ADDRESS_FAILURES):
            login(client, f"guess{number}@school.example", "not the password at all")
        assert login(client, users["staff"]) == 429
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.20"
        assert login(client, users["staff"]) == 302
    finally:
        app.close()


def test_without_proxies_a_forwarded_address_is_ignored(
    client: FlaskClient, users: dict[str, str]
) -> None:
    for number in range(ADDRESS_FAILURES):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{number}"
        login(client, f"guess{number}@school.example", "not the password at all")
    assert login(client, users["staff"]) == 429


def test_a_bad_proxies_value_is_one_clear_error(school_dir: Path, environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=r"\[web\] proxies"):
        _with_proxies(school_dir, environ, '"yes"')
    (school_dir / "school.toml").write_text(SCHOOL_TOML + "\n[web]\nproxy = 1\n")
    with pytest.raises(ConfigError, match="did you mean 'proxies'"):
        load_settings(school_dir / "school.toml", environ)


def test_forms_work_over_https_where_browsers_send_no_referer(
    client: FlaskClient, users: dict[str, str]
) -> None:
    https = "https://localhost"
    page = client.get("/login", base_url=https).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    data = {"csrf_token": token, "email": users["staff"], "password": "a long enough pass phrase"}
    response = client.post("/login", base_url=https, data=data)
    assert response.status_code == 302
    assert client.get("/", base_url=https).status_code == 200
