"""Partitioned cookies (CHIPS) for Django, which has no setting for them.

A cookie with the Partitioned attribute is stored in a jar keyed by the top-level site the page was
on when it was set. A browser that blocks third-party cookies still keeps such a cookie and sends
it back, but only to requests made under that same top-level site: the cross-site app's fetches
to the API get it, a page of any other site does not. Browsers require it to be Secure, and a
cookie that rides cross-site fetches must be SameSite=None.
https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/Privacy_sandbox/Partitioned_cookies

Django 5.2's HttpResponse.set_cookie() has no `partitioned` argument, and the Python of the image
(3.11) has no "partitioned" key in http.cookies.Morsel (3.14 added it). So this middleware adds the
attribute to the session and CSRF cookies after SessionMiddleware and CsrfViewMiddleware set them:
through Morsel's own key where Python has it, otherwise appended to the SameSite value, which the
Morsel writes out as it is ("SameSite=None; Partitioned" on the wire, and in the ledger).
"""

from http.cookies import CookieError

from django.conf import settings


def partition(morsel) -> None:
    try:
        morsel["partitioned"] = True  # Python 3.14+
    except CookieError:  # "Invalid attribute": an older Python
        morsel["samesite"] = f"{morsel['samesite']}; Partitioned"


class PartitionedCookiesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.LAB_PARTITIONED_COOKIES:
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    partition(response.cookies[name])
        return response
