"""The settings a layout needs, written out: the Django settings block and the nginx lines in
front of Django, each commented with why. The checks find nothing to say about what this writes
(cors_doctor/tests/test_generate.py), except what no setting can lift: a front on another site
than the API leaves the cookie login to the browser's third-party cookie rules, which the
comments of that block say.
"""

from crossorigin.deployment.settings import CORS_MIDDLEWARE, STARTPROJECT_MIDDLEWARE
from crossorigin.sites import host_of, origin_of, registrable_domain, same_site, site_of, suffix_section
from crossorigin.translation import gettext_noop, translate

# What `django-admin startproject` writes (Django 5.2), with django-cors-headers added.
STARTPROJECT_APPS = ("django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                     "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles")

COMMENTS = {
    "heading": gettext_noop("CORS, CSRF and cookies for the front {front} calling the API {api} (python -m cors_doctor --generate)."),
    "hosts": gettext_noop("The API's own name: a request for any other Host gets a 400."),
    "apps": gettext_noop("django-cors-headers, for its own system checks."),
    "middleware": gettext_noop("CorsMiddleware first: it answers preflights before anything else can redirect or refuse them."),
    "proxy": gettext_noop("nginx terminates TLS and says so in X-Forwarded-Proto: without this line Django takes every request for http (CSRF's Origin check, SECURE_SSL_REDIRECT)."),
    "redirect": gettext_noop("http:// requests are redirected to https://; safe only with the line above."),
    "cors": gettext_noop("Who may READ the API's answers: the front's exact origin (scheme, host, port)."),
    "credentials": gettext_noop("Lets the front's fetch(..., {{credentials: \"include\"}}) read answers that used cookies."),
    "csrf": gettext_noop("Who may SEND unsafe requests (POST...) with the user's cookies: the same origin again."),
    "secure": gettext_noop("Secure: the cookies travel over https only."),
    "unlisted_tld": gettext_noop("{host} is under a TLD missing from the Public Suffix List: WebKit takes every host there for a site of its own and refuses the API's host-only cookies. Domain={domain} makes them cookies of the whole site, which WebKit keeps; every subdomain then gets them too."),
    "same_site": gettext_noop("The front is on the API's site ({site}): the cookies are first-party, and Lax is enough."),
    "cross_site": gettext_noop("The front is on another site: the API's cookies are third-party there. SameSite=None lets browsers that allow third-party cookies keep them; Chromium with third-party cookies blocked and WebKit (Safari) refuse them. Add Partitioned with a middleware (Django has no setting for it) and set CORS_DOCTOR_PARTITIONED_COOKIES = True; or better, serve the front on the API's site, or proxy the API under the front's origin."),
    "doctor": gettext_noop("For manage.py check --deploy: the layout the cors_doctor checks judge."),
    "nginx_heading": gettext_noop("nginx in front of Django for {api}; TLS certificate lines left out."),
    "nginx_host": gettext_noop("Django checks ALLOWED_HOSTS and builds its URLs from the Host the browser asked for."),
    "nginx_proto": gettext_noop("What SECURE_PROXY_SSL_HEADER reads: the request came over https."),
    "nginx_for": gettext_noop("The browser's address, for Django's logs."),
    "nginx_no_cors": gettext_noop("No CORS header here: django-cors-headers writes them, and a second Access-Control-Allow-Origin makes two values, which browsers refuse."),
}


def _comment(key: str, **values) -> str:
    return "\n".join("# " + line for line in translate(COMMENTS[key]).format(**values).splitlines())


def _list(values) -> str:
    return "[\n" + "".join(f'    "{value}",\n' for value in values) + "]"


def settings_block(front: str, api: str) -> str:
    front, api = origin_of(front), origin_of(api)
    https = api.startswith("https://")
    together = same_site(front, api)
    samesite = "Lax" if together else "None"
    lines = [_comment("heading", front=front, api=api), "",
             _comment("hosts"), f'ALLOWED_HOSTS = ["{host_of(api)}"]', "",
             _comment("apps"), f"INSTALLED_APPS = {_list(STARTPROJECT_APPS + ('corsheaders',))}", "",
             _comment("middleware"), f"MIDDLEWARE = {_list((CORS_MIDDLEWARE,) + STARTPROJECT_MIDDLEWARE)}", ""]
    if https:
        lines += [_comment("proxy"), 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
                  _comment("redirect"), "SECURE_SSL_REDIRECT = True", ""]
    lines += [_comment("cors"), f'CORS_ALLOWED_ORIGINS = ["{front}"]',
              _comment("credentials"), "CORS_ALLOW_CREDENTIALS = True", "",
              _comment("csrf"), f'CSRF_TRUSTED_ORIGINS = ["{front}"]', ""]
    lines += [_comment("same_site", site=site_of(api)) if together else _comment("cross_site"),
              f'SESSION_COOKIE_SAMESITE = "{samesite}"', f'CSRF_COOKIE_SAMESITE = "{samesite}"']
    if https:
        lines += [_comment("secure"), "SESSION_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = True"]
    domain = registrable_domain(host_of(api))
    if together and suffix_section(host_of(api)) is None and domain and host_of(front) != host_of(api):
        lines += [_comment("unlisted_tld", host=host_of(api), domain=domain),
                  f'SESSION_COOKIE_DOMAIN = "{domain}"', f'CSRF_COOKIE_DOMAIN = "{domain}"']
    lines += ["", _comment("doctor"), f'CORS_DOCTOR_FRONT_ORIGINS = ["{front}"]', f'CORS_DOCTOR_API_ORIGIN = "{api}"']
    return "\n".join(lines) + "\n"


def nginx_block(api: str, upstream: str = "http://127.0.0.1:8000") -> str:
    api = origin_of(api)
    return "\n".join([
        _comment("nginx_heading", api=api),
        "server {",
        "    listen 443 ssl;",
        f"    server_name {host_of(api)};",
        "    location / {",
        f"        proxy_pass {upstream};",
        "        " + _comment("nginx_host").replace("\n", "\n        "),
        "        proxy_set_header Host $host;",
        "        " + _comment("nginx_proto").replace("\n", "\n        "),
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "        " + _comment("nginx_for").replace("\n", "\n        "),
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "        " + _comment("nginx_no_cors").replace("\n", "\n        "),
        "    }",
        "}",
    ]) + "\n"
