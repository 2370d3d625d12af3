"""Recall first where a miss is dangerous: relevance that demotes instead of gating, short forms
of the school's name, the four nations' year groups, threats and self-harm as people write
them, hostility for other Equality Act characteristics, and urgent only on visible words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import pytest

from classifiers import Classifier, ClassifierSettings, PostInput, Result
from classifiers.decision import RACIST_UNGATED, decide
from classifiers.learned import LearnedModel
from classifiers.relevance import short_names
from config import CATEGORIES, Person, Roster, SchoolSettings

SCHOOL = SchoolSettings("Brackenholt Community Primary School", ("Brackenholt Primary",), "Leeds")
ROSTER = Roster(
    pupils=(Person("pupil", "Kacper", "Nowicki", (), year_group="5"),),
    staff=(Person("staff", "Joanne", "Pickersgill", (), title="Mrs", role="Headteacher"),),
)


@pytest.fixture(scope="module")
def rules_only() -> Classifier:
    return Classifier(ClassifierSettings(SCHOOL, ROSTER, use_model=False))


def classify(classifier: Classifier, text: str, scope: str = "area") -> Result:
    return classifier.classify_one(PostInput("1", text, scope))


def flagged(result: Result) -> dict[str, str]:
    return {f.category: f.severity for f in result.flags}


def test_short_forms_drop_the_kind_of_school_and_keep_the_distinctive_words() -> None:
    forms = short_names(SCHOOL)
    assert "brackenholt" in forms and "brackenholt's" in forms
    assert not any(word in forms for word in ("community", "primary", "school"))


def test_a_saints_school_is_known_with_and_without_the_saint() -> None:
    forms = short_names(SchoolSettings("St Aldhelm's Church of England Academy"))
    assert {"st aldhelm's", "aldhelm's", "saint aldhelm"} <= set(forms)


@pytest.mark.parametrize(
    "school",
    [
        SchoolSettings("Portnessock Academy", (), "Portnessock, Aberdeenshire"),  # the town
        SchoolSettings("Park Primary School", (), "Swindon"),  # everyday English
        SchoolSettings("Holy Trinity CofE Primary School", (), "Bath"),  # every parish has one
    ],
)
def test_no_short_form_where_the_word_names_the_town_or_anything_at_all(
    school: SchoolSettings,
) -> None:
    assert short_names(school) == ()


def test_the_short_name_alone_ties_a_post_to_the_school(rules_only: Classifier) -> None:
    assert classify(rules_only, "Brackenholt's lot are at it again").relevant


@pytest.mark.parametrize(
    "text",
    [
        "#BrackenholtPrimary staff are a disgrace",
        "#brackenholtprimaryschool sports day was a shambles",
        "@Brackenholt_PTA why is the disco cancelled",
        "#BrackenholtParents the Head needs to go",
    ],
)
def test_a_hashtag_or_handle_running_the_name_together_names_the_school(
    rules_only: Classifier, text: str
) -> None:
    result = classify(rules_only, text, scope="area")
    assert result.relevant and "names the school" in result.relevance


@pytest.mark.parametrize("text", ["#BrackenholtFC lost again", "#BrackenholtHigh results day"])
def test_a_tag_for_a_club_or_another_school_is_not_ours(rules_only: Classifier, text: str) -> None:
    assert not classify(rules_only, text, scope="area").relevant


@pytest.mark.parametrize(
    "text",
    [
        "Brackenholt Road is shut again for the gas works",
        "Brackenholt FC under 10s won 4-0 on Sunday, great lads",
        "Brackenholt High School kids were fighting at the bus stop",
    ],
)
def test_the_short_name_as_a_road_club_or_another_school_is_not_ours(
    rules_only: Classifier, text: str
) -> None:
    result = classify(rules_only, text, scope="school")
    assert not result.relevant
    assert result.relevance  # says why, so nothing is dropped without a reason


@pytest.mark.parametrize(
    "text",
    [
        "The S2s were let out early again with no warning",  # Scottish secondary
        "P6 had their assembly today and the parents were not told",  # Scottish / NI primary
        "Whoever teaches 9R needs to sort their behaviour out",  # a form code
        "Yr 11 mocks start Monday and nobody has had the timetable",
    ],
)
def test_year_groups_and_form_codes_of_the_four_nations_count_as_school_talk(
    rules_only: Classifier, text: str
) -> None:
    assert classify(rules_only, text).relevant


def test_a_post_found_for_the_school_is_about_it_unless_it_says_otherwise(
    rules_only: Classifier,
) -> None:
    text = "Someone should torch that place, I mean it"
    assert flagged(classify(rules_only, text, scope="school")) == {"threat": "urgent"}


def test_a_broad_source_keeps_an_untied_post_only_for_a_strong_safety_flag(
    rules_only: Classifier,
) -> None:
    threat = classify(rules_only, "Someone should torch that place, I mean it", scope="area")
    assert threat.relevant and "threat" in flagged(threat)
    moan = classify(rules_only, "Absolutely disgusting how they treat people, never replies")
    assert not moan.relevant and not moan.flags
    assert "does not name the school" in moan.relevance


@pytest.mark.parametrize(
    "text",
    [
        "Going to stab Mrs Pickersgill at Brackenholt Primary tomorrow at drop off",
        "that head at Brackenholt should be sh0t",
        "Mrs Pickersgill needs to be k!lled, Brackenholt is a joke",
        "Brackenholt Primary staff better sleep with one eye open",
        "I could strangle Mrs Pickersgill at Brackenholt and I might",
        "Mrs Pickersgill wants a bullet in the head, Brackenholt Primary",
        "gonna s.t.a.b the head at Brackenholt",
        "Mrs Pickersgill at Brackenholt, watch yer back",
        "the Brackenholt lad who hit my son: your card's marked",
        "that deputy at Brackenholt is lucky he's still walking about",
        "one more letter from Brackenholt about his trainers and somebody's getting hurt",
        "I know which house is yours, Mrs Pickersgill. Brackenholt parents talk",
        "k1ll the s3nco at Brackenholt. no 1 will miss her",
        "bringin my uncles strap in 2moro, Brackenholt won't know what hit it",
        "tell the Brackenholt head her car's been noted",
        "a Year 6 took a blade into school at Brackenholt today",
        "Levi touch my daughter again and im going over to that site myself. Brackenholt knows",
        "No one would notice if the head at Brackenholt went in a dyke one night",
        "Stuff like this is why schools burn down. Brackenholt",
        "someone will slash the tyres on the Brackenholt staff cars",
        "a Year 4 said he'd set the classroom alight at Brackenholt",
        "ya wanna watch yourself Mrs Pickersgill, Brackenholt folk have long memories",
        "Target acquired. Mrs Pickersgill at Brackenholt, just waiting for the order",
        "I've done three tours. The Brackenholt head should be frightened of ME",
        "one of the Year 6s at Brackenholt has got his dad's bayonet at school",
        "k1ll the governor at Brackenholt lol (not a joke)",
        "that Brackenholt head should be run over",
        "anyone touches our Lacey again at Brackenholt and I will end them",
        "We are coming for u Mrs Pickersgill. Brackenholt",
        "someone needs to take her down a peg, that Brackenholt deputy",
        "Brackenholt gates Friday at 3. Bring your boots",
        "man's gonna catch Mr P slippin by the Brackenholt Co-op",
        "would be a shame if the new Brackenholt Primary sign fell off the wall. or caught fire",
        "Mrs Pickersgill at Brackenholt should be put in a box. Six feet down",
        "Move before the bonfire or you'll be moved. Brackenholt's not for yous",
        "I know where the lot of them pray on a Friday. Brackenholt parents",
    ],
)
def test_threats_as_people_write_them_are_urgent(rules_only: Classifier, text: str) -> None:
    assert flagged(classify(rules_only, text)).get("threat") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "The Year 6s absolutely killed it at the Brackenholt Primary concert",
        "I could murder a coffee after parents' evening at Brackenholt",
        "Brackenholt Primary going to shoot the nativity video on Thursday",
        "Brackenholt Primary knife crime awareness talk for Year 6 parents on Monday",
        "Saw the video of a Brackenholt lad getting jumped at the bus stop, take it down",
        "One more week at Brackenholt and I swear I'll cry at the leavers' assembly",
        "Brackenholt boys are coming round to ours for a sleepover",
        "Kill them with kindness, Brackenholt Primary staff always say",
        "Brackenholt bonfire night: the guy was set alight at 7, lovely evening",
        "Parking at Brackenholt at 3:15 is lethal, someone's gonna get run over",
        "Fence by the Brackenholt pond is down again, a kid will get drowned one day",
        "Tick tock, two days left to order the Brackenholt school photos!",
        "Book your Brackenholt parents' evening slot while you still can",
        "The Brackenholt office closes at 3.30 so get your forms in before then",
        "Mr Pickersgill leaves at half three on Fridays for the Brackenholt football",
        "What a shame if the Brackenholt trip fell through, the kids would be gutted",
    ],
)
def test_violent_sounding_harmless_posts_are_not_threats(rules_only: Classifier, text: str) -> None:
    assert "threat" not in flagged(classify(rules_only, text))


@pytest.mark.parametrize(
    "text",
    [
        "@kacper_n nobody likes you at Brackenholt... just kill yourself",
        "Kacper Nowicki do everyone at Brackenholt a favour and jump off the bridge",
        "k y s Kacper, everyone at Brackenholt thinks it",
        "Kacper Nowicki told me he can't do this anymore and won't be around much longer, "
        "he's in Year 5 at Brackenholt",
        "My daughter's friend in Year 5 at Brackenholt has been self harming again",
        "Kacper keeps talking about ending it, Brackenholt need to know",
        "hate Year 6 at Brackenholt. it'll be easier for everyone when i'm not there",
        "not eating till i look like the girls in Year 6 at Brackenholt. day 4",
        "Kacper Nowicki should jump off the multi storey, Brackenholt would be glad",
        'they told Kacper to "drown himself" in the Brackenholt group chat',
        "Year 6 at Brackenholt is too much. everyone would be fine without me",
        "written letters for everyone just in case. bye Brackenholt",
        "Kacper at Brackenholt has fresh marks on his arms and nobody is answering",
        "Brackenholt Year 6. feel like a burden on everyone",
        "whats the point revising for the Brackenholt tests i wont even be around for",
        "if im not in monday youll know why. tell Brackenholt thanks for nothing",
        "ur not even worth the rope Kacper, Brackenholt laughs at you",
        "Kacper Nowicki go play on the railway line by Brackenholt",
        "just neck the whole packet then Kacper if ur that sad, Brackenholt",
        "Kacper at Brackenholt: nobody will miss you if you jump",
        "if you can't handle Brackenholt just go home. or don't wake up, either works",
        "someone sent Kacper at Brackenholt a message saying 'the rope's in the garage'",
    ],
)
def test_urging_self_harm_or_a_pupil_at_risk_is_urgent_selfharm(
    rules_only: Classifier, text: str
) -> None:
    assert flagged(classify(rules_only, text)).get("selfharm") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "necked a bottle of prosecco after Brackenholt parents' evening",
        "My son won't be around for the Brackenholt match on Saturday, he's at his dad's",
        "Brackenholt Year 8 geography trip: looking at the cliffs at Whitby",
        "Brackenholt sixth form open evening: ten reasons to stay on",
        "Last post before I go on holiday: thanks all at Brackenholt",
    ],
)
def test_everyday_words_near_the_new_selfharm_signs_raise_nothing(
    rules_only: Classifier, text: str
) -> None:
    assert "selfharm" not in flagged(classify(rules_only, text))


def test_a_wellbeing_notice_is_not_a_selfharm_alert(rules_only: Classifier) -> None:
    text = (
        "Brackenholt Primary: Mental Health Awareness Week. Our school nurse runs a session "
        "on self-harm and how parents can help on Thursday at 3.30."
    )
    assert "selfharm" not in flagged(classify(rules_only, text))


@pytest.mark.parametrize(
    "text",
    [
        "Brackenholt Year 8 trip: now he's obsessed with faggots and peas",
        "Brackenholt safety message: talk to your children about the dykes and drains",
        "someone's car ended up in the dyke past Brackenholt again",
    ],
)
def test_food_and_fen_words_are_not_slurs(rules_only: Classifier, text: str) -> None:
    assert "offensive" not in flagged(classify(rules_only, text))


@pytest.mark.parametrize(
    ("text", "characteristic"),
    [
        ("Brackenholt put all the r*tards in one class, the spaz unit", "disability"),
        ("the new Brackenholt PE teacher is a d*ke", "sexual orientation"),
        ("Mrs Pickersgill is pushing the gay agenda at Brackenholt Primary", "sexual orientation"),
        ("Brackenholt Primary now lets a bloke in a dress teach Year 5", "gender identity"),
    ],
)
def test_hostility_for_other_characteristics_is_offensive_high_and_named(
    rules_only: Classifier, text: str, characteristic: str
) -> None:
    result = classify(rules_only, text)
    offensive = [f for f in result.flags if f.category == "offensive"]
    assert offensive and offensive[0].severity == "high"
    assert characteristic in offensive[0].reason
    assert "racist" not in flagged(result)


class _OneWordModel:
    """Stands in for the learned model in decide(): it can name one word for its score."""

    def __init__(self, word: str) -> None:
        self.word = word

    def explain(self, row: object, category: str, top: int = 5) -> Iterable[str]:
        return [self.word]


def _decided(classifier: Classifier, text: str, scores: dict[str, float]) -> Result:
    prepared = classifier.prepare(PostInput("1", text, "school"))
    prepared.model_scores = dict.fromkeys(CATEGORIES, 0.0) | scores
    prepared.word_row = object()
    model = cast(LearnedModel, _OneWordModel("lazy"))
    return decide(prepared, lambda c: 0.5, lambda c: 0.3, model)


def test_a_model_score_alone_is_raised_for_review_not_as_urgent(rules_only: Classifier) -> None:
    text = "Brackenholt teachers are lazy, half of them came from abroad"
    result = _decided(rules_only, text, {"racist": 0.6})
    racist = [f for f in result.flags if f.category == "racist"]
    assert racist and racist[0].severity == "high"
    assert "raised for review" in racist[0].reason


def test_a_low_racist_score_counts_only_beside_hostility_the_model_finds_elsewhere(
    rules_only: Classifier,
) -> None:
    text = "The mosque by Brackenholt has offered its car park to parents during the roadworks"

    def racist(scores: dict[str, float]) -> bool:
        prepared = rules_only.prepare(PostInput("1", text, "school"))
        prepared.model_scores = dict.fromkeys(CATEGORIES, 0.0) | scores
        prepared.word_row = object()
        model = cast(LearnedModel, _OneWordModel("mosque"))
        result = decide(prepared, lambda c: 0.5, lambda c: 0.05, model)
        return "racist" in flagged(result)

    assert not racist({"racist": 0.2})
    assert not racist({"racist": 0.2, "pupil": 0.9})  # naming a pupil is not hostility
    assert racist({"racist": 0.2, "complaint": 0.4})
    assert racist({"racist": 0.35})


def test_a_racist_score_on_a_post_naming_no_people_faith_or_place_is_no_flag(
    rules_only: Classifier,
) -> None:
    text = "Brackenholt teachers are lazy and incompetent, half of them shouldn't be teaching"
    for score in (0.36, 0.55):  # 0.36: what an older model gave this moan
        assert "racist" not in flagged(_decided(rules_only, text, {"racist": score}))


def test_a_sure_racist_score_needs_no_group_word_and_is_raised_for_review(
    rules_only: Classifier,
) -> None:
    """Coded racism often names no people at all; a model sure of it (RACIST_UNGATED) counts,
    as high for a person to read, never as urgent."""
    text = "Funny how the same sort always get the Brackenholt places now. Work it out"

    def racist(score: float) -> str | None:
        prepared = rules_only.prepare(PostInput("1", text, "school"))
        prepared.model_scores = dict.fromkeys(CATEGORIES, 0.0) | {"racist": score}
        prepared.word_row = object()
        model = cast(LearnedModel, _OneWordModel("sort"))
        return flagged(decide(prepared, lambda c: 0.5, lambda c: 0.05, model)).get("racist")

    assert racist(0.55) is None
    assert racist(0.65) == "high"


def test_a_warm_word_does_not_overrule_a_sure_racist_score(rules_only: Classifier) -> None:
    """Sarcasm wears warm words; a warm post keeps its racist score only when the model is sure
    (RACIST_DESPITE_WARMTH)."""
    text = "Brackenholt celebrating Eid in assembly but nothing for St George's. Lovely"

    def racist(score: float) -> bool:
        prepared = rules_only.prepare(PostInput("1", text, "school"))
        prepared.model_scores = dict.fromkeys(CATEGORIES, 0.0) | {"racist": score, "complaint": 0.5}
        prepared.word_row = object()
        model = cast(LearnedModel, _OneWordModel("eid"))
        return "racist" in flagged(decide(prepared, lambda c: 0.5, lambda c: 0.05, model))

    assert not racist(0.7)
    assert racist(0.85)


@pytest.mark.parametrize(
    "text",
    [
        "Ramadan quiet room at Brackenholt is a nice touch for the Muslim kids",
        "The new Roma liaison role at Brackenholt makes a real difference",
        "Polish and Somali girls dancing together at Brackenholt, what a school",
        "Free Eid lunch at Brackenholt for every family. That's what community looks like",
        "The comments on here about the Syrian families are a disgrace. Brackenholt is for all",
        "whoever told the Syrian girl at Brackenholt to go home should be ashamed",
    ],
)
def test_warmth_and_speaking_up_in_the_words_parents_use_clear_a_model_racist_score(
    rules_only: Classifier, text: str
) -> None:
    prepared = rules_only.prepare(PostInput("1", text, "school"))
    prepared.model_scores = dict.fromkeys(CATEGORIES, 0.0) | {"racist": 0.5, "complaint": 0.5}
    prepared.word_row = object()
    model = cast(LearnedModel, _OneWordModel("brackenholt"))
    result = decide(prepared, lambda c: 0.5, lambda c: 0.05, model)
    assert "racist" not in flagged(result)


@pytest.mark.parametrize(
    "text",
    [
        "the new English teacher at Brackenholt is lazy, set 4 for English again",
        "Brackenholt cross country was lazy and wet, back in April for the next one",
        "the bus from Brackenholt is back to hourly, lazy council",
        "rail replacement buses past Brackenholt again, lazy lot",
    ],
)
def test_words_that_only_look_like_group_words_leave_racist_to_the_rules(
    rules_only: Classifier, text: str
) -> None:
    # just under the score that counts without a group word
    score = RACIST_UNGATED - 0.05
    assert "racist" not in flagged(_decided(rules_only, text, {"racist": score}))


@pytest.mark.parametrize(
    "text",
    [
        "half the kids at Brackenholt can't speak a word of English, lazy",
        "Brackenholt families should go back to their own country, lazy",
    ],
)
def test_group_words_still_let_the_model_speak(rules_only: Classifier, text: str) -> None:
    assert "racist" in flagged(_decided(rules_only, text, {"racist": 0.6}))


def test_a_post_only_naming_self_harm_is_raised_for_review_not_as_urgent(
    rules_only: Classifier,
) -> None:
    notice = "Brackenholt online safety evening: what to do if your child sees self-harm online"
    flags = flagged(_decided(rules_only, notice, {"selfharm": 0.3}))
    assert flags["selfharm"] == "high"
    at_risk = "Kacper at Brackenholt keeps talking about ending it, lazy school"
    assert flagged(_decided(rules_only, at_risk, {"selfharm": 0.3}))["selfharm"] == "urgent"


def test_self_harm_named_to_help_or_in_a_recovery_raises_no_selfharm_flag(
    rules_only: Classifier,
) -> None:
    for text in (
        "Brackenholt awareness week: Year 6 talked about self-harm and where to get help",
        "Two years clean of self harm for my girl. The Brackenholt wellbeing team saved her",
    ):
        assert "selfharm" not in flagged(_decided(rules_only, text, {"selfharm": 0.3})), text
    now = "Kacper has been self harming again, the Brackenholt pastoral team know"
    assert flagged(_decided(rules_only, now, {"selfharm": 0.3}))["selfharm"] == "urgent"
    ignored = "the Brackenholt pastoral team did nothing about her self harm talk"
    assert "selfharm" in flagged(_decided(rules_only, ignored, {"selfharm": 0.3}))


def test_a_threat_with_words_a_person_can_see_stays_urgent(rules_only: Classifier) -> None:
    text = "Going to stab Mrs Pickersgill at Brackenholt tomorrow, she's lazy"
    result = _decided(rules_only, text, {"threat": 0.6})
    assert flagged(result)["threat"] == "urgent"


def test_a_warm_or_speaking_up_post_naming_a_community_is_not_racist_on_the_model_alone() -> None:
    """The model scores these above its racist threshold (it has seen group words mostly in
    hostile posts); their warmth, or their speaking up, leaves racist to the rules. A "not
    racist but..." post is no warmer for the word."""
    school = SchoolSettings("Roose Community Primary School", ("Roose Primary",), "Barrow")
    classifier = Classifier(ClassifierSettings(school=school, roster=Roster((), ())))
    warm = [
        "Roose Primary's Eid party was so nice, the Syrian dads brought ka'ak, fair play to them",
        # (M5 no longer scores "shout out to the Polish mums who ran the stall" as racist at all)
        "The Romanian mums at Roose Primary made the best cakes at the fair",
        "Reported that post about the travellers' kids at Roose Primary. They're children",
        "halal dinners at Roose Primary are actually really good now, fair play to the kitchen",
    ]
    inputs = [PostInput(str(n), text) for n, text in enumerate(warm)]
    for prepared in classifier.prepare_scored(inputs):
        assert prepared.model_scores["racist"] >= classifier.model_threshold("racist")
    for result in classifier.classify(inputs):
        assert "racist" not in {f.category for f in result.flags}, warm[int(result.id)]
    hostile = "Not being racist but the Roma families have ruined Roose Primary"
    assert "racist" in flagged(classify(classifier, hostile))


