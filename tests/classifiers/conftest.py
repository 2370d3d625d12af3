from __future__ import annotations

import pytest

from classifiers import Classifier, ClassifierSettings, PostInput, Result
from config import Person, Roster, SchoolSettings


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    roster = Roster(
        pupils=(
            Person("pupil", "Jayden", "Nowak", ("JJ",), year_group="4"),
            Person("pupil", "Amelia", "Hartley", (), year_group="6"),
        ),
        staff=(
            Person("staff", "Sarah", "Whitfield", ("Mrs W",), title="Mrs", role="Headteacher"),
            Person("staff", "David", "Okafor", (), title="Mr", role="Teacher"),
        ),
    )
    school = SchoolSettings(
        "Roose Community Primary School", ("Roose Primary", "Roose School"), "Barrow-in-Furness"
    )
    return Classifier(ClassifierSettings(school=school, roster=roster))


def run(classifier: Classifier, text: str, all_relevant: bool = False) -> Result:
    return classifier.classify([PostInput("1", text)], all_relevant=all_relevant)[0]


def categories(result: Result) -> set[str]:
    return {f.category for f in result.flags}


def severities(result: Result) -> dict[str, str]:
    return {f.category: f.severity for f in result.flags}
