"""One running Schoolwatch: settings, database, classifier. Built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from classifiers import Classifier, ClassifierSettings
from config import ConfigError, Settings
from models import create_db_engine, make_session_factory, upgrade_schema


@dataclass
class App:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

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

    @cached_property
    def classifier(self) -> Classifier:
        return build_classifier(self.settings)

    def close(self) -> None:
        self.engine.dispose()


def build_classifier(settings: Settings) -> Classifier:
    return Classifier(
        ClassifierSettings(
            school=settings.school, roster=settings.roster, thresholds=settings.thresholds
        )
    )
