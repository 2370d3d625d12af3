from __future__ import annotations

from classifiers import Classifier
from tests.classifiers.conftest import run


def test_school_talk_without_the_name_is_relevant(classifier: Classifier) -> None:
    # Comments on the school's own page and in local groups rarely repeat its name.
    for text in (
        "The deputy head shouted at my son in front of the whole class",
        "Still no reply from the office about the year 4 trip",
        "The dinner ladies are giving the kids cold chips again",
    ):
        assert run(classifier, text).relevant, text


def test_another_school_named_outright_is_not_ours(classifier: Classifier) -> None:
    for text in (
        "The head at Moorside Academy needs sacking, my nephew is bullied every day",
        "St Mary's Primary in Ulverston has a lovely new playground",
    ):
        result = run(classifier, text)
        assert not result.relevant and result.flags == (), text


def test_a_full_roster_name_keeps_a_post_relevant_beside_another_school(
    classifier: Classifier,
) -> None:
    assert run(classifier, "Mrs Whitfield used to teach at Moorside Academy").relevant


def test_clubs_pubs_and_roads_that_share_the_name_are_not_the_school(
    classifier: Classifier,
) -> None:
    for text in (
        "Roose Rovers U12s lost 5-0 on Sunday, ref was a joke",
        "Quiz night at the Roose Arms on Friday",
        "Roose Road closed again for the gas works",
    ):
        assert not run(classifier, text).relevant, text


def test_chat_with_no_school_words_is_not_relevant(classifier: Classifier) -> None:
    for text in ("Anyone know a decent plumber?", "Lovely sunset over the bay tonight"):
        assert not run(classifier, text).relevant, text


def test_school_talk_beside_a_pub_that_shares_the_name_is_read_not_dropped(
    classifier: Classifier,
) -> None:
    """The pub's name is not the school, but the deputy is: the post is read by every stage
    (unsure, not elsewhere), so its threat is flagged."""
    text = (
        "Any more of this and that smug deputy's getting glassed next time he's in the Roose Arms"
    )
    result = run(classifier, text)
    assert result.relevant and "but talks about school life ('deputy')" in result.relevance
    assert "threat" in {flag.category for flag in result.flags}


def _secondary() -> Classifier:
    from classifiers import ClassifierSettings
    from config import Roster, SchoolSettings

    school = SchoolSettings(
        "Kelderton Community School", ("Kelderton", "Kelderton Comp", "Kelderton School"), ""
    )
    return Classifier(ClassifierSettings(school=school, roster=Roster(), use_model=False))


def test_the_towns_primary_is_not_the_towns_comprehensive() -> None:
    comp = _secondary()
    elsewhere = "Kelderton Primary in lockdown this morning, a man with a knife near the gate"
    result = run(comp, elsewhere)
    assert not result.relevant and result.flags == ()
    for ours in (
        "Kelderton School in lockdown this morning, a man with a knife near the gate",
        "Kelderton Comp in lockdown this morning, a man with a knife near the gate",
        "Kelderton in lockdown this morning, a man with a knife near the gate",
    ):
        assert run(comp, ours).relevant, ours


def test_welsh_and_comprehensive_school_names_are_other_schools(classifier: Classifier) -> None:
    for text in (
        "Ysgol Glan Ceiriad in lockdown this morning, police at the gates",
        "Rhydwen Comprehensive had police in today after a fight outside the gates",
    ):
        result = run(classifier, text)
        assert not result.relevant and result.flags == (), text


def test_our_name_said_only_to_deny_it_does_not_make_a_post_ours(classifier: Classifier) -> None:
    denied = "Holly Lane Primary had a bomb scare today (not Roose Primary!), kids on the field"
    assert not run(classifier, denied).relevant
    both = "Holly Lane Primary had a bomb scare today and Roose Primary kids were sent home too"
    assert run(classifier, both).relevant


def _school(name: str, *aliases: str) -> Classifier:
    from classifiers import ClassifierSettings
    from config import Roster, SchoolSettings

    school = SchoolSettings(name, aliases, "")
    return Classifier(ClassifierSettings(school=school, roster=Roster(), use_model=False))


def test_a_saints_name_lent_to_a_church_road_or_club_is_not_the_school() -> None:
    saint = _school("St Aldric's Preparatory School", "St Aldric's")
    for text in (
        "The roof on St Aldric's church is a disgrace, nothing ever gets done",
        "Anyone know why St Aldric's Road is closed again? Absolute shambles",
        "St Aldric's Cricket Club (the village one) v Ashcombe Ramblers on Sunday",
        "St Aldric's Social Club karaoke Friday, who's in",
    ):
        assert not run(saint, text).relevant, text
    # a sport after the possessive is the school's own team
    for text in (
        "St Aldric's U13 girls won 12-1 at hockey today",
        "Lost: navy St Aldric's rugby hoodie, age 13-14",
        "St Aldric's is a disgrace, nothing ever gets done",
    ):
        assert run(saint, text).relevant, text


def test_a_longer_name_lent_to_a_club_takes_its_short_forms_with_it() -> None:
    academy = _school("Cobden Moor Academy", "Cobden Moor", "Cobden")
    for text in (
        "Cobden Moor Golf Club car park got done again last night, lock your stuff up",
        "Cobden Moor WMC quiz tonight, the bloke on table 4 should be shot 😂",
        "Cobden Moor Tandoori has gone right downhill, never again",
        "Cobden Moor Academy of Dance are absolute cowboys, took our deposit",
        "Cobden Moor (the road, not the school) has been dug up for three weeks",
    ):
        result = run(academy, text)
        assert not result.relevant or "road, club or place" in result.relevance, text
    assert run(academy, "Cobden's head is a joke, my son was sent home again").relevant
    assert run(academy, "Cobden Moor has gone right downhill since the new head").relevant


def test_a_people_or_a_language_is_no_short_name() -> None:
    from classifiers.relevance import short_names
    from config import SchoolSettings

    school = SchoolSettings("Ysgol Gyfun Gwaun Hafren", ("Gwaun Hafren", "the Welsh school"), "")
    assert "welsh" not in short_names(school)
    assert "gwaun hafren's" in short_names(school)


def test_a_post_that_says_it_is_not_about_the_school_is_not_ours(classifier: Classifier) -> None:
    for text in (
        "Man with a knife near the shops this afternoon, police there now (not school related)",
        "Fell Road shut again. Council want shooting. Not the school's fault before anyone starts",
        "Rugby club committee chairman needs to go. Clueless old fool. (Club matter not school)",
        "Sirens all night on Cordwell Street. Nothing to do with the school before anyone asks",
    ):
        result = run(classifier, text)
        assert not result.relevant and "not about the school" in result.relevance, text
    # the school or someone on its roster named outright is ours whatever the post says of itself
    for text in (
        "Nothing to do with the school, but Mr Okafor should watch his back",
        "Roose Primary parents: nothing to do with the school, but the road is shut",
    ):
        assert run(classifier, text).relevant, text
