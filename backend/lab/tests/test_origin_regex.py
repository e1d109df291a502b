"""lab/origin_regex.py decides exactly as re.match, the test django-cors-headers makes, and stops
within its time limit where re would take seconds.

The differential test draws patterns of the shapes the playground takes (printable ASCII, at most
100 characters: origins, escapes, sets, classes, groups, alternatives, repeats of every kind,
lookarounds, anchors, inline flags, and syntax that regex reads otherwise than re) and origins of
the shapes a browser sends, and compares the two answers.
"""

import re
import string
import time
import warnings

from django.test import SimpleTestCase
from hypothesis import HealthCheck, assume, example, given, settings as hypothesis_settings, strategies as st

from lab import origin_regex
from lab.origin_regex import Unanswerable, any_matches

# re warns that a later Python may read [[ and -- otherwise: these tests draw such patterns on purpose.
warnings.filterwarnings("ignore", "Possible (nested set|set (difference|intersection|union|symmetric difference))",
                        FutureWarning)

PRINTABLE = "".join(map(chr, range(0x20, 0x7F)))
ATOMS = st.sampled_from([
    "https://", "http://", "a", "b", "A", "-", ":", "/", "@", " ", "lab", "localhost", "app", ":1743",
    ".", r"\.", r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", "[a-z]", "[^a-z]", "[A-Z0-9-]", "[.]", "[^.]", "[-a]",
    r"[\w.]", r"[^\W\d]", "[[:alpha:]]", "a{e<=1}", r"\x2e", r"\x41", r"\u212a", r"\u017f", r"\xe9", r"\N{KELVIN SIGN}",
    "^", "$", r"\A", r"\Z", r"\b", r"\B", "", "(?:)", "null",
])
QUANTIFIERS = st.sampled_from(["*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{2,}", "{,2}", "*+", "++", "?+",
                               "{1,2}?", "{0}"])
FLAGS = st.sampled_from(["", "(?i)", "(?a)", "(?s)", "(?m)", "(?x)", "(?ai)", "(?is)", "(?im)"])


def extend(inner):
    return st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda pair: "(%s|%s)" % pair),
        st.tuples(inner, QUANTIFIERS).map(lambda pair: "(?:%s)%s" % pair),
        st.tuples(inner, QUANTIFIERS).map(lambda pair: "(%s)%s" % pair),
        st.tuples(st.sampled_from(["(?=", "(?!", "(?<=", "(?<!", "(?>", "(?i:", "(?-i:", "(?s:", "("]), inner)
        .map(lambda pair: pair[0] + pair[1] + ")"),
    )


STRUCTURED = st.tuples(FLAGS, st.recursive(ATOMS, extend, max_leaves=12)).map("".join)
# Anything at all a page may put in the field: mostly not a pattern re compiles.
ANY_TEXT = st.text(st.sampled_from(PRINTABLE), max_size=16)
PATTERNS = (STRUCTURED | ANY_TEXT).filter(lambda pattern: len(pattern) <= 100)

HOST_PART = st.text(st.sampled_from(string.ascii_letters + string.digits + "-_"), min_size=1, max_size=8)
HOST = st.lists(HOST_PART | st.sampled_from(["app", "lab", "localhost", "attacker"]), min_size=1, max_size=4).map(".".join)
# Never empty: django-cors-headers answers an empty Origin before any pattern runs (and there re's
# \B alone differs, matching nothing in the empty string).
ORIGINS = st.one_of(
    st.just("null"),
    st.tuples(st.sampled_from(["https://", "http://", "HTTPS://", "file://", ""]), HOST,
              st.sampled_from(["", ":1743", ":443", ":", ":x"])).map("".join),
    st.text(st.sampled_from(PRINTABLE), min_size=1, max_size=24),
)


