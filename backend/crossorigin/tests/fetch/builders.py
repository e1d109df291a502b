"""What the tests of the model's checks and sentences build: a request of the lab's app page, and
an answer whose headers come as keyword arguments (an underscore stands for a dash)."""

from crossorigin.fetch import PageRequest, RecordedResponse

APP = "https://app.lab.localhost"
ALLOWED = {"Access-Control-Allow-Origin": APP}


def request(method="GET", headers=None, credentials="omit") -> PageRequest:
    return PageRequest(origin=APP, method=method, headers=headers or {}, credentials=credentials)


def answer(status=200, **headers) -> RecordedResponse:
    return RecordedResponse(status=status, headers={name.replace("_", "-"): value for name, value in headers.items()})


def ok_preflight(**headers) -> RecordedResponse:
    return answer(**{"Access-Control-Allow-Origin": APP, **headers})
