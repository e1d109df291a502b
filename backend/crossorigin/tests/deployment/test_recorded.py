"""A live API's recorded answers are judged as the simulated ones are: recordings made from what
SimulatedApi answers a browser that keeps every cookie give, engine by engine, the same flows as
the simulation itself; where an engine would not have sent a cookie, the answer it would have met
is Django's refusal."""

from unittest import TestCase

from crossorigin.deployment.flows import FLOWS, STEPS, Layout, page_request, run
from crossorigin.deployment.jars import ENGINES, SetCookie
from crossorigin.deployment.recorded import Answer, RecordedApi, Recording
from crossorigin.deployment.server import SimulatedApi
from crossorigin.tests.deployment.test_flows import LabLayoutTests, project

ORDER = ("hello", "users", "csrf", "login", "me", "logout", "token", "protected")


def set_cookie_line(cookie: SetCookie) -> str:
    parts = [f"{cookie.name}=" + ('""' if cookie.cleared else "value"), f"Path={cookie.path}"]
    if cookie.cleared:
        parts.append("Max-Age=0")
    if cookie.samesite:
        parts.append(f"SameSite={cookie.samesite}")
    if cookie.secure:
        parts.append("Secure")
    if cookie.domain:
        parts.append(f"Domain={cookie.domain}")
    if cookie.partitioned:
        parts.append("Partitioned")
    return "; ".join(parts)


def answer_of(response, cookies=(), body="{}") -> Answer:
    headers = [(name, value) for name, value in response.headers.items()]
    return Answer(response.status, tuple(headers + [("Set-Cookie", set_cookie_line(c)) for c in cookies]), body, response.url)


def recordings_of(layout: Layout, api: SimulatedApi) -> dict:
    """What the probe would record from this API: every cookie sent back, the tokens held."""
    settings, recordings = api.settings, {}
    all_cookies = frozenset({settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME})
    for name in ORDER:
        step = STEPS[name]
        request = page_request(step, layout, settings.csrf_header())
        exchange = api.exchange(step, request, all_cookies, True, True)
        body = '{"csrfToken": "t"}' if name in ("csrf", "login") else '{"token": "jwt"}' if name == "token" else "{}"
        preflight = answer_of(exchange.preflight) if exchange.preflight else None
        recordings[name] = Recording(preflight, answer_of(exchange.response, exchange.set_cookies, body))
    anonymous = {"me": api.exchange(STEPS["me"], page_request(STEPS["me"], layout, "X-CSRFToken"), frozenset(), True, False),
                 "protected": api.exchange(STEPS["protected"], page_request(STEPS["protected"], layout, "X-CSRFToken"),
                                           frozenset(), True, False)}
    for name, exchange in anonymous.items():
        recordings[f"{name}-anonymous"] = Recording(answer_of(exchange.preflight) if exchange.preflight else None,
                                                    answer_of(exchange.response))
    return recordings


class RecordedLikeSimulatedTests(TestCase):
    def test_the_lab_layouts_judge_alike_recorded_or_simulated(self):
        lab = LabLayoutTests()
        cases = [(lab.APP, lab.lab(lab.APP)), (lab.CROSS, lab.lab(lab.CROSS)), (lab.CROSS, lab.lab(lab.CROSS, "None")),
                 (lab.CROSS, lab.lab(lab.CROSS, "None", partitioned=True)), ("https://evil.lab.localhost", lab.lab(lab.APP)),
                 ("https://kikuichige.com", project("https://kikuichige.com", "https://django6.kikuichige.com",
                                                    CSRF_TRUSTED_ORIGINS=[]))]
        for front, settings in cases:
            api_origin = "https://django6.kikuichige.com" if "kikuichige" in front else lab.API
            layout = Layout(front, api_origin)
            simulated = SimulatedApi(settings, layout)
            recorded = RecordedApi(layout, recordings_of(layout, simulated))
            self.assertEqual(recorded.judged_flows(FLOWS), tuple(FLOWS))
            for engine in ENGINES:
                with self.subTest(front=front, engine=engine, samesite=settings.SESSION_COOKIE_SAMESITE):
                    self.assertEqual([(r.flow, r.works) for r in run(layout, recorded, engine)],
                                     [(r.flow, r.works) for r in run(layout, simulated, engine)])

    def test_a_refused_origin_points_to_the_cors_setting(self):
        lab = LabLayoutTests()
        layout = Layout("https://evil.lab.localhost", lab.API)
        recorded = RecordedApi(layout, recordings_of(layout, SimulatedApi(lab.lab(lab.APP), layout)))
        [hello] = [r for r in run(layout, recorded, "chromium") if r.flow == "simple-get"]
        self.assertEqual((hello.reason, hello.causes), ("MissingAllowOriginHeader", (("cors_origin", ()),)))
