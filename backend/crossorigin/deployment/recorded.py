"""A live API's recorded answers, judged as flows.run() judges a simulated one.

The probe (cors_doctor/probe.py) sends each request once, as a browser that keeps every cookie
would, and records what came back. Each engine is then judged on those answers: the Fetch model on
the headers, jars.py on the Set-Cookie attributes. Where an engine would not have sent a cookie
the recorded request carried, the answer it would have met instead is the one Django gives then:
CsrfViewMiddleware's 403 without its cookie or token, and the recorded answers of /me and of the
protected view to a request with no session and no valid token (the probe records those too).
"""

import json
from dataclasses import dataclass

from crossorigin.deployment.jars import SetCookie
from crossorigin.deployment.server import Exchange
from crossorigin.fetch import PageRequest, RecordedResponse, judge, unsafe_request_headers
from crossorigin.fetch.headers import header, token_list

# Where an answer's JSON body may hold the token the page sends next: the lab's CSRF endpoint
# ("csrfToken"), its token endpoint ("token"), and the usual names of other projects.
TOKEN_KEYS = ("csrfToken", "csrftoken", "csrf_token", "csrf", "token", "access", "access_token")
REDIRECTS = (301, 302, 303, 307, 308)
# Fetch reasons, and the settings kind each one points to (diagnosis.CHECKS).
REASON_KINDS = {
    "MissingAllowOriginHeader": "cors_origin", "PreflightMissingAllowOriginHeader": "cors_origin",
    "AllowOriginMismatch": "cors_origin", "PreflightAllowOriginMismatch": "cors_origin",
    "InvalidAllowCredentials": "cors_credentials", "PreflightInvalidAllowCredentials": "cors_credentials",
    "HeaderDisallowedByPreflightResponse": "cors_header",
}


@dataclass(frozen=True)
class Answer:
    """One answer as the probe received it: repeated header lines stay apart."""
    status: int
    headers: tuple = ()     # (name, value) pairs
    body: str = ""
    url: str = ""

    def response(self) -> RecordedResponse:
        joined = {}
        for name, value in self.headers:
            joined.setdefault(name.lower(), []).append(value)
        return RecordedResponse(self.status, {name: values[0] if len(values) == 1 else values
                                              for name, values in joined.items()}, self.url)

    def set_cookies(self) -> tuple:
        found = (SetCookie.parse(value, self.url) for name, value in self.headers if name.lower() == "set-cookie")
        return tuple(cookie for cookie in found if cookie)

    def json(self) -> dict:
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def token(self) -> str | None:
        body = self.json()
        return next((body[key] for key in TOKEN_KEYS if isinstance(body.get(key), str) and body[key]), None)

    def location(self) -> str:
        return header(self.response().headers, "location") or "" if self.status in REDIRECTS else ""


@dataclass(frozen=True)
class Recording:
    """A request's preflight (if one was needed) and answer; no answer when the probe, like a
    browser, did not send the request after a preflight that refused it."""
    preflight: Answer | None
    response: Answer | None


class RecordedApi:
    """flows.run()'s API, from recordings keyed by step name (plus "me-anonymous" and
    "protected-anonymous": the answers to a request without a session or a valid token)."""

    def __init__(self, layout, recordings: dict):
        self.layout, self.recordings = layout, recordings

    def judged_flows(self, flows: dict) -> tuple:
        return tuple(flow for flow, steps in flows.items() if all(step in self.recordings for step in steps))

    def cookie(self, role: str) -> SetCookie | None:
        """The cookie the API set for `role`: the CSRF endpoint's, and the login's other one."""
        csrf = next(iter(self._set_by("csrf")), None)
        if role == "csrf":
            return csrf
        return next((cookie for cookie in self._set_by("login") if not csrf or cookie.name != csrf.name), None)

    def _set_by(self, step: str) -> tuple:
        recording = self.recordings.get(step)
        return recording.response.set_cookies() if recording and recording.response else ()

    def exchange(self, step, request: PageRequest, cookies_sent: frozenset, token_sent: bool, bearer: bool) -> Exchange:
        recording = self.recordings[step.name]
        csrf, session = self.cookie("csrf"), self.cookie("session")
        if step.name == "me" and (not session or session.name not in cookies_sent):
            recording = self.recordings.get("me-anonymous", recording)
        if step.name == "protected" and not bearer:
            recording = self.recordings.get("protected-anonymous", recording)
        preflight = recording.preflight.response() if recording.preflight else None
        if recording.response is None:
            # Never sent: the preflight refused it, in Chromium's judgment and so in every engine's
            # (they judge preflights alike). judge() stops at the preflight and reads no answer.
            return Exchange(preflight, RecordedResponse(0, {}, request.url), causes=self._causes(request, preflight, None))
        answer = recording.response
        response, cookies, refusal = answer.response(), answer.set_cookies(), _refusal(answer)
        if step.csrf and (not csrf or csrf.name not in cookies_sent or not token_sent):
            # CsrfViewMiddleware refuses before the view: 403, nothing set.
            refusal = "CSRF cookie not set." if not csrf or csrf.name not in cookies_sent else "CSRF token missing."
            response, cookies = RecordedResponse(403, response.headers, response.url), ()
        if step.name == "logout" and (not session or session.name not in cookies_sent):
            cookies = ()
        return Exchange(preflight, response, cookies, answer.token() is not None, refusal,
                        redirected_to=answer.location(), causes=self._causes(request, preflight, response, refusal))

    def _causes(self, request: PageRequest, preflight, response, refusal: str = "") -> tuple:
        found = []
        if response is not None or preflight is not None:
            verdict = judge(request, preflight, response or RecordedResponse(200, {}), engine="chromium")
            kind = REASON_KINDS.get(verdict.reason or "")
            if kind == "cors_header":
                allowed = {name.lower() for name in token_list(header(preflight.headers, "access-control-allow-headers")) or []}
                missing = [name for name in unsafe_request_headers(request) if name not in allowed]
                found.append((kind, (("header", missing[0] if missing else ""),)))
            elif kind:
                found.append((kind, ()))
        if refusal.startswith("Origin checking failed"):
            found.append(("csrf_origin", ()))
        return tuple(found)


def _refusal(answer: Answer) -> str:
    """Django's own words for a refusal, where the API's error body carries them (the lab's JSON
    errors keep Django's CSRF reason as "reason")."""
    if answer.status < 400:
        return ""
    reason = answer.json().get("reason")
    return reason if isinstance(reason, str) else ""
