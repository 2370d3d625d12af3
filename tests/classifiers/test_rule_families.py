"""The broader rule families on their own (learned model left out), and the hard negatives
they must leave alone."""

from __future__ import annotations

from typing import cast

import pytest

from classifiers import Classifier, ClassifierSettings, PostInput
from classifiers.decision import Prepared, decide
from classifiers.learned import LearnedModel
from classifiers.patterns import WEAK
from config import CATEGORIES, Person, Roster, SchoolSettings
from tests.classifiers.conftest import categories, run, severities


@pytest.fixture(scope="module")
def rules_only() -> Classifier:
    roster = Roster(
        pupils=(Person("pupil", "Kofi", "Mensah", (), year_group="3"),),
        staff=(Person("staff", "Ruth", "Ellery", (), title="Miss", role="Teacher"),),
    )
    school = SchoolSettings("Larchfield Primary School", ("Larchfield Primary",), "Carlisle")
    return Classifier(ClassifierSettings(school=school, roster=roster, use_model=False))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("If Miss Ellery shouts at my boy again at Larchfield Primary I'll make her regret it",
         "threat"),
        ("Not responsible for what I do if Larchfield Primary excludes him again", "threat"),
        ("Next time my son's left in the rain at Larchfield Primary I'm not being held "
         "responsible for what I say or do", "threat"),
        ("I know where Miss Ellery lives. Larchfield Primary should think on", "threat"),
        ("Someone should batter Miss Ellery outside Larchfield Primary", "threat"),
        ("Miss Ellery is getting battered at Larchfield Primary pick up", "threat"),
        ("Kofi Mensah is such a weirdo, nobody at Larchfield Primary plays with him", "bullying"),
        ("Made a fake account pretending to be Miss Ellery, Larchfield Primary mums love it",
         "bullying"),
        ("Still no reply from Larchfield Primary after two weeks, what is the point", "complaint"),
        ("Larchfield Primary fobbed us off again, totally unacceptable", "complaint"),
        ("Miss Ellery turned up to Larchfield Primary drunk on Friday", "allegation"),
        ("Miss Ellery deleted the CCTV footage at Larchfield Primary after the fight",
         "allegation"),
        ("Miss Ellery should be struck off, Larchfield Primary know what she did", "allegation"),
        ("Larchfield Primary is full of immigrants now, English kids don't stand a chance",
         "racist"),
        ("Why is someone not even from here teaching at Larchfield Primary", "racist"),
        ("Miss Ellery is a smug little prat, Larchfield Primary deserves better", "offensive"),
    ],
)  # fmt: skip
def test_each_broader_rule_family_matches_its_category(
    rules_only: Classifier, text: str, category: str
) -> None:
    prepared = rules_only.prepare(PostInput("1", text))
    matched = {rule.category for rule, _ in prepared.rule_hits} | {c.kind for c in prepared.cues}
    assert category in matched, [rule.name for rule, _ in prepared.rule_hits]


def _complaint_prepared(rules_only: Classifier, learned: float) -> Prepared:
    text = "Still no reply from Larchfield Primary after two weeks, what is the point"
    prepared = rules_only.prepare(PostInput("1", text))
    assert [rule.score for rule, _ in prepared.rule_hits if rule.category == "complaint"] == [WEAK]
    prepared.model_scores = dict.fromkeys(CATEGORIES, 0.0) | {"complaint": learned}
    return prepared


def test_a_weak_family_alone_does_not_flag(rules_only: Classifier) -> None:
    text = "Still no reply from Larchfield Primary after two weeks, what is the point"
    assert "complaint" not in categories(run(rules_only, text))


def test_a_weak_family_flags_when_the_model_agrees(rules_only: Classifier) -> None:
    model = cast(LearnedModel, object())  # decide() only checks that there is one
    thresholds = {"complaint": 0.6}

    def decided(learned: float) -> set[str]:
        prepared = _complaint_prepared(rules_only, learned)
        result = decide(prepared, lambda c: 0.5, lambda c: thresholds.get(c, 0.9), model)
        return {f.category for f in result.flags}

    # 1 - (1 - 0.45)(1 - 0.3) = 0.615 reaches 0.6; with 0.2 it is 0.56 and does not
    assert "complaint" in decided(0.3)
    assert "complaint" not in decided(0.2)


