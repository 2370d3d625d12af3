"""The policy's letters to a parent, in the school's voice: the first request and the warning.

Plain text for the Headteacher to edit before sending. A school may replace either template by
putting its own ``letter-first-request.txt`` or ``letter-warning.txt`` in ``[alerts] letters_dir``.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)

from alerts.drafting import FILL, H48, NOW, clock
from alerts.facts import CaseFacts, Draft
from alerts.platforms import platform_report

# What each category means, in the words of the policy's list of inappropriate uses.
CONCERNS = {
    "pupil": "names or comments on a child who attends the school",
    "allegation": "makes allegations about staff or others connected with the school",
    "bullying": "could be regarded as cyber-bullying",
    "offensive": "makes negative or offensive comments about staff or others connected with "
    "the school",
    "racist": "contains racist comments",
    "threat": "threatens violence",
    "complaint": "makes complaints about the school or its staff",
}


class LetterTemplateError(ValueError):
    """A school's own letter template cannot be rendered; the message says where and why."""


LETTERS = {
    "first_request": ("letter-first-request.txt", "Letter: first request to remove"),
    "warning": ("letter-warning.txt", "Letter: written warning"),
}


@cache  # compiling a letter costs ~10 ms; the loaders still notice an edited template
def _env(letters_dir: Path | None) -> Environment:
    loaders: list[Any] = [PackageLoader("alerts", "templates")]
    if letters_dir is not None:
        loaders.insert(0, FileSystemLoader(str(letters_dir)))
    return Environment(
        loader=ChoiceLoader(loaders), undefined=StrictUndefined, keep_trailing_newline=True
    )


def concerns(categories: tuple[str, ...] | list[str]) -> str:
    phrases = [CONCERNS[c] for c in categories if c in CONCERNS]
    if not phrases:
        return "break the school's policy"
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _earlier(case: CaseFacts) -> str:
    for event in case.events:
        if event.action == "status" and event.detail.split(": ")[0].endswith("parent_contacted"):
            return (
                f"On {event.at:%d %B %Y} the school asked you to remove material you had posted "
                "about the school. It has not been removed."
            )
    return (
        "On " + FILL.format("date") + " the school asked you to remove material you had posted "
        "about the school. It has not been removed."
    )


def letter(
    kind: str,
    case: CaseFacts,
    *,
    today: date,
    parent: str | None = None,
    letters_dir: Path | None = None,
) -> Draft:
    """One of the policy's letters (``first_request`` or ``warning``) for ``case``."""
    template, title = LETTERS[kind]
    platforms = sorted({platform_report(p.platform, p.url).name for p in case.posts})
    context = {
        "school": case.school,
        "date": f"{today:%d %B %Y}",
        "parent": parent or FILL.format("parent's name"),
        "reference": case.reference,
        "posts": [
            {
                "where": p.url or FILL.format("where the post is"),
                "when": f"posted {p.created_at:%d %B %Y}" if p.created_at else "",
            }
            for p in case.posts
        ],
        "platforms": " and ".join(platforms) or "social media",
        "concerns": concerns(case.categories),
        "complaints_procedure": case.complaints_procedure,
        "signed_by": case.signed_by,
        "earlier": _earlier(case),
    }
    try:
        body = _env(letters_dir).get_template(template).render(context)
    except TemplateSyntaxError as exc:
        raise LetterTemplateError(
            f"{exc.filename or template}:{exc.lineno}: {exc.message}"
        ) from None
    except TemplateError as exc:
        raise LetterTemplateError(
            f"{template}: {exc.message}; the letter may use {', '.join(sorted(context))}"
        ) from None
    steps = clock(
        None,
        (NOW, "send or hand the letter; keep a copy"),
        (H48, "removed? if not, the next step applies"),
    )
    return Draft(kind, title, body, to="the parent", clock=steps)


def letters(
    case: CaseFacts, *, today: date, parent: str | None = None, letters_dir: Path | None = None
) -> list[Draft]:
    """Both letters, unless the case is only a complaint (which gets a reply, not a letter)."""
    if not set(case.categories) - {"complaint"}:
        return []
    return [
        letter(kind, case, today=today, parent=parent, letters_dir=letters_dir) for kind in LETTERS
    ]
