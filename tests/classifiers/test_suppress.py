from __future__ import annotations

import pytest

from classifiers import Classifier, ClassifierSettings
from classifiers.suppress import NEVER_SUPPRESSED, Suppression, SuppressionError, check_rule
from tests.classifiers.conftest import categories, run

COMPLAINT = "Roose Primary is a joke, the worst run school in Barrow, I want to complain"
THREAT = "I'll batter Mr Okafor outside Roose Primary on Roose Road"


def _with(classifier: Classifier, *rules: Suppression) -> Classifier:
    settings = classifier.settings
    return Classifier(
        ClassifierSettings(settings.school, settings.roster, suppressions=rules),
        classifier.model,
    )


def test_a_rule_removes_the_flags_of_its_categories_on_posts_with_its_phrase(
    classifier: Classifier,
) -> None:
    text = (
        "Roose Primary Road is a joke, the school is useless and the head does nothing, disgusting"
    )
    before = categories(run(classifier, text, all_relevant=True))
    assert before == {"complaint"}, "the fixture post must raise something to suppress"
    rule = Suppression("roose primary road", frozenset({"complaint"}))
    assert categories(run(_with(classifier, rule), text, all_relevant=True)) == set()


def test_a_rule_leaves_posts_without_its_phrase_alone(classifier: Classifier) -> None:
    rule = Suppression("Roose Road", frozenset({"complaint", "offensive"}))
    before = categories(run(classifier, COMPLAINT, all_relevant=True))
    assert categories(run(_with(classifier, rule), COMPLAINT, all_relevant=True)) == before


def test_a_rule_matches_whole_words_only() -> None:
    rule = Suppression("Roose Rd", frozenset({"complaint"}))
    assert rule.matches("traffic on roose   rd again")
    assert not rule.matches("Roose Rdx")


@pytest.mark.parametrize("category", sorted(NEVER_SUPPRESSED))
def test_no_rule_may_be_made_for_threat_racist_or_selfharm(category: str) -> None:
    with pytest.raises(SuppressionError, match="never suppresses"):
        check_rule("Roose Road", [category, "complaint"])


def test_a_rule_that_names_threat_still_never_suppresses_a_threat(classifier: Classifier) -> None:
    before = categories(run(classifier, THREAT, all_relevant=True))
    assert "threat" in before
    # Made by hand (check_rule refuses it): the pipeline must still keep the threat.
    rule = Suppression("Roose Road", frozenset({"threat", "racist", "selfharm", "pupil"}))
    after = categories(run(_with(classifier, rule), THREAT, all_relevant=True))
    assert "threat" in after


def test_a_rule_needs_a_phrase_of_some_length_and_a_category() -> None:
    with pytest.raises(SuppressionError, match="at least"):
        check_rule("  a ", ["complaint"])
    with pytest.raises(SuppressionError, match="at least one category"):
        check_rule("Roose Road", [])
    assert check_rule(" Roose   Road ", ["complaint"]) == ("Roose Road", frozenset({"complaint"}))