def test_a_school_threshold_below_the_weak_score_lets_it_flag_alone() -> None:
    roster = Roster(staff=(Person("staff", "Ruth", "Ellery", (), title="Miss", role="Teacher"),))
    school = SchoolSettings("Larchfield Primary School", ("Larchfield Primary",), "Carlisle")
    settings = ClassifierSettings(school, roster, {"complaint": 0.4}, use_model=False)
    text = "Still no reply from Larchfield Primary after two weeks, what is the point"
    assert "complaint" in categories(run(Classifier(settings), text))


@pytest.mark.parametrize(
    "text",
    [
        "Larchfield Primary smashed it at the cross country, so proud of all of them",
        "Larchfield Primary let the kids go home early for the snow, very sensible",
        "I will kill for a coffee after the Larchfield Primary drop off",
        "Fed up of this rain, Larchfield Primary pick up was a swamp",
        "Our Kofi is shattered after the Larchfield Primary trip, asleep by 6",
        "My eldest Kofi got into the Larchfield Primary choir, over the moon",
    ],
)
def test_the_broader_rules_leave_ordinary_posts_alone(rules_only: Classifier, text: str) -> None:
    result = run(rules_only, text)
    assert result.relevant
    assert result.flags == (), [f.reason for f in result.flags]


def test_menace_in_everyday_idiom_is_a_threat(classifier: Classifier) -> None:
    for text in (
        "If they exclude my boy again I won't be responsible for what happens at Roose Primary",
        "Be a shame if something happened to the Roose Primary caretaker's car",
        "We know where you park, Mr Okafor. Roose Primary can't protect you",
        "One more detention and I'm bringing my brothers up to Roose Primary",
        "Mr Okafor at Roose Primary is getting glassed next time he's in the pub",
        "Mr Okafor parks on Moor Lane at 7.40, blue Golf, reg ends YKX. In case anyone wanted to "
        "let him know what Roose Primary parents think",
        "The Roose Primary caretaker locks up on his own at 6. Just an observation.",
    ):
        assert "threat" in categories(run(classifier, text)), text


def test_everyday_idioms_without_menace_are_not_threats(classifier: Classifier) -> None:
    for text in (
        "Be a shame if the Roose Primary fair got rained off, fingers crossed for sun",
        "Mr Okafor at Roose Primary will be sorely missed when he retires",
        "You'll regret missing the Roose Primary Christmas concert, it was lovely",
        "Tick tock, two days left to order the Roose Primary school photos!",
        "Book your Roose Primary parents' evening slot while you still can",
        "Mr Okafor leaves at half three on Fridays to take the Roose Primary football team",
        "Roose Primary office closes at 3.30 so get your forms in, just so everyone knows",
    ):
        assert "threat" not in categories(run(classifier, text)), text


def test_a_slur_ending_in_a_symbol_is_still_caught(classifier: Classifier) -> None:
    result = run(classifier, "the n1gg@ kid at Roose Primary started it")
    assert "racist" in categories(result)


def test_telling_a_teacher_to_go_back_to_a_continent_is_racist(classifier: Classifier) -> None:
    assert "racist" in categories(
        run(classifier, "Mr Okafor should go back to Africa, Roose Primary")
    )


def test_complaints_in_everyday_idiom_match_the_complaint_family(classifier: Classifier) -> None:
    # A match is a weak signal: the post is flagged only when the model agrees (see decision.py).
    for text in (
        "Roose Primary has gone downhill since the new head arrived",
        "My son was bullied all year and Roose Primary did absolutely nothing",
        "The SEN support at Roose Primary is non-existent",
        "Thinking of moving my kids out of Roose Primary, they just don't care",
    ):
        prepared = classifier.prepare(PostInput("1", text))
        assert "complaint" in {rule.category for rule, _ in prepared.rule_hits}, text


def test_favouritism_drink_and_vanished_money_are_allegations(classifier: Classifier) -> None:
    for text in (
        "Mr Okafor at Roose Primary only picks his mates' kids, total favouritism",
        "The Roose Primary caretaker turns up stinking of booze every morning",
        "The Roose Primary PTA money has mysteriously disappeared, follow the money",
    ):
        assert "allegation" in categories(run(classifier, text)), text


