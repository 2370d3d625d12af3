"""Is a post about *this* school? Names and aliases, location with school words, roster hits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.normalise import Normalised, normalise
from classifiers.types import Evidence, Mention
from config import SchoolSettings

SCHOOL_WORDS = re.compile(
    r"(?<![\w])(?:schools?|primary|academy|teachers?|teaching assistants?|head ?teachers?|"
    r"the head|head's|headmistress|headmaster|deputy(?: head)?|senco|sen|ehcp|classroom|"
    r"class teacher|form tutor|head of year|playground|pta|governors?|reception(?: class)?|"
    r"receptionist|(?:year|yr) ?(?:[1-9]|1[0-3])|y[1-9]|nursery|pupils?|sports day|nativity|"
    r"school gates?|the gates|dinner lad(?:y|ies)|lunch lad(?:y|ies)|midday supervisors?|"
    r"caretaker|lunchtime|parents'? evening|ofsted|home ?work|uniform|detentions?|"
    r"exclu(?:de|ded|ding|sion|sions)|suspended|school trip|residential|school run|"
    r"drop ?off|pick ?up|staff ?room|the office|class ?mates?|school council|admissions|"
    # year groups and forms as the four nations write them: Year 7, Yr 10, Y6, P1-P7 (Scotland
    # and Northern Ireland primaries), S1-S6 (Scottish secondaries), form codes like 7W or 10C
    r"(?:year|yr) ?1[0-4]s?|(?:year|yr) ?[1-9]s|y[1-9]s|p[1-7]s?|s[1-6]s?|"
    r"(?:[7-9]|1[0-3])[a-jlnoqruvwyz]|sixth form|"
    r"(?:lower|upper) sixth|key stage ?[1-5]|ks[1-5]|sats|gcses?|a[ -]levels?|highers|prelims|"
    r"nat ?5s?|form (?:group|class)|tutor group|inset(?: day)?|the academy|sen(?:co|d) unit|"
    r"school bus|school dinners?|school photos?|the jannie|janitor|head of (?:house|department))"
    r"(?![\w])"
)
# Another school named outright ("Moorside Academy", "St Mary's Primary") makes a post about it.
_A_SCHOOL = re.compile(
    r"\b((?:St\.? )?[A-Z][\w'’]+(?:\s+(?:[A-Z][\w'’]+|of|and|&))*)\s+"
    r"(?:C\.?\s?of\s?E\.?\s+|CE\s+|RC\s+)?"
    r"(?:Primary|Academy|School|High|College|Grammar|Infants?|Juniors?|Secondary|Nursery|"
    r"Comprehensive|Prep)\b"
    # Welsh and Irish names put the kind of school first: "Ysgol Glan Ceiriad", "Scoil Bhríde"
    r"|\b(?:Ysgol|Scoil|Gaelscoil|Coláiste)(?:\s+[A-Z][\w'’]+)+"
)
# What a place's name is lent to besides a school: roads, churches, teams, pubs, shops.
_LENT_TO = (
    r"road|rd|street|st|lane|avenue|close|park|church|fc|afc|"
    r"rovers|united|utd|city|town|athletic|wanderers|rangers|arms|inn|pub|hotel|surgery|"
    r"pharmacy|station|estate|methodist|baptist|chapel|parish|village hall|club|cc|"
    r"community cent(?:re|er)|garage|motors|farm|medical|dental|practice|care home|nursing home|"
    r"hospice|cemetery|tavern|bar|caf[eé]|bakery|salon|harriers|bowls|golf|tennis|leisure|"
    r"crescent|drive|terrace|gardens|retail park|industrial estate|dance|driving|"
    # the shops, venues and clubs a place's name is lent to
    r"rfc|rufc|wmc|social(?: club)?|working men'?s|legion|chippy|chip shop|fish bar|takeaway|"
    r"tandoori|kebabs?|pizza|restaurant|curry house|carvery|co-?op|spar|stores?|shop|newsagents?|"
    r"butchers?|post office|mosque|temple|gurdwara|synagogue|allotments?|bank(?! holiday)|"
    r"sports cent(?:re|er)|swimming pool|baths|scouts|brownies|guides|cubs|"
    r"(?:(?:academy|school|college) )?of (?:dance|music|ballet|drama|performing arts|"
    r"martial arts|gymnastics|hair|beauty|motoring|football|boxing|karate|theatre)"
)
# A place name followed by one of these is a street, a church, a club or a shop, not our school:
# "Roose Road", "St Aidric's Church", "Ashcroft Lane (the road, not the school)". After a
# possessive a sport is the school's own ("Ashcombe's rugby"), unless it is a club ("St Aldric's
# Cricket Club").
_LENT = re.compile(rf"^\s*\(?\s*(?:the\s+)?(?:football|rugby|cricket|players|{_LENT_TO})\b")
_LENT_AFTER_POSSESSIVE = re.compile(
    r"^\s*\(?\s*(?:the\s+)?(?:(?:football|rugby|cricket|hockey|netball|tennis|golf|bowls|boxing) "
    rf"club|{_LENT_TO})\b"
)
_POSSESSIVE = re.compile(r"^(?:'s|s'|s)(?![\w])")


def lent_name(name: str, after: str) -> bool:
    """Whether our name, followed by ``after``, names a road, a club, a church or a shop."""
    possessive = _POSSESSIVE.match(after)
    if possessive:
        after = after[possessive.end() :]
    if possessive or name.endswith(("'s", "s'")):
        return _LENT_AFTER_POSSESSIVE.match(after) is not None
    return _LENT.match(after) is not None


_FULL_NAMES = frozenset({"full name", "title and surname"})
# Words that say what kind of school it is, not which one: "Roose Community Primary School" is
# "Roose" to the people who write about it.
_GENERIC_WORDS = (
    "school schools primary academy academies community cofe coe ce c e of rc r church england "
    "catholic roman methodist junior juniors infant infants nursery high secondary college "
    "grammar the and trust free voluntary aided controlled federation girls boys girls' boys' "
    "upper lower middle first sixth form centre center studio foundation county village "
    "memorial endowed national learning campus multi all through international independent "
    "preparatory prep senior seniors integrated comprehensive technology specialist "
    "ysgol gynradd uwchradd cp cps vc va"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
# A single left-over word that is also everyday English or a common place word names nothing.
_TOO_COMMON_WORDS = (
    "park hill green valley moor field fields wood woods lane bridge grove meadow meadows oak "
    "oaks view side gate gates north south east west new old central city town river lake "
    "castle abbey priory manor hall vale heath common cross bay beach sea sands mount forest "
    "orchard rise court house farm mill market street road way holy trinity all saints "
    "st saint mary mary's peter paul john james george michael martin king kings queen queens "
    "royal little great grange brook ford dale bank edge end top our lady "
    # a people or a language: "the Welsh school" is not called "Welsh"
    "welsh english scottish irish british gaelic cymraeg gymraeg"
)
_TOO_COMMON = frozenset(_TOO_COMMON_WORDS.split())


def short_names(school: SchoolSettings) -> tuple[str, ...]:
    """The forms people use beside the full name: its distinctive words without Primary, School,
    Academy, CofE and the like ("Brackenholt"), with and without "St"/"Saint" and the
    possessive. A word that is the school's own town, or everyday English, is left out: it
    would name the town's talk or anything at all."""
    town = {w for w in re.findall(r"[\w']+", (school.location or "").lower())}
    found: list[str] = []
    for name in school.names:
        words = re.findall(r"[\w'’]+", name.lower().replace("’", "'"))
        saint = bool(words) and words[0] in ("st", "saint", "st.")
        core = [w for w in words if w not in _GENERIC and w not in ("st", "saint")]
        # Only the leading run of distinctive words: "King Edward VI Grammar" -> "king edward vi".
        lead: list[str] = []
        for w in words[1:] if saint else words:
            if w in _GENERIC:
                break
            lead.append(w)
        core = lead or core
        if not core:
            continue
        phrase = " ".join(core)
        bare = phrase.removesuffix("'s").removesuffix("s'")
        if all(w in _TOO_COMMON for w in core) or (len(core) == 1 and len(bare) < 4):
            continue
        if bare in town or phrase in town:
            continue
        forms = {phrase, bare, bare + "'s", bare + "s"}
        if saint:
            forms |= {f"st {f}" for f in (bare, bare + "'s", bare + "s")}
            forms |= {f"saint {f}" for f in (bare, bare + "'s")}
        found += sorted(forms)
    full = {n.lower() for n in school.names}
    return tuple(dict.fromkeys(f for f in found if f not in full))


