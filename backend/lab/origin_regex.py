"""CORS_ALLOWED_ORIGIN_REGEXES as django-cors-headers runs them (re.match), in bounded time.

Python's re has no time limit, and it holds the GIL while it matches: on a 34-character Origin,
https://(.|.)*! tries 2^26 ways of failing, about 6 s during which the worker's other threads wait
too. The playground takes its patterns from any page's URL, so every pattern here runs under the
PyPI package `regex`, which takes timeout= and releases the GIL while it matches.

But regex reads some patterns otherwise than re: a{e<=1} is a fuzzy match to it and seven literal
characters to re, [[:alpha:]] a POSIX class to it and a set to re, and its \\w and \\s are not re's
beyond ASCII. So re's own parser reads the pattern, and its tree is written back out in a form both
engines read alike: each one-character item (a literal, ., a set, \\w, under the flags in force)
becomes the explicit set of the characters that re itself matches with it. Those sets are taken
over printable ASCII, the alphabet of every Origin a browser sends (a serialized origin: scheme,
host in punycode, port; or "null"): an Origin with another character is refused. What remains is
structure (sequence, group, alternative, repeat, lookaround, anchor), which both engines run with
the same backtracking semantics. lab/tests/test_origin_regex.py checks the whole over generated
patterns and origins against re.match itself.
"""

import re
import string
import warnings
from functools import lru_cache

import regex
from django.utils.translation import gettext as _

# re's parser and compiler, public but deprecated since 3.11 with no public replacement: the only
# way to see a pattern as re reads it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_compile
    import sre_constants as sre
    import sre_parse

# What a browser's Origin is made of: printable ASCII (no space in practice; kept, it costs nothing).
ORIGIN_ALPHABET = "".join(map(chr, range(0x20, 0x7F)))
ORIGIN_CHARACTERS = frozenset(ORIGIN_ALPHABET)
# CPU seconds for all the patterns of one request together. regex counts the process's clock(), so
# the other threads' work counts too: the limit can only come sooner. A pattern that is not
# pathological decides a 300-character Origin in microseconds.
TIMEOUT = 0.05
# regex writes out the required part of a counted repeat when it compiles: a{100000} costs 26 MB,
# a{4294967294}, which re takes, all the memory there is; counts multiply when repeats nest. An
# Origin is at most a few hundred characters, so a pattern that needs more items is refused.
MAX_UNROLLED = 1000
ANCHORS = {sre.AT_BEGINNING: "^", sre.AT_BEGINNING_STRING: r"\A", sre.AT_END: "$",
           sre.AT_END_STRING: r"\Z", sre.AT_BOUNDARY: r"\b", sre.AT_NON_BOUNDARY: r"\B"}
REPEAT_SUFFIX = {sre.MAX_REPEAT: "", sre.MIN_REPEAT: "?", sre.POSSESSIVE_REPEAT: "+"}
ONE_CHARACTER = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)


class Unanswerable(ValueError):
    """The origin test cannot be made as re.match would make it; `code` and `message` say why."""

    def __init__(self, code: str, message):
        super().__init__(message)
        self.code, self.message = code, message


def refused_pattern(message) -> Unanswerable:
    return Unanswerable("regex_refused", message)


# Characters that mean themselves to regex in and out of a set; any other is written \xNN.
PLAIN = string.ascii_letters + string.digits + ":/_@"


def character(code: int) -> str:
    return chr(code) if chr(code) in PLAIN else f"\\x{code:02x}"


def character_set(codes: list[int]) -> str:
    """The characters as one regex item: a set of ranges, one character, or (?!) for none."""
    if not codes:
        return "(?!)"
    if len(codes) == 1:
        return character(codes[0])
    ranges, start = [], codes[0]
    for previous, code in zip(codes, codes[1:] + [None]):
        if code != previous + 1:
            ranges.append(character(start) if start == previous else f"{character(start)}-{character(previous)}")
            start = code
    return "[" + "".join(ranges) + "]"


def matched_by(item, flags: int) -> str:
    """The Origin characters re matches with this one-character item under `flags`, asked of re."""
    state = sre_parse.State()
    state.flags = flags
    one = sre_compile.compile(sre_parse.SubPattern(state, [item]))
    return character_set([ord(char) for char in ORIGIN_ALPHABET if one.fullmatch(char)])


def written(items, flags: int) -> str:
    return "".join(written_item(op, argument, flags) for op, argument in items)


