"""The classifier a school's config asks for, built without the database.

Apart from ``monitor.app`` so that ``schoolwatch classify`` starts without importing SQLAlchemy:
start-up counts in every run of a short command.
"""

from __future__ import annotations

import logging
from pathlib import Path

from classifiers import Classifier, ClassifierSettings
from config import ConfigError, Settings

log = logging.getLogger("monitor.app")


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
