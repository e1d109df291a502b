"""Where Chromium and the Fetch standard disagree about one exchange, in words: the two outcomes,
then the sentence of each row of CHROMIUM_DEVIATIONS that played a part.
"""

from crossorigin.fetch.engines import differs
from crossorigin.fetch.messages import MESSAGES
from crossorigin.fetch.redirects import judge
from crossorigin.fetch.request import PageRequest
from crossorigin.fetch.response import RecordedResponse, Verdict
from crossorigin.translation import translate


def _outcome(verdict: Verdict) -> str:
    if verdict.readable:
        return translate(MESSAGES["Outcome.readable"][0])
    if verdict.reason == "Opaque":
        return translate(MESSAGES["Outcome.opaque"][0])
    return translate(MESSAGES["Outcome.blocked"][0]).format(reason=verdict.reason, failed_at=verdict.failed_at)


def describe_deviation(chromium: Verdict, standard: Verdict) -> str | None:
    """What differs between the two verdicts, and the engine rules behind it; None if nothing."""
    sentences = []
    if (chromium.readable, chromium.reason, chromium.failed_at) != (standard.readable, standard.reason, standard.failed_at):
        sentences.append(translate(MESSAGES["Deviation"][0]).format(standard=_outcome(standard), chromium=_outcome(chromium)))
    if chromium.preflights != standard.preflights:
        sentences.append(translate(MESSAGES["DeviationPreflight"][0]).format(
            standard_preflight=standard.preflights, chromium_preflight=chromium.preflights))
    if not sentences:
        return None
    return " ".join(sentences + chromium_rules(chromium))


def chromium_rules(chromium: Verdict) -> list[str]:
    """The sentence of each row of CHROMIUM_DEVIATIONS that played a part in this verdict."""
    return [translate(MESSAGES["Deviation." + rule][0]) for rule in chromium.engine_rules if differs("chromium", rule)]


def deviation(request: PageRequest, preflight: RecordedResponse | None, response: RecordedResponse | None,
              *, chromium: Verdict | None = None, standard: Verdict | None = None) -> str | None:
    """One description when Chromium and the Fetch standard disagree about this exchange. Pass
    the verdicts already judged to avoid judging again."""
    chromium = chromium or judge(request, preflight, response, engine="chromium")
    standard = standard or judge(request, preflight, response, engine="standard")
    return describe_deviation(chromium, standard)

