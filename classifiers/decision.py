"""The target-aware decision: rule hits, roster people, spaCy cues and model scores -> flags.

Offensive, allegation and complaint need a target connected with the school; bullying needs a
targeted person; a parent's talk about their own child is not a pupil flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from classifiers.cues import Cue
from classifiers.learned import (
    PUPIL_TOKEN,
    SAFETY_TOKEN,
    SCHOOL_TOKEN,
    STAFF_TOKEN,
    LearnedModel,
)
from classifiers.normalise import Normalised
from classifiers.patterns import GROUP_WORDS, STAFF_OR_SCHOOL_WORDS, PatternRule, warm
from classifiers.relevance import SCHOOL_WORDS
from classifiers.types import Evidence, Flag, Mention, Result
from config import CATEGORIES
from config.settings import DEFAULT_SEVERITY, SEVERITIES

_STRONG = {"full name", "title and surname", "alias", "first name and initial"}
_OWN_CHILD = re.compile(
    r"(?<![\w])(?:my|our) (?:(?:little|eldest|youngest|oldest|middle) )?"
    r"(?:son|daughter|boy|girl|child|kid|lad|lass|little one|stepson|stepdaughter|eldest|youngest)"
    r"(?![\w])"
)
# "Our Kayleigh", "our Bilal": the North's and many British Asian families' way of naming one of
# their own (never "Our Lady" or "Our School").
_OUR_NAME = re.compile(
    r"(?<![\w])[Oo]ur (?!Lady|Lord|Father|Saviour|School|Head|Year|Class|Team|Community|Town|"
    r"Village|Church|Parish|Trust|Academy|Primary|Governors?|Teachers?|Staff|Kid\b|Lass\b|Lad\b)"
    r"[A-Z][a-z]+(?![\w])"
)
# A parent venting about their own household: "I'll kill my husband", "I will literally strangle
# my own child", "I'll murder him if he forgets his PE kit again 😂". Violent words, but no threat
# to anyone at the school: an urgent police e-mail here is the false alarm a school never forgives.
_HOUSEHOLD_TARGET = re.compile(
    r"(?<![\w])(?:kill|murder|strangle|throttle|batter|swing for|wring|ring|brain|throw|"
    r"disown|sell) (?:my|our) (?:own )?(?:(?:little|eldest|youngest|oldest|middle) )?"
    r"(?:husband|hubby|wife|partner|other half|fella|missus|kids?|child|children|son|"
    r"daughter|boy|girl|lad|lass|little one|mum|mam|dad|brother|sister|family|teenager|"
    r"dog|cat)s?(?:'s neck|(?!'s)(?![\w]))|"
    # the North's "our Kayleigh", "our kid": one of the family, never "our head" or "our teacher"
    r"(?<![\w])(?:kill|murder|strangle|throttle|swing for) our (?!head|teacher|deputy|school|"
    r"caretaker|senco|governor|principal|form|class|year|staff)[a-z]+(?![\w])|"
    # pests, pets and machines
    r"(?<![\w])(?:kill|murder|strangle|throttle) (?:the |those |that |them |these )?(?:pigeons?|"
    r"seagulls?|gulls?|slugs?|snails?|wasps?|mice|rats?|spiders?|flies|fox(?:es)?|squirrels?|"
    r"magpies?|crows?|geese|goose|printer|wifi|laptop|computer|alarm|hamster|dogs?|cats?|"
    r"collie)(?![\w])|"
    # an exam or a match to be "murdered": doing it well
    r"(?<![\w])(?:kill|murder|smash|destroy|slay) (?:this|that|the|my|his|her|their|these|those) "
    r"(?:\w+ )?(?:exams?|tests?|mocks?|papers?|gcses?|sats|quiz|interview|audition|presentation|"
    r"performance|solo|race|match|game|final|homework|essay)(?![\w])"
)
_HOUSEHOLD_TRIGGER = re.compile(
    r"(?<![\w])if (?:he|she|they|that wean|that child|my \w+) (?:\w+ ){0,2}(?:forgets?|forgot|"
    r"loses?|lost|leaves?|comes? (?:home|hame) without|asks? me|tells? me)(?![\w])|"
    # another lost coat, or whoever dreamt up the homework
    r"(?<![\w])(?:second|third|fourth|fifth|sixth|another|\d+(?:st|nd|rd|th)) (?:\w+ ){0,2}"
    r"(?:coat|blazer|jumper|cardigan|hoodie|bottle|book bag|bag|lunch ?box|shoe|trainer|hat|glove|"
    r"pe kit|kit|tie|one)s?(?: (?:this|in a) (?:term|week|year|month))?(?![\w])|"
    r"(?<![\w])whoever (?:invented|designed|set|came up with|thought up|dreamt up|decided on|"
    r"started|keeps? (?:taking|nicking|pinching|borrowing|losing|moving|eating|hiding)|took|nicked|"
    r"pinched|borrowed|ate|hid)"
    r"(?![\w])|"
    # a line quoted from oneself: '"I could strangle him" - me, after...'
    r"[\"”'] ?[-–—] ?me(?![\w])"
)
# A lost-property notice: the mood is a parent's, not a menace.
_LOST_PROPERTY = re.compile(
    r"^\W*(?:lost|found)\b|lost property|(?:please|pls) hand (?:it )?in|"
    r"if any ?(?:one|body) (?:finds?|has found|has seen)|"
    r"(?:has )?any ?(?:one|body) (?:found|seen|picked up|handed in) (?:a|an|my|his|her)|"
    r"name (?:on the )?(?:label|tag)|name tag"
)
_JOKING = re.compile(
    r"\U0001f602|\U0001f923|\U0001f648|\U0001f605|\U0001f606|\U0001f629|\U0001f62d|"
    r"(?<![\w])i won'?t\W*(?:,|\)|really)|(?<![\w])(?:lol|lmao|haha\w*|"
    r"literally|i swear|every (?:monday|tuesday|wednesday|thursday|friday|morning|night|week|"
    r"day|time)|third time|me,)(?![\w])"
)
_TITLES = re.compile(r"(?<![\w])(?:mr|mrs|miss|ms|sir|dr|teacher|head\w*|deputy)(?![\w])")


# "The ref should be shot", "that manager wants shooting", "the council want shooting": terrace
# talk about a match, or the same talk about the council and the roads, with no one from the
# school in it. Only the wishing kind of threat is let off; "I'll stab the ref" is not.
_VENTED_AT = re.compile(
    r"(?<![\w])(?:ref|refs|referee|linesman|var|manager|keeper|goalie|striker|back four|defence|"
    r"midfield|subs?|penalty|pens?|offside|fans|fc|afc|rovers|united|utd|wanderers|athletic|"
    r"thistle|swifts|stanley|\d-\d|"
    r"council|councillors?|roadworks|road ?works|planners|potholes|parking charges|pay machine|"
    r"bin men|bins|fly-?tippers|traffic wardens|highways|speed cameras?|temporary lights)(?![\w])"
)
_WISHED = re.compile(
    r"(?:should|needs? to|ought to|wants?|needs?) (?:\w+ )?(?:be )?(?:shot|shooting|hung|hanging|"
    r"strung up|sacked|burn(?:ed|t)?(?: down| to the ground)?|locked up)(?![\w])|"
    r"(?:should|needs? to) (?:burn|torch) (?:that|the|this) (?:\w+ )?(?:pay machine|machine|"
    r"camera|sign|lights?)(?: down)?(?![\w])"
)


def _terrace_venting(p: Prepared, target: _Target) -> bool:
    if target.person is not None or p.mentions or not _VENTED_AT.search(p.norm.text):
        return False
    if SCHOOL_WORDS.search(p.norm.text):
        return False
    spans = [p.norm.text[s:e] for rule, hits in p.rule_hits if rule.category == "threat"
             for s, e in hits]  # fmt: skip
    return bool(spans) and all(_WISHED.search(span) for span in spans)


# The frame of a veiled threat ("be a shame if...") finished by a let-down, not a harm: the model
# learned the frame from threats and scores the fair rained off as one.
_LETDOWN = re.compile(
    r"(?<![\w])(?:shame|pity) if (?:\w+ ){0,6}?(?:got |gets |was |is |were |are )?(?:rained off|"
    r"rain(?:s|ed)?(?: off| on)?|cancell?ed|called off|postponed|fell through|falls through|missed|"
    r"sold out|closed|didn'?t (?:go ahead|happen|run))(?![\w])"
)


# "Someone's going to get hurt one day" about a car park, a crossing or scramblers on the lane: a
# warning that an accident is coming, said of no one in particular. Not when it is the end of a
# condition ("one more letter and somebody's getting hurt", "if he doesn't see me I swear
# someone's getting hurt") or says who ("... and it won't be my kid", "and I know who"): those
# are threats. In the written sets and dev-3 the warning was a threat in 3 of 18 posts, each of
# them of those kinds.
_FORECAST = re.compile(
    r"(?<![\w])(?:some ?(?:one|body)|a (?:child|kid|little one|pupil|bairn|wean)|"
    r"one of (?:the|our|them|those) (?:kids|children|bairns|weans|pupils))"
    r"(?:'s|s| is| will|'ll)? ?(?:going to|gonna|gunna|gonnae|goin to)? ?(?:get|getting|be) "
    r"(?:seriously |badly )?(?:killed|hurt|run over|knocked (?:down|over)|injured)(?![\w])"
)
# A condition or an oath earlier in the same sentence makes the harm the poster's doing.
_CONDITION = re.compile(
    r"(?<![\w])(?:if|unless|swear|promise|mark my words|telling you|or else|otherwise)(?![\w])"
)
_FORECAST_AS_THREAT = re.compile(
    r"(?:(?<![\w])(?:and|or|otherwise|else)\W+$)|"
    r"(?<![\w])(?:it )?won'?t be (?:me|mine|my|the|us)|"
    r"(?<![\w])(?:it wont be|(?:i|we|you) know who|guess who|it'?ll be|it will be|hope it'?s)"
    r"(?![\w])"
)


def _accident_forecast(p: Prepared) -> bool:
    """The post's only threat words warn of an accident (see ``_FORECAST``)."""
    text = p.norm.text
    spans = [m.span() for m in _FORECAST.finditer(text)]
    if not spans or _FORECAST_AS_THREAT.search(text[spans[0][1] :]):
        return False
    if any(_FORECAST_AS_THREAT.search(text[max(0, s - 12) : s]) for s, _ in spans):
        return False  # "... and somebody's getting hurt": the end of a condition
    for start, _ in spans:
        sentence = re.split(r"[.!?\n]", text[:start])[-1]
        if _CONDITION.search(sentence):
            return False  # "if he doesn't see me I swear someone's getting hurt"

    def inside(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    hits = [span for rule, found in p.rule_hits if rule.category == "threat" for span in found]
    cues = [(c.start, c.end) for c in p.cues if c.kind == "threat"]
    return all(inside(s, e) for s, e in hits + cues)


# The model's racist score alone, without a rule's words: below RACIST_ALONE it counts only where
# another category's model also finds the post hostile (at least HOSTILE_ELSEWHERE). On model I's
# scores of the four sets w29-w32 (before they were trained on) this kept 115 of 118 racist hits
# and cleared 10 of 15 appropriate posts flagged racist; on w26-w28 and dev-3 it lost none of 96
# and cleared 1 of 2.
RACIST_ALONE = 0.3
HOSTILE_ELSEWHERE = 0.1
# Coded racism often names no people at all ("cheap labour and their families taking the
# places", "we all know who 'out of area' means"): a model racist score this high counts without
# a group word. Out of fold over the 48 written sets (three models, each school kept whole) the
# group-word gate had cleared 152 of the 256 racist posts missed; from 0.6 up, 53 of them came
# back for 29 false flags, 2 of them on appropriate posts.
RACIST_UNGATED = 0.6
# A warm word ("celebrating", "lovely") clears a model racist score, unless the model is this sure:
# sarcasm wears warm words ("Celebrating Romanian national day in assembly but nothing for St
# George's"). Out of fold: 11 of the 46 racist posts the warm check cleared, for 2 false flags.
RACIST_DESPITE_WARMTH = 0.8


def _hostile(p: Prepared) -> bool:
    return any(
        score >= HOSTILE_ELSEWHERE
        for category, score in p.model_scores.items()
        if category not in ("racist", "pupil")
    )


def _household_venting(p: Prepared, target: _Target) -> bool:
    """Violence aimed at the poster's own family, or at "him" over a forgotten PE kit in a post
    that laughs at itself, with no one at the school (named, described or a staff word) in it."""
    text = p.norm.text
    if _HOUSEHOLD_TARGET.search(text):
        return True
    if not (
        _HOUSEHOLD_TRIGGER.search(text) and (_JOKING.search(text) or _LOST_PROPERTY.search(text))
    ):
        return False
    if target.person is not None or any(not m.own_child for m in p.mentions):
        return False
    spans = [text[s:e] for rule, hits in p.rule_hits if rule.category == "threat" for s, e in hits]
    return not any(_TITLES.search(span) for span in spans)


_NOT_EVIDENCE = (
    "a an the at in on of to for from by with and or but is are was were be been am i you he she "
    "it we they me him her us them my your his its our their this that these those there here "
    "again so as if then than not no yes do does did has have had will would can could just "
    "after before about up down out over all any some more most very too also only still "
    # words every post about a school uses: never evidence on their own
    "school schools primary class kids kid children child pupils teacher teachers staff today "
    "week day days year term time mum dad parents son daughter"
)
_FUNCTION_WORDS = frozenset(_NOT_EVIDENCE.split())
AREA_GATE = "area"
SAFETY = frozenset({"threat", "racist", "pupil", "selfharm"})
AREA_OVERRIDE = 0.8  # a broad source's untied post is kept for a safety flag this sure
_PERSON_TARGET = {"offensive", "bullying"}
_NEEDS_TARGET = {"offensive", "bullying", "allegation", "complaint"}
_LABEL = {
    "pupil": "Names or describes a pupil",
    "allegation": "Allegation",
    "bullying": "Bullying",
    "offensive": "Offensive comment",
    "racist": "Racist comment",
    "threat": "Threat of violence",
    "complaint": "Complaint",
    "selfharm": "Self-harm or suicide risk",
}
# Where self-harm is named to help or to tell of a recovery: with no words of anyone at risk now
# (no urging, no at-risk rule), such a post raises no selfharm flag. Out of fold on the written
# sets this clears 6 appropriate posts and no selfharm one. Not "Samaritans" or "Childline"
# ("send him the Samaritans number. Actually no, don't" is urging), nor "the pastoral team" or
# CAMHS ("the pastoral team did nothing when she said she wanted to disappear").
_SUPPORT = re.compile(
    r"(?<![\w])(?:it gets better|doing (?:so much )?better now|awareness|prevention|"
    r"where to get help|talk to your kids|years? clean|spotted the signs)(?![\w])"
)
# A parent telling of their own child's recovery ("she was self-harming last year; the school got
# her through and she's doing brilliantly now") raises no selfharm flag, even though the at-risk
# words are there: nobody is at risk now. Not when it has started again, or when anyone is urged.
# In the written sets and dev-3: 4 appropriate posts cleared, no selfharm post among the 15 posts
# with such words.
_RECOVERED = re.compile(
    r"(?<![\w])(?:doing (?:so much |loads |a lot |really )?(?:better|brilliantly|well|great)|"
    r"got (?:her|him|them|us) through|(?:\d+|one|two|three|four|five|six|a few|some) "
    r"(?:weeks?|months?|years?) clean|on the mend|(?:out|through) the other side|"
    r"through the worst|thriving)(?![\w])"
)
_RELAPSE = re.compile(
    r"(?<![\w])(?:again|relaps\w*|started back|back to (?:it|cutting|hurting)|worse|but now)"
    r"(?![\w])"
)
_URGING = ("urging someone to harm or kill themselves", "telling someone to harm themselves")
_SEEN = {"patterns", "cues", "people"}  # stages that point at words a person can read


@dataclass
class Prepared:
    id: str
    norm: Normalised
    relevant: bool
    named: tuple[Evidence, ...]
    mentions: tuple[Mention, ...]
    cues: tuple[Cue, ...]
    rule_hits: tuple[tuple[PatternRule, list[tuple[int, int]]], ...]
    model_text: str
    model_scores: dict[str, float] = field(default_factory=dict)
    word_row: Any = None  # the post's word features, to say which words moved the model
    relevance: str = ""
    gate: str | None = None  # AREA_GATE: from a broad source with nothing tying it to the school


@dataclass(frozen=True)
class _Target:
    person: str | None  # "Mrs Whitfield", "a pupil", "the year 4 boy", "someone addressed"
    any: str | None  # person, or "the school", or a staff word


def _evidence(norm: Normalised, start: int, end: int) -> Evidence:
    o_start, o_end = norm.span(start, end)
    return Evidence(o_start, o_end, norm.original[o_start:o_end])


def _target(p: Prepared) -> _Target:
    for m in p.mentions:
        if not m.own_child:
            who = f"{m.display} (staff)" if m.kind == "staff" else f"a pupil ({m.initials})"
            return _Target(who, who)
    for cue in p.cues:
        if cue.kind == "pupil":
            return _Target("a pupil described in the post", "a pupil described in the post")
    word = STAFF_OR_SCHOOL_WORDS.search(p.norm.text)
    staff_word = word is not None and word.group(0) not in {"school", "office"}
    if staff_word and word is not None:
        return _Target(f"'{word.group(0)}'", f"'{word.group(0)}'")
    second = any(c.kind == "second person" for c in p.cues)
    if second:
        return _Target("someone addressed directly", "someone addressed directly")
    if p.named:
        return _Target(None, "the school")
    if word is not None:
        return _Target(None, f"'{word.group(0)}'")
    return _Target(None, None)


@lru_cache(maxsize=50_000)
def _term_pattern(term: str) -> re.Pattern[str]:
    """A model n-gram as it may stand in a post, compiled once per process."""
    return re.compile(r"(?<![\w])" + r"\W+".join(re.escape(w) for w in term.split()) + r"(?![\w])")


def _model_evidence(p: Prepared, model: LearnedModel, category: str) -> list[Evidence]:
    found: list[Evidence] = []
    tokens = [t for t in (PUPIL_TOKEN, STAFF_TOKEN, SCHOOL_TOKEN, SAFETY_TOKEN) if t]
    if p.word_row is None:
        return found
    for term in model.explain(p.word_row, category, top=5):
        if any(t in term for t in tokens) or all(w in _FUNCTION_WORDS for w in term.split()):
            continue
        match = _term_pattern(term).search(p.norm.text)
        if match:
            found.append(_evidence(p.norm, match.start(), match.end()))
    return found


def _without_nested(evidence: list[Evidence]) -> list[Evidence]:
    """Evidence in order of appearance, dropping empty spans and spans inside a longer one."""
    spans = sorted({e for e in evidence if e.end > e.start}, key=lambda e: (e.start, -e.end))
    kept: list[Evidence] = []
    for ev in spans:
        if not any(k.start <= ev.start and ev.end <= k.end for k in kept):
            kept.append(ev)
    return kept


def decide(
    p: Prepared,
    threshold: Callable[[str], float],
    model_threshold: Callable[[str], float],
    model: LearnedModel | None,
) -> Result:
    """``threshold`` applies to rule, cue and roster scores; ``model_threshold`` to model scores."""
    if not p.relevant:
        return Result(p.id, False, (), p.mentions, p.relevance)
    target = _target(p)
    own_child_talk = bool(
        _OWN_CHILD.search(p.norm.text)
        or _OUR_NAME.search(p.norm.original)
        or any(m.own_child for m in p.mentions)
    )
    venting = _household_venting(p, target) or _terrace_venting(p, target)
    forecast = _accident_forecast(p)
    recovered = (
        own_child_talk
        and _RECOVERED.search(p.norm.text) is not None
        and _RELAPSE.search(p.norm.text) is None
        and not any(rule.name in _URGING for rule, _ in p.rule_hits)
    )
    flags: list[Flag] = []
    for category in CATEGORIES:
        score = 0.0
        stages: list[str] = []
        evidence: list[Evidence] = []
        notes: list[str] = []
        severity = DEFAULT_SEVERITY[category]
        at_a_group = False  # hostility for a protected characteristic aims at everyone with it
        if category == "threat" and (venting or forecast):
            continue  # about the poster's own household, or a warning of an accident
        for rule, spans in p.rule_hits:
            if rule.category != category:
                continue
            if rule.severity and SEVERITIES.index(rule.severity) < SEVERITIES.index(severity):
                severity = rule.severity
                at_a_group = True
            score = max(score, rule.score)
            stages.append("patterns")
            evidence += [_evidence(p.norm, s, e) for s, e in spans]
            notes.append(rule.name)
        for cue in p.cues:
            if cue.kind == category:
                score = max(score, 0.8 if category == "threat" else 0.7)
                stages.append("cues")
                evidence.append(_evidence(p.norm, cue.start, cue.end))
                notes.append(cue.name)
        if category == "pupil":
            pupils = [m for m in p.mentions if m.kind == "pupil" and not m.own_child]
            if pupils:
                score = max(score, 0.9 if any(m.how in _STRONG for m in pupils) else 0.6)
                stages.append("people")
                evidence += [
                    Evidence(m.start, m.end, p.norm.original[m.start : m.end]) for m in pupils
                ]
                notes.append(
                    "names a pupil on the roster ("
                    + ", ".join(sorted({m.how for m in pupils}))
                    + ")"
                )
        learned = p.model_scores.get(category, 0.0)
        if category == "threat" and not evidence and _LETDOWN.search(p.norm.text):
            learned = 0.0  # "be a shame if the fair got rained off": the veiled frame, harmlessly
        if category == "pupil" and own_child_talk and not evidence:
            learned = 0.0  # a parent's own child, with no other pupil named or described
        if (
            category == "racist"
            and not evidence
            and (
                (not GROUP_WORDS.search(p.norm.text) and learned < RACIST_UNGATED)
                or (learned < RACIST_DESPITE_WARMTH and warm(p.norm.text))
            )
        ):
            learned = 0.0  # no people, faith or place pointed at, or a warm post: rules decide
        if category == "racist" and not evidence and learned < RACIST_ALONE and not _hostile(p):
            # A low racist score on a post with nothing else hostile in it (a mosque offering its
            # car park, a translated voice note about free uniform) is the model reacting to the
            # group word itself.
            learned = 0.0
        if model is not None and learned >= model_threshold(category):
            model_words = _model_evidence(p, model, category)
            if model_words:
                evidence = evidence or model_words
                # the words themselves close the reason when they are its only evidence
                notes.append(f"worded like the {category} posts the model learned from")
                stages.append("model")
            else:
                learned = 0.0  # a score the model cannot pin on any word is not shown to staff
        seen, own = score, learned  # the rules' and cues' own score; the model's own
        passed = score >= threshold(category) or "model" in stages
        if not passed and model is not None and score > 0:
            # A weak rule or cue and the model together: either alone may be wrong, so the
            # chance that both are is what is left (noisy-OR) against the model's threshold.
            combined = 1.0 - (1.0 - score) * (1.0 - learned)
            if combined >= model_threshold(category):
                passed = True
                learned = combined
                notes.append("the model agrees")
        score = max(score, learned)
        if not passed or not stages:
            continue
        if category in _NEEDS_TARGET:
            aimed = target.person if category in _PERSON_TARGET else target.any
            if aimed is None and not at_a_group:
                continue
        else:
            aimed = target.person if category == "pupil" else None
        if category == "selfharm" and seen < threshold(category) and _SUPPORT.search(p.norm.text):
            continue  # an awareness session, or a child's recovery told with thanks to the team
        if category == "selfharm" and recovered:
            continue  # the poster's own child, at risk once and better now
        if category == "selfharm" and severity == "urgent" and 0 < seen < threshold(category) \
                and own < 0.5:  # fmt: skip
            # Only the broad "talk of self-harm" words, and a model that is not sure: a wellbeing
            # notice or a parent's thanks for past help names the topic, not a child at risk now.
            severity = "high"
            notes.append("names self-harm but no one seen at risk, so raised for review")
        if severity == "urgent" and not _SEEN & set(stages):
            # Urgent means sure: the police route needs words a person can see. A model score
            # alone is raised for a person to read, not as an emergency.
            severity = "high"
            notes.append("no words of the kind found, so raised for review rather than as urgent")
        unique = _without_nested(evidence)
        words = ", ".join(repr(e.text) for e in unique[:3]) or "the post's wording"
        reason = f"{_LABEL[category]}: {'; '.join(dict.fromkeys(notes))} ({words})"
        if aimed:
            reason += f", aimed at {aimed}"
        flags.append(
            Flag(
                category=category,
                score=min(1.0, max(0.0, score)),
                severity=severity,
                evidence=tuple(unique),
                reason=reason,
                stage="+".join(dict.fromkeys(stages)),
            )
        )
    if p.gate == AREA_GATE:
        strong = [f for f in flags if f.category in SAFETY and f.score >= AREA_OVERRIDE]
        if not strong:
            return Result(p.id, False, (), p.mentions, p.relevance)
        note = "not tied to the school, but kept for a strong safety concern; " + p.relevance
        return Result(p.id, True, tuple(strong), p.mentions, note)
    return Result(p.id, True, tuple(flags), p.mentions, p.relevance)
