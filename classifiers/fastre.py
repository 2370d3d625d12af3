"""Compile a rule's regular expression with its long alternations grouped by first letter.

Python's engine tries the alternatives of ``(?:stab|shoot|slap|kill|...)`` one by one at every
place a match could start, so a rule with a hundred phrases costs a hundred checks at every word.
Alternatives that begin with different letters can never match at the same place, so they may be
put in any order; those with the same first letter keep theirs. ``compile_grouped`` rewrites each
such alternation as ``s(?:tab|hoot|lap)|k(?:ill)|...`` in the parsed pattern and compiles that:
the same matches, found with a few checks per word instead of a hundred.

It works on the parsed form from the standard library's ``re._parser``, which is not a public
interface: if it is missing or changed, or anything else goes wrong, the pattern is compiled as
written. ``tests/classifiers/test_fastre.py`` checks every rule both ways on the labelled posts.
"""

from __future__ import annotations

import importlib
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

_MIN_ALTERNATIVES = 4  # fewer than this: grouping saves nothing worth the change


def compile_grouped(regex: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(regex, flags)``, with alternations grouped by first letter when it is safe."""
    if flags & re.IGNORECASE or "(?i" in regex:
        return re.compile(regex, flags)  # "S" and "s" would both start a match at one place
    try:
        # Private modules of the standard library, looked up by name (no type stubs for them).
        _sre = importlib.import_module("_sre")
        _compiler = importlib.import_module("re._compiler")
        _constants = importlib.import_module("re._constants")
        _parser = importlib.import_module("re._parser")
        tree = _parser.parse(regex, flags)
        _group(tree, _parser, _constants)
        # As re._compiler.compile does for a parsed pattern, keeping the written text.
        code = _compiler._code(tree, flags)
        names = tree.state.groupdict
        by_number: list[str | None] = [None] * tree.state.groups
        for name, number in names.items():
            by_number[number] = name
        pattern: re.Pattern[str] = _sre.compile(
            regex, flags | tree.state.flags, code, tree.state.groups - 1, names, tuple(by_number)
        )
        return pattern
    except Exception as exc:  # noqa: BLE001 - any surprise in a private module: plain compile
        log.debug("regular expression compiled as written: %s", exc)
        return re.compile(regex, flags)


def _group(sub: Any, parser: Any, c: Any) -> None:
    """Rewrite, in place, every alternation in ``sub`` whose alternatives all start with a letter
    written plainly (outside look-behinds, whose width must not change)."""
    for index, (op, av) in enumerate(sub.data):
        if op is c.BRANCH:
            for alternative in av[1]:
                _group(alternative, parser, c)
            grouped = _grouped_branch(av[1], sub.state, parser, c)
            if grouped is not None:
                sub.data[index] = (c.BRANCH, (None, grouped))
        elif op is c.SUBPATTERN:
            _group(av[3], parser, c)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            _group(av[2], parser, c)
        elif op is c.ASSERT and av[0] == 1 or op is c.ASSERT_NOT and av[0] == 1:
            _group(av[1], parser, c)  # look-aheads only
    sub.width = None


def _grouped_branch(alternatives: list[Any], state: Any, parser: Any, c: Any) -> list[Any] | None:
    if len(alternatives) < _MIN_ALTERNATIVES:
        return None
    flat: list[Any] = []
    for alternative in alternatives:
        flat += _spread(alternative, state, parser, c)
        if len(flat) > _MAX_SPREAD:
            return None
    grouped: list[Any] = []
    run: dict[int, list[Any]] = {}  # alternatives starting with a written letter, by that letter
    changed = False
    for alternative in [*flat, None]:
        starts = (
            alternative is not None and alternative.data and alternative.data[0][0] is c.LITERAL
        )
        if starts:
            run.setdefault(alternative.data[0][1], []).append(alternative)
            continue
        # Anything else may start with any letter: the run so far is closed before it, so no
        # alternative moves past it.
        for first, members in run.items():
            if len(members) == 1:
                grouped.append(members[0])
                continue
            changed = True
            rests = [parser.SubPattern(state, list(member.data[1:])) for member in members]
            shared = parser.SubPattern(state, [(c.LITERAL, first), (c.BRANCH, (None, rests))])
            _group(shared, parser, c)  # and so on down: the second letters, the third...
            grouped.append(shared)
        run = {}
        if alternative is not None:
            grouped.append(alternative)
    return grouped if changed else None


_MAX_SPREAD = 2000  # alternatives one alternation may be spread into


def _spread(alternative: Any, state: Any, parser: Any, c: Any) -> list[Any]:
    """The alternative as the same alternatives, in the order they are tried, each starting
    with a written letter where that can be seen: ``(?:a|b)c`` is ``ac|bc``, ``(?:x )?y`` is
    ``x y|y``, ``[ai]b`` is ``ab|ib``."""
    if not alternative.data:
        return [alternative]
    op, av = alternative.data[0]
    rest = list(alternative.data[1:])

    def more(head: list[Any]) -> list[Any]:
        return _spread(parser.SubPattern(state, head + rest), state, parser, c)

    if op is c.BRANCH:
        return [item for inner in av[1] for item in more(list(inner.data))]
    if op is c.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
        return more(list(av[3].data))
    if op is c.MAX_REPEAT and av[0] == 0 and av[1] == 1:
        return [*more(list(av[2].data)), *more([])]  # greedy: with it first, then without
    if op is c.IN and av and all(kind is c.LITERAL for kind, _ in av):
        return [item for _, letter in av for item in more([(c.LITERAL, letter)])]
    return [alternative]