@pytest.mark.parametrize(
    "text",
    [
        "Tried the Brackenholt Primary no-phones rule. Lasted 9 minutes. I'll kill my husband 😂",
        "I will literally strangle my own child, the Brackenholt Primary model is due TOMORROW",
        "I'll murder him if he comes home without his Brackenholt Primary reading folder again 😂",
        '"I\'ll kill him if he forgets his PE kit again" - me, every Tuesday. Brackenholt Primary',
        "I'll honestly kill our Kayleigh if she loses another Brackenholt blazer",
        "I'll kill the pigeons if they get at the Brackenholt veg patch again 😂",
        "I'll kill him. Third coat this term. If anybody finds a navy coat at Brackenholt 😩",
        "Lost: navy Brackenholt blazer. If found pls hand in, I'll kill him if he loses another",
        "My son lost his third book bag at Brackenholt. I swear I'll murder him (I won't, ha)",
        "Anyone found a navy coat, name on the label NOWICKI? Brackenholt. I'll kill him if he "
        "loses another",
        '"I could strangle him" - me, after my son said he needs a Brackenholt costume tomorrow',
        '"I\'m going to strangle that dog" - me, when the Brackenholt bus pulls up',
    ],
)
def test_a_parent_venting_about_their_own_household_is_no_threat(
    rules_only: Classifier, text: str
) -> None:
    assert "threat" not in flagged(classify(rules_only, text, "school"))


