"""One deployment: the database every school shares, and each school's App, made when first used.

A single config file is the one-school deployment, exactly as before; a folder holds one
``<slug>.toml`` per school. The classifier's model is read once per process whatever the number
of schools (``classifiers.learned.shipped_model`` keeps it); only each school's roster,
thresholds and rules are its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from config import ConfigError, Settings, load_schools
from models import School
from models.tenancy import cross_school_sessions, global_sessions
from monitor.app import App, open_engine


@dataclass
class Deployment:
    schools: dict[str, Settings]  # by slug
    engine: Engine
    single: bool  # one config file: the one-school deployment
    _apps: dict[str, App] = field(default_factory=dict, repr=False)

    @classmethod
    def open(
        cls, config: str | Path | None, environ: Mapping[str, str] | None = None
    ) -> Deployment:
        schools, single = load_schools(config, environ)
        first = next(iter(schools.values()))
        return cls(schools, open_engine(first), single)

    @property
    def settings(self) -> Settings:
        """The deployment-wide settings (database, SMTP, secret key, data dir): every school's
        file is read with the same environment, so any school's copy will do."""
        return next(iter(self.schools.values()))

    def app(self, slug: str) -> App:
        """The school ``slug``'s App (its own sessions, settings and classifier)."""
        if slug not in self.schools:
            known = ", ".join(sorted(self.schools))
            raise ConfigError(f"no school {slug!r} in the config; the schools are: {known}")
        if slug not in self._apps:
            settings = self.schools[slug]
            if not self.single:
                settings = replace(settings, tenant=slug, alerts=replace(
                    settings.alerts, base_url=school_url(settings.alerts.base_url, slug)
                ))  # fmt: skip
            self._apps[slug] = App.open(settings, slug, self.engine, only_school=self.single)
        return self._apps[slug]

    def school(self, slug: str | None) -> App:
        """``--school SLUG``; optional when the deployment has one school."""
        if slug is None:
            if len(self.schools) == 1:
                return self.app(next(iter(self.schools)))
            known = ", ".join(sorted(self.schools))
            raise ConfigError(f"this deployment has several schools; add --school, one of: {known}")
        return self.app(slug)

    def apps(self) -> list[App]:
        return [self.app(slug) for slug in self.schools]

    def aggregates(self) -> sessionmaker[Session]:
        """Sessions that read every school's rows: the trust page and deployment-wide jobs only."""
        return cross_school_sessions(self.engine)

    def school_names(self) -> dict[int, tuple[str, str]]:
        """School id -> (slug, name), for the schools in the config."""
        with global_sessions(self.engine)() as session:
            rows = session.execute(select(School.id, School.slug, School.name)).all()
        return {id_: (slug, name) for id_, slug, name in rows if slug in self.schools}

    def close(self) -> None:
        self.engine.dispose()


def school_url(base_url: str, slug: str) -> str:
    """A school's review page in a deployment of several: the deployment's address (each
    school's ``[alerts] base_url``) and ``/s/<slug>``, so e-mail links open the right school."""
    suffix = f"/s/{slug}"
    base = base_url.rstrip("/")
    return base if base.endswith(suffix) else base + suffix