def test_praise_in_the_same_words_is_not_a_complaint_or_allegation(classifier: Classifier) -> None:
    for text in (
        "Roose Primary's reading scores have gone up and up, well done everyone",
        "Nothing beats the Roose Primary Christmas fair, see you all there",
        "The kids favoured the chocolate cake at the Roose Primary bake sale",
    ):
        found = categories(run(classifier, text))
        assert not found & {"complaint", "allegation"}, text


def test_seeking_where_a_teacher_lives_is_a_threat(rules_only: Classifier) -> None:
    for text in (
        "Anyone got the home address of the year 5 teacher? Asking for a friend",
        "Does anyone know where Mr Okafor lives",
    ):
        assert "threat" in categories(run(rules_only, text)), text
    for text in (
        "What is the school's address for the uniform parcel?",
        "Mr Okafor lives for football, he runs the after school club",
    ):
        assert "threat" not in categories(run(rules_only, text)), text


def test_a_school_likened_to_a_foreign_city_or_a_benefits_trope_is_coded_racism(
    rules_only: Classifier,
) -> None:
    for text in (
        "The school is looking more like Lagos every year",
        "That school is turning into little Pakistan",
        "Bet the new family are on benefits like all of them",
    ):
        assert "racist" in categories(run(rules_only, text)), text
    for text in (
        "Looks like India won the cricket, the Y6 boys are thrilled",
        "The school trip to Warsaw was amazing",
    ):
        assert "racist" not in categories(run(rules_only, text)), text


def _racist_urgent_on_and_clear_of(
    classifier: Classifier, urgent: tuple[str, ...], clear: tuple[str, ...]
) -> None:
    for text in urgent:
        assert severities(run(classifier, text)).get("racist") == "urgent", text
    for text in clear:
        assert "racist" not in categories(run(classifier, text)), text


def test_a_slur_disguised_with_a_star_a_digit_or_spaces_is_still_an_urgent_slur(
    rules_only: Classifier,
) -> None:
    _racist_urgent_on_and_clear_of(
        rules_only,
        (
            "typical p*ki school Larchfield Primary, they all look after their own",
            "These p@k1 families get everything handed to them at Larchfield Primary",
            "the p*k1 kid in Larchfield Primary year 6 got travel sick lmao",
            "P I K E Y S. that's all I'm saying about the new lot at Larchfield Primary",
            "Towel heads have taken over the Larchfield Primary bus",
            "Kofi probably has a calculator implanted ch1ng ch0ng Larchfield Primary maths",
        ),
        (
            "did the Larchfield Primary trip go ok? Kofi loved it",
            "Kofi Mensah is a p***y, Larchfield Primary lads laughing",
            "Spikey hair day at Larchfield Primary on Friday",
            "towel and swimming cap for Larchfield Primary swimming, heads up",
        ),
    )


def test_a_peoples_name_disguised_like_a_slur_is_racist_and_plain_it_is_not(
    rules_only: Classifier,
) -> None:
    _racist_urgent_on_and_clear_of(
        rules_only,
        (
            "R0m4 kids running the whole Larchfield Primary unit. Seen it with my own eyes",
            "Kofi's a dirty g*psy thief, the whole of Larchfield Primary knows it",
            "f e n i a n s  o o t of Larchfield Primary",
            "too many musl1ms at the Larchfield Primary gate these days",
        ),
        (
            "The Roma families ran a lovely stall at the Larchfield Primary fair",
            "Gypsy, Roma and Traveller History Month assembly at Larchfield Primary on Monday",
            "Larchfield Primary P4 and P5 trip to the zoo on Friday",
            "Our Muslim families' iftar at Larchfield Primary was a joy",
        ),
    )


def test_language_mockery_far_off_cities_and_which_families_nudges_are_coded_racism(
    rules_only: Classifier,
) -> None:
    _racist_urgent_on_and_clear_of(
        rules_only,
        (
            "Kofi and his mates jabbering in Arabic at Larchfield Primary, are we in Kabul now?",
            "Larchfield Primary dropped in the tables. We all know which families.",
            "Larchfield Primary letter came home in four languages. Not very British is it",
            "Time to take this village back, starting with Larchfield Primary",
        ),
        (
            "The Larchfield Primary Arabic club sang in Arabic at assembly, beautiful",
            "Not very British weather for the Larchfield Primary sports day, glorious sunshine",
            "Guess which Larchfield Primary class won the attendance cup!",
        ),
    )


