"""gunicorn's threaded worker, whose own refusals are JSON of the API's shape instead of HTML.

gunicorn answers a request it cannot read by itself, before Django sees it, with an HTML page.
nginx refuses almost all of those first, with its own JSON (nginx/json-errors.conf,
nginx/django-proxy.conf), but it passes on a header value holding a control character, which
RFC 9110 (5.5) forbids and gunicorn refuses. This worker gives that refusal, and any other request
gunicorn cannot read, the same JSON 400 as nginx's, in both languages (nothing of the request was
read, its Accept-Language neither). Everything else is gunicorn's own handling.
The worker class is documented as pluggable (--worker-class); e2e/test_proxy_answers.py fails if
an answer from here stops being JSON.
"""

import json

from gunicorn import util
from gunicorn.http.errors import (InvalidHeader, InvalidHeaderName, InvalidRequestLine, InvalidRequestMethod,
                                  InvalidResponseHeader, InvalidResponseHeaderName, ObsoleteFolding)
from gunicorn.workers.gthread import ThreadWorker

UNREADABLE = (InvalidHeader, InvalidHeaderName, InvalidRequestLine, InvalidRequestMethod, ObsoleteFolding)
# A header the application sent is the application's fault, not the request's: gunicorn's 500.
APPLICATION_FAULTS = (InvalidResponseHeader, InvalidResponseHeaderName)
BODY = json.dumps({"error": "bad_request", "message": "gunicorn could not read this request. / "
                                                      "gunicorn がこのリクエストを読み取れませんでした。"},
                  ensure_ascii=False).encode()
# The headers nginx gives its own answers in both languages (nginx/json-answer.conf).
ANSWER = (b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\n"
          b"Content-Language: en, ja\r\nX-Content-Type-Options: nosniff\r\n"
          b"Content-Length: %d\r\n\r\n" % len(BODY)) + BODY


class JsonErrorThreadWorker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, UNREADABLE) or isinstance(exc, APPLICATION_FAULTS):
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request: %s", exc)
        try:
            util.write_nonblock(client, ANSWER)
        except OSError:
            self.log.debug("Failed to send error message.")
