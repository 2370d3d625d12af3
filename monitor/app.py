"""One running Schoolwatch: settings, database, classifier. Built once per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from classifiers import Classifier, ClassifierSettings
from config import ConfigError, Settings
from models import create_db_engine, make_session_factory, upgrade_schema

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    _built: tuple[Any, Classifier] | None = field(default=None, repr=False)
    _pinned: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, settings: Settings) -> App:
        """Connect and bring the schema up to date."""
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the data folder {settings.data_dir} ({exc.strerror}); "
                "set SCHOOLWATCH_DATA_DIR to a folder Schoolwatch may write to"
            ) from None
        engine = create_db_engine(settings.database_url)
        upgrade_schema(engine)
        return cls(settings, engine, make_session_factory(engine))

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


def active_model_path(settings: Settings) -> Path | None:
    """The model version in force under the data dir, or None for the shipped one."""
    from monitor.registry import Registry, RegistryError

    try:
        path = Registry(settings.data_dir).active_path()
    except RegistryError as exc:
        raise ConfigError(f"{exc}; `schoolwatch model restore shipped` goes back") from None
    if path is not None and not path.is_file():
        # The shipped model, not rules alone: a deleted file must not blind the classifier.
        log.error("model file %s is missing: classifying with the shipped model; "
                  "`schoolwatch model restore` puts a version back", path)  # fmt: skip
        return None
    return path


def build_classifier(settings: Settings) -> Classifier:
    """Without the database: the config's thresholds and the model version in force."""
    return Classifier(
        ClassifierSettings(
            school=settings.school,
            roster=settings.roster,
            thresholds=settings.thresholds,
            model_path=active_model_path(settings),
        )
    )