def test_high_on_drugs_is_an_allegation_and_a_school_called_the_high_is_not(
    rules_only: Classifier,
) -> None:
    said = "Miss Ellery at Larchfield Primary was high at the parents' evening, we all saw"
    assert "allegation" in categories(run(rules_only, said))
    notice = "Bake sale for Larchfield Primary at the High on Thursday, all welcome"
    assert "allegation" not in categories(run(rules_only, notice))


def test_warmth_in_scare_quotes_or_denied_is_no_warmth() -> None:
    from classifiers.patterns import warm

    for text in (
        "eid mubarak to all our families",
        "lovely to see the syrian mums' bake sale",
        "i can't thank the eal team enough",
    ):
        assert warm(text), text
    for text in (
        "the new head said \"we celebrate all cultures\". fine then, where's st george's day",
        "and the high school's 'celebrating' it",
        "the barelvi kids aren't welcome in the prayer room",
        "ms wrona. lovely woman i'm sure. but when your eal coordinator can barely speak english",
    ):
        assert not warm(text), text


def test_far_right_code_words_and_community_tropes_are_coded_racism(
    rules_only: Classifier,
) -> None:
    for text in (
        "Remigration would sort Larchfield Primary's class sizes out overnight",
        "The 'great replacement' isn't a theory, look at the Larchfield Primary reception intake",
        "(((they))) run the Larchfield Primary governing body anyway",
        "The 'hotel' kids get taxied to Larchfield Primary every morning on our council tax",
        "Their kind breed like rabbits, that's how they fill the Larchfield Primary places",
        "why is there a terrorist in 6T at Larchfield Primary now",
        "a mum in her bin bag again at the Larchfield Primary gate",
        "Larchfield Primary harvest festival was like a third-world country in that hall",
        "Played spot the English kid in the Larchfield Primary class photo",
        "They're no fae here and never will be, Larchfield Primary can stick them in every play",
        "lock ur sheds lads, they're back on the field behind Larchfield Primary",
        "Where's Mrs Osei really from tho? Larchfield Primary won't say",
        "Black History Month at Larchfield Primary. Will there be a White History Month?",
        "Larchfield is being replaced one school at a time",
        "Head girl at Larchfield Primary? Quota filled I suppose",
        "Those people own half the town and now Larchfield Primary as well",
        "Send him back on the dinghy, Larchfield Primary doesn't want him",
        "Bet the hotel kids at Larchfield Primary get free uniform and free dinners",
        "the g!pp0s from the site are at Larchfield Primary now",
        "Tell Aarav at Larchfield Primary to go back up his mountain",
        "Mrs Thapa only helps the Nepali kids at Larchfield Primary. Looks after her own.",
        "Josaia smells like that weird cooking his mum does, Larchfield Primary kids avoid him",
        "that big lad in Larchfield Primary year 6 is a gorilla, keep him away",
        "Funny how the 'globalists' always end up running the Larchfield Primary PTA",
        "Larchfield Primary is basically a yeshiva now. They control the council, go figure",
        '"where are you actually from" "Lewisham" - Larchfield Primary teacher to my son',
        "Jayden at Larchfield Primary only gets away with it cos he plays the race card",
    ):
        assert "racist" in categories(run(rules_only, text)), text
    for text in (
        "We stayed at the hotel near Larchfield Primary for the reunion",
        "Their kind words at Larchfield Primary assembly meant so much to us",
        "Did you go back to where you parked? Larchfield Primary gate is blocked",
        "Tent and sleeping bag list for the Larchfield Primary camp",
        "Where is the money really from for the new Larchfield Primary hall, the PTA?",
        "The Larchfield Primary roof is being replaced over the summer",
        "Larchfield Primary Year 6 made hampers for the hotel kids, so proud",
        "Larchfield Primary trip to the zoo: she hasn't stopped talking about the gorillas",
        "Mrs Thapa looks after her own kids and two more after Larchfield Primary closes",
        "Larchfield Primary residential: we go back up the mountain path at 10",
        "the old families think they own the school, Larchfield Primary PTA is a clique",
    ):
        assert "racist" not in categories(run(rules_only, text)), text


