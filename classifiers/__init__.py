"""Pure classification: posts in, results with explained flags out. No database, no network."""

from __future__ import annotations

from classifiers.pipeline import Classifier, ClassifierSettings
from classifiers.types import Evidence, Flag, Mention, PostInput, Result

__all__ = ["Classifier", "ClassifierSettings", "Evidence", "Flag", "Mention", "PostInput", "Result"]