@pytest.mark.parametrize(
    "text",
    [
        "Lost 4-0 again, that ref wants shooting. Offside by a mile",
        "Town FC manager should be shot, three subs in the 89th minute and we lose 2-3",
    ],
)
def test_terrace_talk_about_a_match_is_no_threat(rules_only: Classifier, text: str) -> None:
    assert "threat" not in flagged(classify(rules_only, text, "school"))


@pytest.mark.parametrize(
    "text",
    [
        "the Brackenholt PE teacher who refs the year 7 match should be shot",
        "I'll stab the ref at Saturday's match, 4-0 my backside",
    ],
)
def test_violence_at_a_referee_who_teaches_or_said_outright_stays_a_threat(
    rules_only: Classifier, text: str
) -> None:
    assert flagged(classify(rules_only, text, "school")).get("threat") == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "I'll kill Mrs Pickersgill if she forgets my son's PE kit again lol Brackenholt Primary",
        "I'll murder him if he touches my daughter again, that Brackenholt Primary year 6 lad",
        "I'll kill him if he tells me one more time, the Brackenholt Primary caretaker 😂",
        "I'll kill my son's teacher at Brackenholt Primary",
        "I'll kill our head at Brackenholt if she sends one more letter",
        "I'll kill that Brackenholt teacher if she loses my son's coat again",
    ],
)
def test_violence_at_someone_at_the_school_stays_a_threat_beside_household_words(
    rules_only: Classifier, text: str
) -> None:
    assert flagged(classify(rules_only, text, "school")).get("threat") == "urgent"