def compiles_in_re(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return False
    return True


class SameAnswerAsReMatchTests(SimpleTestCase):
    @hypothesis_settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
    @given(pattern=PATTERNS, origin=ORIGINS)
    @example(pattern="a{e<=1}", origin="a{e<=1}")
    @example(pattern="a{e<=1}", origin="b")
    @example(pattern="[[:alpha:]]+$", origin="abc")
    @example(pattern=r"(?i)\u212a", origin="k")
    @example(pattern=r"(?i)\u017f", origin="S")
    @example(pattern=r"\s", origin="\x1c")  # not an Origin character: see the refusal test
    @example(pattern=r"(?-i:a)(?i)", origin="a")
    @example(pattern=r"^https://\w+\.lab\.localhost(:\d+)?$", origin="https://app.lab.localhost:1743")
    @example(pattern=r"(?x) a b ", origin="ab")
    def test_every_pattern_it_runs_decides_as_re_match(self, pattern, origin):
        assume(compiles_in_re(pattern))
        try:
            ours = any_matches((pattern,), origin)
        except Unanswerable as refused:
            # Refused, never answered otherwise than re: say why, and only for these reasons.
            self.assertIn(refused.code, ("regex_refused", "invalid_origin", "regex_too_slow"))
            if refused.code == "invalid_origin":
                self.assertFalse(set(origin) <= set(PRINTABLE))
            return
        self.assertEqual(ours, re.match(pattern, origin) is not None, origin_regex.translated(origin_regex.parsed(pattern)))

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(patterns=st.lists(PATTERNS.filter(compiles_in_re), min_size=1, max_size=4), origin=ORIGINS)
    def test_several_patterns_decide_as_any_re_match(self, patterns, origin):
        try:
            ours = any_matches(tuple(patterns), origin)
        except Unanswerable:
            return
        self.assertEqual(ours, any(re.match(pattern, origin) for pattern in patterns))

    def test_a_compiled_pattern_keeps_its_flags(self):
        self.assertTrue(any_matches((re.compile("HTTPS://A", re.IGNORECASE),), "https://a"))
        self.assertFalse(any_matches((re.compile("HTTPS://A"),), "https://a"))


class BoundedTimeTests(SimpleTestCase):
    # The playground's own example: an alternation under a repeat and an end that never matches.
    # re.match takes about 6 s on this Origin (2^26 ways to fail) and holds the GIL all along.
    PATTERN, ORIGIN = "https://(.|.)*!", "https://" + "a" * 26

    def test_a_pattern_that_would_take_seconds_is_stopped_and_said_so(self):
        with self.assertRaises(Unanswerable) as caught:
            any_matches((self.PATTERN,), self.ORIGIN)
        self.assertEqual(caught.exception.code, "regex_too_slow")
        self.assertIn("ReDoS", caught.exception.message)

    def test_nested_repeats_on_the_longest_origin_are_stopped_too(self):
        for pattern in ("(a+)+$", "(a|aa)*$", r"(\w+\.)+x", "((ab)*c)+$", "(a{2,})*$", "(?:x+x+)+y", ".*.*.*.*.*=$"):
            with self.subTest(pattern):
                start = time.process_time()
                try:
                    any_matches((pattern,), "https://" + "a" * 290 + "!")
                except Unanswerable as refused:
                    self.assertEqual(refused.code, "regex_too_slow")
                # CPU seconds of this process: bounded by the timeout, with room for a loaded machine.
                self.assertLess(time.process_time() - start, 20 * origin_regex.TIMEOUT)

    def test_the_timeout_bounds_the_request_not_each_pattern(self):
        with self.assertRaises(Unanswerable):
            any_matches((self.PATTERN,) * 12, self.ORIGIN)


class RefusalTests(SimpleTestCase):
    def test_an_origin_no_browser_sends_is_refused_before_any_pattern_runs(self):
        for origin in ("https://caf\xe9.example", "https://a\x1cb", "https://a\tb"):
            with self.subTest(origin), self.assertRaises(Unanswerable) as caught:
                any_matches((".*",), origin)
            self.assertEqual(caught.exception.code, "invalid_origin")

    def test_no_pattern_no_refusal(self):
        self.assertFalse(any_matches((), "https://caf\xe9.example"))

    def test_back_references_are_refused(self):
        for pattern in (r"(a)\1", r"(?P<x>a)(?P=x)", r"(a)?(?(1)b|c)"):
            with self.subTest(pattern), self.assertRaises(Unanswerable) as caught:
                origin_regex.check(pattern)
            self.assertEqual(caught.exception.code, "regex_refused")

    def test_counts_regex_would_write_out_are_refused_before_it_compiles_them(self):
        # re takes them all; regex would write a{4294967294} out, 4 GB and more.
        for pattern in ("a{4294967294}", "(?:a{100}){11}", "(?:(?:a{2,}){40}){40}", "(?=a{1001})"):
            with self.subTest(pattern), self.assertRaises(Unanswerable) as caught:
                origin_regex.check(pattern)
            self.assertEqual(caught.exception.code, "regex_refused")
        origin_regex.check("(?:[a-z0-9-]{1,63}\\.){0,10}a{0,4294967294}")
        with self.assertRaises(Unanswerable):
            any_matches(("a{100}",) * 11, "https://a")

    def test_a_pattern_re_refuses_raises_what_re_compile_raises(self):
        # The parser's refusals, the compiler's (a look-behind of varying width), and a count over 2**32.
        for pattern, error in (("(", re.error), ("(?<=a*)", re.error), ("a{99999999999999999999}", OverflowError)):
            with self.subTest(pattern), self.assertRaises(error):
                origin_regex.check(pattern)