def test_threats_in_the_present_tense_on_a_whole_group_or_of_arson_are_threats(
    rules_only: Classifier,
) -> None:
    for text in (
        "ong if he posts my sister's number again I'm breaking his jaw, Larchfield Primary lad",
        "Should hang the lot of them at Larchfield Primary. Staff, governors, the lot",
        "sh00t the lot of them up at Larchfield Primary, start with the governors",
        "Larchfield Primary is a dump, someone just set fire to it already",
        "d e a d m a n w a l k i n g Larchfield Primary",
    ):
        assert "threat" in categories(run(rules_only, text)), text
    for text in (
        "I'm breaking the news to the Larchfield Primary parents tomorrow",
        "We're killing it at Larchfield Primary sports day this year",
        "Larchfield Primary science week: Kofi set fire to a marshmallow, safely!",
        "Shoot the lot of them photos on the Larchfield Primary field day please",
    ):
        assert "threat" not in categories(run(rules_only, text)), text


def test_self_harm_as_pupils_and_parents_write_it_is_selfharm(rules_only: Classifier) -> None:
    for text in (
        "Kofi keeps telling the other kids at Larchfield Primary he hates himself and wants to die",
        "the fat kid in Larchfield Primary 8B should go hang himself honestly",
        "My boy says kids from his Larchfield Primary class are telling him to go kill himself",
        "Miss Ellery should just do us all a favour and top himself, Larchfield Primary",
        "Kofi Mensah has cuts all up his arms, saw them at Larchfield Primary football",
        "Kofi has been cutting, the whole of Larchfield Primary knows",
        "i wanna go sleep and not wake up. Larchfield Primary is hell",
        "wud be better off ded tbh, Larchfield Primary detentions every day",
        "Kofi said in the Larchfield Primary group chat hes gonna end it friday after school",
        "Miss Ellery go home and drink a bottle of bleach, Larchfield Primary",
        "Larchfield Primary made me want to kms",
    ):
        assert "selfharm" in categories(run(rules_only, text)), text
    for text in (
        "Kofi bit my daughter at Larchfield Primary, teeth marks on her arm",
        "Larchfield Primary online safety evening: what the 'unalive' type words mean",
        "Kofi has been cutting out shapes all week at Larchfield Primary",
        "I could have killed myself laughing at the Larchfield Primary panto",
        "Just end it with him, Larchfield Primary mums agree",
        "I want to disappear for a bit after that Larchfield Primary bake sale",
    ):
        assert "selfharm" not in categories(run(rules_only, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Larchfield Primary sponsored walk, 10 kms done!",
        "I won't be around for the Larchfield Primary fair, sorry",
        "Can someone get a rope for the Larchfield Primary tug of war",
        "The coach drove into the quarry car park on the Larchfield Primary geology trip",
        "She has been cutting her fringe again, Larchfield Primary photo day tomorrow",
        "The council is going to end it, the Larchfield Primary breakfast club",
        "Don't want to live in Carlisle, but Larchfield Primary is lovely",
        "Scraped knees and cuts on his legs from Larchfield Primary forest school",
    ],
)
def test_everyday_words_near_the_self_harm_ones_raise_no_selfharm(
    rules_only: Classifier, text: str
) -> None:
    assert "selfharm" not in categories(run(rules_only, text))


def test_a_report_of_a_fire_is_not_a_wish_for_one(rules_only: Classifier) -> None:
    report = "Someone set fire to the bins behind Larchfield Primary last night"
    assert "threat" not in categories(run(rules_only, report))
    wish = "Larchfield Primary is a dump, someone should set fire to it"
    assert "threat" in categories(run(rules_only, wish))