def written_item(op, argument, flags: int) -> str:
    if op in ONE_CHARACTER:
        return matched_by((op, argument), flags)
    if op is sre.SUBPATTERN:
        _group, add, remove, items = argument
        return "(?:" + written(items, (flags | add) & ~remove) + ")"
    if op is sre.BRANCH:
        return "(?:" + "|".join(written(branch, flags) for branch in argument[1]) + ")"
    if op in REPEAT_SUFFIX:
        low, high, items = argument
        bounds = f"{{{low},{'' if high == sre.MAXREPEAT else high}}}"
        return "(?:" + written(items, flags) + ")" + bounds + REPEAT_SUFFIX[op]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        direction, items = argument
        return "(?" + ("<" if direction < 0 else "") + ("=" if op is sre.ASSERT else "!") + written(items, flags) + ")"
    if op is sre.ATOMIC_GROUP:
        return "(?>" + written(argument, flags) + ")"
    if op is sre.AT and argument in ANCHORS:
        # Multi-line or not, ^ and $ mean the same on an Origin: it holds no line break.
        return ANCHORS[argument]
    if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
        # What a group captured, and so what it refers to, depends on each engine's backtracking.
        raise refused_pattern(_("Back-references are refused."))
    raise refused_pattern(_("The time-limited regex engine cannot run this pattern."))


def unrolled(items) -> int:
    """How many items regex writes out for these: each counted repeat's body, its minimum times."""
    size = 0
    for op, argument in items:
        if op in REPEAT_SUFFIX:
            low, _high, body = argument
            size += max(low, 1) * unrolled(body)
        elif op is sre.BRANCH:
            size += sum(unrolled(branch) for branch in argument[1])
        elif op in (sre.SUBPATTERN, sre.ASSERT, sre.ASSERT_NOT):
            size += unrolled(argument[-1])
        elif op is sre.ATOMIC_GROUP:
            size += unrolled(argument)
        else:
            size += 1
    return size


def parsed(pattern: str | re.Pattern):
    """The pattern as re reads it (re's own parser). Raises what re.compile raises: re.error, or
    OverflowError for a count over 4294967295. django-cors-headers also takes compiled patterns:
    their flags come with them."""
    if isinstance(pattern, re.Pattern):
        return sre_parse.parse(pattern.pattern, pattern.flags)
    re.compile(pattern)  # what only re's compiler refuses too, such as a look-behind of varying width
    return sre_parse.parse(pattern)


def translated(tree) -> str:
    """A parsed pattern written for regex."""
    return written(tree.data, tree.state.flags)


# A compiled alternation is at most a few hundred KB (MAX_UNROLLED items); 64 of them at most.
@lru_cache(maxsize=64)
def compiled(patterns: tuple[str | re.Pattern, ...]) -> regex.Pattern:
    """All the patterns as one alternation: re.match(a) or re.match(b) is a match of (?:a)|(?:b),
    and one timeout then bounds the whole request."""
    trees = [parsed(pattern) for pattern in patterns]
    if sum(unrolled(tree.data) for tree in trees) > MAX_UNROLLED:
        raise refused_pattern(_("Repeat counts this large are refused: at most %(limit)d items in all, "
                                "counts multiplied where repeats nest.") % {"limit": MAX_UNROLLED})
    alternation = "|".join(f"(?:{translated(tree)})" for tree in trees)
    try:
        return regex.compile(alternation, regex.VERSION0)
    except regex.error:
        raise refused_pattern(_("The time-limited regex engine cannot run this pattern.")) from None


def check(pattern: str) -> None:
    """Raises what re.compile raises for a pattern re refuses (see parsed), Unanswerable for one
    this module would not run exactly as re does."""
    compiled((pattern,))


def any_matches(patterns: tuple[str, ...], origin: str) -> bool:
    """re.match(pattern, origin) for any of the patterns, or Unanswerable within TIMEOUT. For a
    non-empty origin: django-cors-headers never tests an empty one."""
    if not patterns:
        return False
    if not ORIGIN_CHARACTERS.issuperset(origin):
        raise Unanswerable("invalid_origin", _("No browser sends an Origin with characters other than "
                                               "printable ASCII; the origin regexes are not run on it."))
    try:
        return compiled(patterns).match(origin, timeout=TIMEOUT) is not None
    except TimeoutError:
        raise Unanswerable("regex_too_slow", _(
            "CORS_ALLOWED_ORIGIN_REGEXES took more than %(ms)d ms on this Origin and was stopped. "
            "A repeat over alternatives that overlap, such as (.|.)*, or a repeat inside a repeat, "
            "such as (a+)+, can try exponentially many ways before it fails (ReDoS). "
            "django-cors-headers runs re.match, which has no time limit.") % {"ms": TIMEOUT * 1000}) from None
