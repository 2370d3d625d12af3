"""Clear, explainable patterns per policy category, run on normalised text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_LEXICONS = Path(__file__).parent / "lexicons"


@dataclass(frozen=True)
class PatternRule:
    category: str
    name: str
    pattern: re.Pattern[str]
    score: float
    needs_target: bool


def _rule(category: str, name: str, regex: str, score: float, needs_target: bool) -> PatternRule:
    return PatternRule(category, name, re.compile(regex), score, needs_target)


_I_WILL = r"(?:i'?ll|i will|i'?m (?:going to|gonna)|i am (?:going to|gonna)|gonna|we'?ll|we will)"
_HARM = (
    r"(?:kill|hurt|stab|shoot|smash|batter|punch|beat|burn|knock|glass|deck|break|kick|"
    r"strangle|murder|do in|sort (?:him|her|them|you) out)"
)
_GROUP = (
    r"immigrants?|foreigners?|foreign (?:kids|families|lot|people)|asylum seekers?|refugees?|"
    r"migrants?|polish|romanians?|eastern europeans?|pakis?tanis?|muslims?|islam\w*|"
    r"gypsy|gypsies|gipsies|travellers?|pikeys?|blacks?|black (?:kids|families|people)|"
    r"asians?|chinese|africans?|arabs?|jews?|jewish|indians?|somalis?|"
    r"them lot|their lot|her lot|his lot|that lot|people like (?:them|her|him)"
)
_HOSTILE = (
    r"ruin(?:ed|ing|s)?|dirty|filthy|thie(?:f|ves)|scroungers?|invad\w*|invasion|taking over|"
    r"took over|swamp\w*|breed\w*|vermin|animals|savages?|terrorists?|smell\w*|stink\w*|"
    r"go back|send (?:them|em) back|not welcome|don'?t belong|shouldn'?t be (?:here|teaching|allowed)|"
    r"hates? our|kicking off|never had these"
)
_STAFF_OR_SCHOOL = (
    r"(?:teachers?|head ?teachers?|the head|headmistress|headmaster|senco|staff|school|"
    r"deputy|governors?|office|receptionist|dinner ladies|teaching assistant)"
)


@cache
def slur_rule() -> PatternRule:
    words: list[str] = []
    for line in (_LEXICONS / "slurs.rot13.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.append(codecs.decode(line.strip(), "rot13"))
    alternatives = "|".join(r"\s*".join(re.escape(w) for w in word.split()) for word in words)
    return _rule(
        "racist", "racial slur", rf"(?<![\w])(?:{alternatives})(?:s|z)?(?![\w])", 0.95, False
    )


def rules() -> tuple[PatternRule, ...]:
    return (
        _rule("threat", "threat of violence",
              rf"(?<![\w]){_I_WILL}\s+(?:\w+\s+){{0,2}}{_HARM}\b", 0.9, False),
        _rule("threat", "death or harm wish aimed at someone",
              r"(?<![\w])(?:(?:you'?re|he'?s|she'?s|they'?re|you are|he is|she is) (?:dead|finished|getting hurt)|"
              r"watch (?:your|his|her) back|gonna get (?:it|hurt|what'?s coming)|"
              r"coming for (?:you|him|her|them))(?![\w])", 0.85, False),
        _rule("threat", "weapon or attack on the school",
              r"(?<![\w])(?:bring(?:ing)? a (?:knife|gun|blade|machete)|"
              r"(?:burn|blow|shoot) (?:up |down )?(?:the|that|this) (?:school|place)|"
              r"wait(?:ing)? (?:for (?:him|her|them) )?(?:outside|at) the (?:school )?gates? (?:for|to))",
              0.9, False),
        _rule("racist", "telling someone to go back to their country",
              r"(?<![\w])(?:go|send (?:them|him|her)|ship (?:them|him|her)) back (?:to|where) "
              r"(?:your|their|his|her|they|he|she|you)\b", 0.85, False),
        _rule("racist", "hostility towards an ethnic, national or religious group",
              rf"(?<![\w])(?:{_GROUP})(?:\W+\w+){{0,6}}?\W+(?:{_HOSTILE})(?![\w])|"
              rf"(?<![\w])(?:{_HOSTILE})(?:\W+\w+){{0,6}}?\W+(?:{_GROUP})(?![\w])", 0.8, False),
        _rule("racist", "saying people do not belong here",
              r"(?<![\w])(?:send (?:them|em) (?:all )?(?:home|back)|go back (?:home|where)|"
              r"this is england|keep (?:it|\w+) (?:white|british|english)|"
              r"proper (?:british|english) (?:teacher|school|kids)|diversity hire|"
              r"(?:can'?t|cannot|don'?t) (?:even )?speak (?:proper )?english)(?![\w])", 0.8, False),
        _rule("allegation", "claim that wrongdoing was hidden",
              r"(?<![\w])(?:hush(?:ed|ing)? (?:it )?up|swept under the carpet|did nothing about|"
              r"knew about (?:it|the)|cover[- ]?up|pretending it never happened|"
              r"(?:falsif|fiddl|doctor|rigg)(?:y|ies|ied|ying|ed|ing|es|e)? (?:the |my |his |her )?"
              r"(?:results|figures|records|reports|books|attendance)|"
              r"pockets? the money|embezzl\w*|(?:drunk|high|stoned|smoking weed) (?:at|in|on))"
              r"(?![\w])", 0.75, True),
        _rule("allegation", "accusation of wrongdoing",
              r"(?<![\w])(?:stole|steals|stealing|hit|hits|slapped|grabbed|assaulted|abused|"
              r"abuses|bullies|bullied|drinks on the job|turns? a blind eye|covered (?:it )?up|"
              r"covering (?:it )?up|fiddl(?:es|ed|ing) the|lied to|lies to|drunk at|"
              r"(?:is|was) (?:a )?(?:drunk|thief|liar|fraud|paedo|pedo|nonce|racist|abuser))"
              r"(?![\w])", 0.75, True),
        _rule("offensive", "insult",
              r"(?<![\w])(?:useless|idiot|idiots|incompetent|pathetic|stupid|moron|morons|clueless|"
              r"vile|disgrace|cow|witch|joke of a|waste of space|thick as|scum|dinosaur|"
              r"lazy|two[- ]faced|nasty piece of work|shouldn'?t be (?:allowed near|teaching))"
              r"(?![\w])", 0.7, True),
        _rule("complaint", "complaint about the school",
              r"(?<![\w])(?:disgusting|appalling|shocking|shambles|worst school|disgraceful|"
              r"never (?:reply|replies|answer|answers|listen|listens)|nobody (?:listens|cares)|"
              r"no one (?:listens|cares)|complain(?:ed|ing|t)?|absolute joke|fuming|ridiculous|"
              r"not good enough|let down|failing (?:our|my|the) (?:kids|children)|"
              r"ignored (?:my|our) (?:emails?|calls?|concerns?))(?![\w])", 0.65, True),
        _rule("bullying", "telling someone to harm themselves",
              r"(?<![\w])(?:kill yourself|kys|hang yourself|go die|nobody likes (?:you|him|her)|"
              r"no one likes (?:you|him|her)|everyone hates (?:you|him|her)|"
              r"(?:you|he|she)(?:'?re| are| is) (?:so )?(?:fat|ugly|a loser|a freak|worthless))"
              r"(?![\w])", 0.85, False),
        slur_rule(),
    )  # fmt: skip


STAFF_OR_SCHOOL_WORDS = re.compile(rf"(?<![\w]){_STAFF_OR_SCHOOL}(?![\w])")