ABOUT, UNSURE, ELSEWHERE = "about", "unsure", "elsewhere"
# A hashtag or handle runs the name together: "#RoosePrimary", "@rooseprimaryschool".
_TAG = re.compile(r"(?<![\w#@])[#@]([A-Za-z0-9_]{3,60})")
# What may follow our name inside a tag besides words of the name itself ("#RooseParents").
_TAG_TAIL = ("school", "primary", "academy", "pta", "parents", "parent", "staff", "family",
             "fam", "pupils", "kids", "official", "uk", "head", "office", "news")  # fmt: skip
_A_TYPE_AFTER = re.compile(
    r"^\s*(?:c\.?\s?of\s?e\.?\s+|ce\s+|rc\s+)?"
    r"(?:primary|academy|school|high|college|grammar|infants?|juniors?|secondary|nursery)\b"
)
# A school's phase, read from the kinds of school its names use: a town's primary is not the
# town's comprehensive, so "Kelderton Primary" is another school when we are "Kelderton Comp".
_PRIMARY_WORDS = re.compile(r"(?<![\w])(?:primary|infants?|juniors?|first school|nursery)(?![\w])")
_SECONDARY_WORDS = re.compile(
    r"(?<![\w])(?:high|secondary|grammar|college|comprehensive|comp|sixth form|"
    r"upper school)(?![\w])"
)
# Our name said only to say the post is not about us: "(not Oswin's!)", "nothing to do with
# Moorgate Park"
_NOT_US_BEFORE = re.compile(
    r"(?:(?<![\w])not|nothing to do with|isn'?t|wasn'?t|not at|not our)\W{1,3}(?:the\s)?$", re.I
)