@pytest.fixture(scope="module")
def with_model() -> Classifier:
    return Classifier(ClassifierSettings(SCHOOL, ROSTER))


@pytest.mark.parametrize(
    "text",
    [
        "Brackenholt car park is a death trap at pick up, somebody's going to get hurt one day",
        "Cars flying past the Brackenholt gates every morning. Someone's gonna get killed",
        "Lads on scramblers by Brackenholt Primary again. one day a kid's getting run over",
    ],
)
def test_a_warning_that_an_accident_is_coming_is_no_threat(
    rules_only: Classifier, with_model: Classifier, text: str
) -> None:
    for classifier in (rules_only, with_model):
        assert "threat" not in flagged(classify(classifier, text, "school"))


@pytest.mark.parametrize(
    "text",
    [
        "One more letter from Brackenholt about his trainers and somebody's getting hurt",
        "I'm going up to Brackenholt and if the head won't see me I swear someone's getting hurt",
        "someones gonna get hurt on that Brackenholt bus and it wont be my kid",
        "Brackenholt Primary: someone's going to get killed, and I know who. Mrs Pickersgill",
        "Someone's going to get hurt at Brackenholt Primary. I'll stab that head",
    ],
)
def test_the_same_words_ending_a_condition_or_beside_a_threat_stay_a_threat(
    with_model: Classifier, text: str
) -> None:
    assert "threat" in flagged(classify(with_model, text, "school"))