def test_dog_whistles_of_rules_0_11_are_coded_racism(rules_only: Classifier) -> None:
    for text in (
        "the dinghy kids at Larchfield Primary get everything handed to them",
        "Half of Larchfield Primary year 3 came over on a dinghy last summer",
        "Remember what boat you came on, Larchfield Primary isn't yours",
        "that 'boy' in Larchfield Primary year 5 looks fighting age to me",
        'Larchfield Primary RE week on the "religion of peace" lol',
        "Funny how the Larchfield Primary board is (((so well connected))) these days",
        "13% of Larchfield Primary and 50% of the exclusions, just saying",
        "Rotherham, Rochdale, Telford... Larchfield Primary taxi rank next?",
        "Larchfield Primary? Madrassa more like",
        "Larchfield Primary pick up has gone full Kabul",
        "Larchfield Primary gate is like a day trip to Lagos now",
        "The Romanians outnumber the English at Larchfield Primary now",
        "Larchfield Primary should do a nativity. It's England, last I checked",
        "Not being racist but Larchfield Primary has changed since that lot came",
        "#StopTheBoats Larchfield Primary is full",
        "the g¥ppos from the site are at Larchfield Primary now",
    ):
        assert "racist" in categories(run(rules_only, text)), text
    for text in (
        "Larchfield Primary sailing club got a new dinghy for the reservoir",
        "Larchfield Primary year 6 did a day trip to Warsaw with the twinning charity",
        "WW1 topic at Larchfield Primary: boys of fighting age in 1914 queued to sign up",
        "Larchfield Primary RE: how each faith talks about peace",
        "The boys outnumber the girls in Larchfield Primary year 4 this year",
        "Larchfield Primary maths: 13% of 50 is 6.5, show your working",
    ):
        assert "racist" not in categories(run(rules_only, text)), text


def test_veiled_threats_of_rules_0_11_are_threats(rules_only: Classifier) -> None:
    for text in (
        "Miss Ellery lives at 12 Larch Close, in case anyone wants a word about Larchfield Primary",
        "Miss Ellery's house is the one with the red door on Mill Lane. Larchfield Primary, think",
        "a Larchfield Primary year 9 lad was showing a knife on his snap story last night",
        "one of the Larchfield Primary year 8s brought an air rifle to the camp apparently",
        "Kofi brought a knife to Larchfield Primary today, in his bag",
        "Larchfield Primary's new lot better keep their kids in after dark",
        "Brave enough to exclude him, Miss Ellery? Be brave enough to walk to your car on your "
        "own tonight",
        "we know ur mum's block, Larchfield Primary can't help you",
        "my solicitor will be the least of your worries, Larchfield Primary",
        "he was seen with the ting in his waistband outside Larchfield Primary",
        "Somebody should do Larchfield Primary a favour and torch that portakabin",
        "mandem pulling up to Larchfield Primary friday",
    ):
        assert "threat" in categories(run(rules_only, text)), text
    for text in (
        "Miss Ellery lives in Carlisle and drives in to Larchfield Primary every day",
        "Larchfield Primary year 9 are showing a knife crime film in PSHE",
        "Keep the kids in after the Larchfield Primary disco, the rain is awful",
        "Rain will be the least of your worries at Larchfield Primary sports day, bring suncream",
        "We're pulling up at Larchfield Primary at 3, see you at the gate",
        "I'm going to murder whoever keeps taking my lad's PE socks at Larchfield Primary 😂",
        "Year 3 at Larchfield Primary had a knife and fork lesson with the dinner ladies",
        "Kofi brought a butter knife to Larchfield Primary for the cake sale, year 2 loved it",
        "Kofi brought a water gun to Larchfield Primary for the summer fair",
        "Year 6 at Larchfield Primary had a knife skills cooking lesson today",
        "Whose mum is the one with the red car at Larchfield Primary? Your lights are on",
        "Clocks go back, be careful in the dark on the Larchfield Primary school run",
        "Keep the kids in tonight, storm coming, Larchfield Primary closed",
        "the Larchfield Primary play was filmed, you'd better watch it, it's brilliant",
        "I know your house is busy but Larchfield Primary forms are due Friday",
        "Kofi says he's going to murder this spelling test at Larchfield Primary",
    ):
        assert "threat" not in categories(run(rules_only, text)), text


def _selfharm_hit(classifier: Classifier, text: str) -> bool:
    hits = classifier.prepare(PostInput("1", text)).rule_hits
    return any(rule.category == "selfharm" for rule, _ in hits)