# The poster says the post is not about the school: "nothing to do with the school before anyone
# asks", "not school related", "(club matter not school)"
_DISCLAIMED = re.compile(
    r"(?<![\w])(?:(?:nothing|nowt|naught) to do wi(?:th)? "
    r"(?:the |any |our |a |my kids'? |his |her )?(?:\w+ )?schools?|not (?:a )?school[- ]related|"
    r"(?:isn'?t|is not|not) (?:about|aimed at) (?:the|any|our) school|"
    r"not the school(?:'s fault)? before anyone|"
    r"(?:club|church|council|road|village) (?:matter|thing),? not (?:the )?school|"
    r"nothing to do with anything|not school business)(?![\w])",
    re.I,
)
# A teacher as pupils and parents name one: "Mr P", "Miss Hughes", "Sir"
_TITLED = re.compile(
    r"(?<![\w])(?:Mr|Mrs|Miss|Ms|Mx)\.?\s+[A-Z][\w'’-]*|(?<![\w])[Ss]ir(?=[\s,.!?]|$)"
)


@dataclass(frozen=True)
class Relevance:
    """``verdict``: ``about`` (something in the post ties it to the school), ``unsure`` (nothing
    either way) or ``elsewhere`` (it names another school, or our name as a road, club or pub)."""

    verdict: str
    evidence: tuple[Evidence, ...]
    reason: str

    @property
    def relevant(self) -> bool:
        return self.verdict == ABOUT