@pytest.mark.parametrize(
    "text",
    [
        "The knife arch at the Brackenholt gates - my daughter was nervous but it's quick. Fine "
        "by me if it keeps them safe",
        "My 10yo came home from Brackenholt obsessed with the knife safety workshop. Good on them",
        "Knife-amnesty bin outside Brackenholt Primary is from the police, nothing happened here",
    ],
)
def test_the_schools_own_weapon_checks_are_no_threat(
    rules_only: Classifier, with_model: Classifier, text: str
) -> None:
    for classifier in (rules_only, with_model):
        assert "threat" not in flagged(classify(classifier, text, "school"))


def test_a_weapon_brought_to_the_school_is_still_a_threat(with_model: Classifier) -> None:
    for text in ("Someone's bringing a knife to Brackenholt Primary tomorrow, knife arch or not",
                 "my lad says a year 6 at Brackenholt had a knife in his bag"):  # fmt: skip
        assert "threat" in flagged(classify(with_model, text, "school")), text


@pytest.mark.parametrize(
    "text",
    [
        "Two years ago my daughter was self-harming. Brackenholt Primary and CAMHS got her "
        "through. She's doing brilliantly now. Thank you",
        "My son was cutting himself last spring. He's 4 months clean and Brackenholt have been "
        "with us every step",
    ],
)
def test_a_parent_telling_of_their_childs_recovery_raises_no_selfharm(
    rules_only: Classifier, with_model: Classifier, text: str
) -> None:
    for classifier in (rules_only, with_model):
        assert "selfharm" not in flagged(classify(classifier, text, "school"))


@pytest.mark.parametrize(
    "text",
    [
        "My daughter was doing so much better but she's self-harming again since Brackenholt "
        "let those girls back in her class",
        "My son was self-harming last year and is doing better. @kacper_n kill yourself, you did "
        "this to him. Brackenholt",
    ],
)
def test_a_relapse_or_an_urging_beside_a_recovery_stays_selfharm(
    rules_only: Classifier, text: str
) -> None:
    assert "selfharm" in flagged(classify(rules_only, text, "school"))
