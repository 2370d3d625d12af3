"""A shared search's posts that no member school could be named for ("unclaimed"): kept, never
dropped, and those that raise a safety category put before a person in every member school.

A shared search found the post for *some* member, so it is read as if it were about each of
them (``all_relevant``) by each member's own classifier (:func:`screen`). Every member keeps one
row of it (``Post.unclaimed`` holds the safety categories any member's check raised, ``[]`` for
none). In a school, :func:`unsure_result` keeps only the safety flags, demoted to
``UNSURE_SEVERITY`` and marked "not sure which school", so the post reaches the review queue and
the digest but never an urgent e-mail on a guess; a category another member's check raised and
this school's did not is added without that school's evidence or reasons (no roster crosses
between schools). A post with no safety category is stored unflagged and counted on the trust
page. Pure functions: no database, no network.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from classifiers import Classifier, Flag, PostInput, Result
from config import SEVERITIES

log = logging.getLogger(__name__)

SAFETY = ("threat", "racist", "pupil", "selfharm")
UNSURE_SEVERITY = "medium"  # in the queue and the digest; not e-mailed at once by default
NOTE = "Found by the trust's shared search; not sure which school."
SHARED_STAGE = "shared"


def safety_categories(result: Result) -> list[str]:
    raised = {f.category for f in result.flags}
    return [c for c in SAFETY if c in raised]


def screen(texts: Sequence[str], classifiers: Mapping[str, Classifier]) -> list[list[str]]:
    """For each text (cut as a cycle cuts it), the safety categories any member school's
    classifier raises on it, read as if it were about that school. A classifier that fails on a
    text is logged and skipped: the post is still kept, and each school's own classification
    quarantines it if it fails there too."""
    raised: list[set[str]] = [set() for _ in texts]
    inputs = [PostInput(str(i), text, "school") for i, text in enumerate(texts)]
    for school, classifier in classifiers.items():
        try:
            results = classifier.classify(inputs, all_relevant=True)
        except Exception:  # noqa: BLE001 - found below, one post at a time
            results = []
            for item in inputs:
                try:
                    results.append(classifier.classify([item], all_relevant=True)[0])
                except Exception:  # noqa: BLE001 - one hostile post must not lose the others
                    log.exception("unclaimed post could not be screened for school %s", school)
                    results.append(Result(item.id, False))
        for found, result in zip(raised, results, strict=True):
            found.update(safety_categories(result))
    return [[c for c in SAFETY if c in found] for found in raised]


def demote(severity: str) -> str:
    """The less severe of ``severity`` and ``UNSURE_SEVERITY``."""
    return max(severity, UNSURE_SEVERITY, key=SEVERITIES.index)


def unsure_result(result: Result, raised: Sequence[str]) -> Result:
    """One school's reading of an unclaimed post (classified with ``all_relevant``): its own
    safety flags demoted and marked, plus a marked flag for each category another member's
    check raised (``raised``) and its own did not; nothing else. No flag: not relevant."""
    flags: list[Flag] = []
    for flag in result.flags:
        if flag.category not in SAFETY:
            continue
        flags.append(Flag(flag.category, flag.score, demote(flag.severity), flag.evidence,
                          f"{NOTE} {flag.reason}", flag.stage))  # fmt: skip
    own = {f.category for f in flags}
    for category in raised:
        if category in SAFETY and category not in own:
            flags.append(Flag(
                category, 0.5, UNSURE_SEVERITY, (),
                f"{NOTE} Another school of the trust found {category} in it; read it to "
                "decide whether it is about this school.", SHARED_STAGE,
            ))  # fmt: skip
    if not flags:
        return Result(result.id, False, (), (), f"{NOTE} Nothing for safety in it.")
    return Result(result.id, True, tuple(flags), result.mentions, NOTE)