class RelevanceStage:
    def __init__(self, school: SchoolSettings) -> None:
        self._school = school
        self.short_names = short_names(school)
        shorts = set(self.short_names)
        self._names = [
            (
                re.compile(
                    r"(?<![\w])" + r"\s+".join(re.escape(w) for w in normalise(n).text.split())
                ),
                n in shorts,
            )
            for n in sorted((*school.names, *self.short_names), key=len, reverse=True)
        ]
        self._ours = [normalise(n).text for n in school.names]
        everything = " ".join(self._ours)
        primary = bool(_PRIMARY_WORDS.search(everything))
        secondary = bool(_SECONDARY_WORDS.search(everything))
        # the kinds of school we are not: known only when our names say one phase and not both
        self._other_phase = (
            _SECONDARY_WORDS if primary and not secondary
            else _PRIMARY_WORDS if secondary and not primary
            else None
        )  # fmt: skip
        # Each name with its spaces and apostrophes taken out, and the words that may follow it
        # inside a tag: the words of our own names ("#RoosePrimary"), never another kind of
        # school ("#RooseHigh") or a club ("#RooseFC").
        self._tag_names = sorted(
            {re.sub(r"[\W_]+", "", normalise(n).text) for n in (*school.names, *shorts)} - {""},
            key=len,
            reverse=True,
        )
        own_words = {w for n in school.names for w in re.findall(r"[a-z]+", normalise(n).text)}
        self._tag_tails = sorted(own_words | set(_TAG_TAIL), key=len, reverse=True)
        self._location = (
            re.compile(r"(?<![\w])" + re.escape(normalise(school.location).text) + r"(?![\w])")
            if school.location
            else None
        )

    def school_named(self, norm: Normalised) -> list[Evidence]:
        found: list[Evidence] = []
        # A longer name read as a road, club or shop takes its shorter forms with it: once
        # "Cobden Moor Golf Club" is the golf club, its "Cobden" names no school either.
        lent: list[tuple[int, int]] = []
        for pattern, short in self._names:
            for match in pattern.finditer(norm.text):
                after = norm.text[match.end() :]
                if lent_name(match.group(0), after):
                    lent.append(match.span())
                    continue
                if any(match.start() < e and s < match.end() for s, e in lent):
                    continue
                typed = _A_TYPE_AFTER.match(after)
                # a short name before a kind of school is another school ("Roose High"), and so
                # is any of our names before the other phase's kind ("Kelderton Primary" when we
                # are the town's comprehensive)
                if typed and (short or (self._other_phase and self._other_phase.search(typed[0]))):
                    continue
                if match.end() < len(norm.text) and norm.text[match.end()].isalnum():
                    continue
                if any(match.start() < e.end and e.start < match.end() for e in found):
                    continue
                start, end = norm.span(match.start(), match.end())
                found.append(Evidence(start, end, norm.original[start:end]))
        for tag in _TAG.finditer(norm.original):
            if self._tag_names_us(tag.group(1)) and not any(
                tag.start() < e.end and e.start < tag.end() for e in found
            ):
                found.append(Evidence(tag.start(), tag.end(), tag.group(0)))
        return found

    def _tag_names_us(self, tag: str) -> bool:
        """``RoosePrimary``, ``rooseprimaryschool``, ``Roose_PTA``: one of our names run
        together, followed only by words of our names or a few words a school's own tag uses."""
        word = tag.lower().replace("_", "")
        for name in self._tag_names:
            if not word.startswith(name):
                continue
            rest = word[len(name) :]
            while rest:
                tail = next((t for t in self._tag_tails if rest.startswith(t)), None)
                if tail is None:
                    break
                rest = rest[len(tail) :]
            if not rest or rest.isdigit():
                return True
        return False

    def other_school(self, norm: Normalised) -> str | None:
        """The name of a school that is not ours, if the post names one."""
        ours = self._ours
        for match in _A_SCHOOL.finditer(norm.original):
            phrase = normalise(match.group(0)).text
            if not any(name in phrase or phrase in name for name in ours):
                return match.group(0)
            if self._other_phase and self._other_phase.search(phrase) and phrase not in ours:
                return match.group(0)  # "Kelderton Primary" when we are Kelderton Comp
        return None

    def judge(
        self, norm: Normalised, mentions: list[Mention], named: list[Evidence] | None = None
    ) -> Relevance:
        """Relevant: names the school; names someone on the roster (a bare first name counts
        only with school words around it); or talks in school words without naming another
        school, as parents do on the school's own page and in local groups."""
        if named is None:
            named = self.school_named(norm)
        denied = bool(named) and all(_NOT_US_BEFORE.search(norm.original[: e.start]) for e in named)
        other = self.other_school(norm) if denied or not named else None
        if denied and other is not None:
            return Relevance(
                ELSEWHERE, (), f"is about another school ({other!r}) and says it is not us"
            )
        if named:
            return Relevance(ABOUT, tuple(named), f"names the school ({named[0].text!r})")
        if other is not None:
            # Another school named outright wins over anything weaker than a full name.
            mentions = [m for m in mentions if m.how in _FULL_NAMES]
        if mentions:
            m = mentions[0]
            evidence = Evidence(m.start, m.end, norm.original[m.start : m.end])
            return Relevance(ABOUT, (evidence,), f"names someone on the roster ({m.how})")
        if other is not None:
            return Relevance(ELSEWHERE, (), f"is about another school ({other!r})")
        disclaimed = _DISCLAIMED.search(norm.original)
        if disclaimed:
            return Relevance(ELSEWHERE, (), f"says it is not about the school ({disclaimed[0]!r})")
        word = SCHOOL_WORDS.search(norm.text)
        said = norm.original[slice(*norm.span(word.start(), word.end()))] if word else ""
        if self._confusable(norm):
            if word:  # "the deputy's getting glassed next time he's in the Aldhelm Arms"
                return Relevance(UNSURE, (), "uses the school's name for a road, club or place, "
                                 f"but talks about school life ({said!r})")  # fmt: skip
            titled = _TITLED.search(norm.original)
            if titled:  # "gonna catch Mr P slippin by the Brackenholt Co-op"
                return Relevance(UNSURE, (), "uses the school's name for a road, club or place, "
                                 f"but names a teacher as pupils do ({titled[0]!r})")  # fmt: skip
            return Relevance(
                ELSEWHERE, (), "uses the school's name for something else (a road, club or place)"
            )
        if word and self._location:
            place = self._location.search(norm.text)
            if place:
                start, end = norm.span(place.start(), place.end())
                return Relevance(
                    ABOUT,
                    (Evidence(start, end, norm.original[start:end]),),
                    "names the school's town together with school words",
                )
        if word:
            start, end = norm.span(word.start(), word.end())
            return Relevance(
                ABOUT,
                (Evidence(start, end, said),),
                f"talks about school life ({said!r}) and names no other school",
            )
        return Relevance(UNSURE, (), "does not name the school, its town or anyone on the roster")

    def _confusable(self, norm: Normalised) -> bool:
        for pattern, _ in self._names:
            for match in pattern.finditer(norm.text):
                after = norm.text[match.end() :]
                if lent_name(match.group(0), after) or _A_TYPE_AFTER.match(after):
                    return True
        return False

    def has_school_words(self, norm: Normalised) -> bool:
        return SCHOOL_WORDS.search(norm.text) is not None