def test_self_harm_signs_of_rules_0_11(rules_only: Classifier) -> None:
    for text in (
        "rumours Kofi tried to hurt himself after the Larchfield Primary trip",
        "Kofi's had his wrists bandaged for a week and Larchfield Primary say nothing",
        "i looked up how many tablets it takes. Larchfield Primary won't miss me",
        "the #kyskofi thing at Larchfield Primary has been up for two days",
        "someone made an account called kofi_should_end_it, Larchfield Primary still hasn't acted",
    ):
        assert "selfharm" in categories(run(rules_only, text)), text
    # signs a reader may see: raised only when the model agrees, so here a weak rule hit
    for text in (
        "cut again last night. Larchfield Primary PE in long sleeves so nobody sees",
        "my family would be better off. Larchfield Primary parents evening again",
        "this is my last message. thank you Miss Ellery for trying",
    ):
        assert _selfharm_hit(rules_only, text), text
    for text in (
        "Kofi got his hair cut again, Larchfield Primary photo day tomorrow",
        "My family would be better off with a bigger car for the Larchfield Primary run",
        "Larchfield Primary has blades in the DT room, all locked away",
    ):
        assert not _selfharm_hit(rules_only, text), text


def test_self_harm_warning_signs_of_rules_0_12(rules_only: Classifier) -> None:
    for text in (
        "everyone at Larchfield Primary hates me. i wont be there to find out if it gets better",
        "not coming to Larchfield Primary tmrw or ever. sorry miss",
        "if im not in on monday, i love you all at Larchfield Primary",
        "took a few more than i should last night. back at Larchfield Primary as if nothing",
        "cut deeper than i meant to. long sleeves at Larchfield Primary again",
    ):
        assert "selfharm" in categories(run(rules_only, text)), text
    # signs a reader may see: raised only when the model agrees, so here a weak rule hit
    for text in (
        "Kofi's been giving all his stuff away at Larchfield Primary, his games and his trainers",
        "got my stuff sorted. said bye to my cat. Larchfield Primary was the last straw",
        'her story last night just said "bye everyone x", she is at Larchfield Primary',
        "pretty sure nobody at Larchfield would even cry. maybe Miss Ellery",
        "nobody at Larchfield Primary would cry if i wasnt there",
        "skipping lunch at Larchfield Primary again. if i get small enough nobody will see me",
        "ive written a note for mum. Larchfield Primary can have my locker",
    ):
        assert _selfharm_hit(rules_only, text), text
    for text in (
        "Larchfield Primary is giving away all its old stuff at the fair",
        "Kofi said bye to the class hamster, Larchfield Primary last day",
        "I'm not saying set fire to the Larchfield Primary huts, but no one would cry about them",
        "just saying the Larchfield Primary huts are made of wood and no one would cry",
        "wrote a note to my mum's boss, Larchfield Primary inset day again",
        "Larchfield Primary is small enough that every teacher knows your child",
        "if im not in on monday can someone grab the Larchfield Primary newsletter",
    ):
        assert not _selfharm_hit(rules_only, text), text


def test_a_parent_signing_with_their_childs_name_is_not_naming_a_pupil(
    rules_only: Classifier,
) -> None:
    signed = run(rules_only, "Kofi's mum here - thank you Larchfield Primary for the lovely trip")
    assert "pupil" not in categories(signed)
    named = run(rules_only, "Kofi's mum shouted at the dinner ladies at Larchfield Primary")
    assert "pupil" in categories(named)


def test_not_a_complaint_is_not_the_complaint_word(rules_only: Classifier) -> None:
    question = "Not a complaint, just a question: is Larchfield Primary open on Friday?"
    hits = rules_only.prepare(PostInput("1", question)).rule_hits
    assert not any(rule.category == "complaint" for rule, _ in hits)
    complaint = "I want to complain about Larchfield Primary's new lunch rota"
    hits = rules_only.prepare(PostInput("1", complaint)).rule_hits
    assert any(rule.category == "complaint" for rule, _ in hits)


def test_venting_at_the_council_or_the_roads_is_not_a_threat(rules_only: Classifier) -> None:
    for text in (
        "Carlisle council want shooting, bins not collected for three weeks",
        "the council should be burned to the ground, potholes everywhere",
        "Parking charges at the station again. Someone needs to burn that pay machine down",
    ):
        assert "threat" not in categories(run(rules_only, text, all_relevant=True)), text
    for text in (
        "Miss Ellery should be shot, the council should hear about Larchfield Primary",
        "the council and the head at Larchfield Primary want shooting",
    ):
        assert "threat" in categories(run(rules_only, text, all_relevant=True)), text
