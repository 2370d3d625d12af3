"""One school's view of the deployment: its settings, the shared database seen through sessions
that hold only this school's rows, and its classifier."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from classifiers import Classifier, ClassifierSettings
from config import ConfigError, Settings
from models import School, create_db_engine, upgrade_schema
from models.tenancy import SCHOOL, global_sessions, school_sessions
from monitor.classifier_setup import active_model_path

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    _built: tuple[Any, Classifier] | None = field(default=None, repr=False)
    _pinned: Any = field(default=None, repr=False)

    @property
    def school_id(self) -> int:
        return int(self.sessions.kw["info"][SCHOOL])

    @property
    def slug(self) -> str:
        with global_sessions(self.engine)() as session:
            return session.scalars(select(School.slug).where(School.id == self.school_id)).one()

    @classmethod
    def open(cls, settings: Settings, slug: str | None = None, engine: Engine | None = None,
             *, only_school: bool = True) -> App:  # fmt: skip
        """Connect, bring the schema up to date and find (or add) the school's row.

        ``slug`` defaults to the config file's stem. ``only_school``: a one-school deployment,
        which takes over the database's one school whatever its slug was."""
        if engine is None:
            engine = open_engine(settings)
        slug = slug or school_slug(settings)
        school_id = school_row(engine, slug, settings.school.name, adopt=only_school)
        return cls(settings, engine, school_sessions(engine, school_id))

    @property
    def classifier(self) -> Classifier:
        """Built again only when the model in force, an applied threshold or a school rule has
        changed (or a rule expired) since the last time."""
        from monitor.schoolrules import suppressions, threshold_overrides

        if self._pinned is not None:
            return self._pinned  # type: ignore[no-any-return]
        with self.sessions() as session:
            rules = suppressions(session)
            overrides = threshold_overrides(session)
        model_path = active_model_path(self.settings)
        key = (model_path, rules, tuple(sorted(overrides.items())))
        if self._built is None or self._built[0] != key:
            thresholds = {**self.settings.thresholds, **overrides}
            built = Classifier(ClassifierSettings(
                school=self.settings.school, roster=self.settings.roster, thresholds=thresholds,
                model_path=model_path, suppressions=rules,
            ))  # fmt: skip
            self._built = (key, built)
        return self._built[1]

    @classifier.setter
    def classifier(self, fixed: Any) -> None:
        """A classifier to use whatever the database says (tests wrap one to make it fail)."""
        self._pinned = fixed

    def close(self) -> None:
        self.engine.dispose()


def open_engine(settings: Settings) -> Engine:
    """The deployment's database, its schema brought up to date."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the data folder {settings.data_dir} ({exc.strerror}); "
            "set SCHOOLWATCH_DATA_DIR to a folder Schoolwatch may write to"
        ) from None
    engine = create_db_engine(settings.database_url)
    upgrade_schema(engine)
    return engine


def school_slug(settings: Settings) -> str:
    """A school's slug is its config file's name without ``.toml``."""
    return settings.config_path.stem if settings.config_path is not None else "school"


def school_row(engine: Engine, slug: str, name: str, *, adopt: bool = False) -> int:
    """The id of the school ``slug``, added if new, its name kept in step with the config.
    ``adopt``: a database holding exactly one school under another slug gives that one."""
    sessions = global_sessions(engine)
    for _ in range(2):  # a second process may add the same school at the same moment
        with sessions.begin() as session:
            row = session.scalar(select(School).where(School.slug == slug))
            if row is None and adopt and session.scalar(select(func.count(School.id))) == 1:
                row = session.scalars(select(School)).one()
                log.info("school %r is now known as %r", row.slug, slug)
                row.slug = slug
            if row is None:
                row = School(slug=slug, name=name)
                session.add(row)
            row.name = name
            try:
                session.flush()
            except IntegrityError:
                session.rollback()
                continue
            return row.id
    raise ConfigError(f"cannot add the school {slug!r} to the database; try again")
