"""Settings of the lab's API. Every value that a learner may change comes from .env, through
config/env.py, so a wrong value stops the server at start with a message naming it. The values
themselves (and their defaults) are declared once, in .env.example."""

from pathlib import Path

from corsheaders.defaults import default_headers

from config import env
from crossorigin.sites import registrable_domain

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Hosts and origins ---------------------------------------------------------------------
# An origin is scheme + host + port. app and api differ only in the host, so they are two
# origins of one site (lab.localhost); attacker.localhost is another site altogether.
LAB_APP_HOST = env.hostname("LAB_APP_HOST")
LAB_API_HOST = env.hostname("LAB_API_HOST")
LAB_ATTACKER_HOST = env.hostname("LAB_ATTACKER_HOST")
# Same site as app and api (a subdomain of lab.localhost), another origin, trusted by nothing:
# a compromised or user-content subdomain. SameSite never stops its requests.
LAB_SIBLING_HOST = env.hostname("LAB_SIBLING_HOST")
# Other sites, each made to fool one careless origin test of backend/leaks/catalogue.py.
LAB_LOOKALIKE_HOSTS = {kind: env.hostname(f"LAB_LOOKALIKE_{kind.upper()}_HOST") for kind in ("dot", "prefix", "suffix")}
# The app page on another site than the API (front.localhost): the cross-site deployment's app.
LAB_CROSS_SITE_APP_HOST = env.hostname("LAB_CROSS_SITE_APP_HOST")
LAB_HTTPS_PORT = env.port("LAB_HTTPS_PORT")

LAB_APP_ORIGIN = env.https_origin(LAB_APP_HOST, LAB_HTTPS_PORT)
LAB_API_ORIGIN = env.https_origin(LAB_API_HOST, LAB_HTTPS_PORT)
LAB_ATTACKER_ORIGIN = env.https_origin(LAB_ATTACKER_HOST, LAB_HTTPS_PORT)
LAB_SIBLING_ORIGIN = env.https_origin(LAB_SIBLING_HOST, LAB_HTTPS_PORT)
LAB_LOOKALIKE_ORIGINS = {kind: env.https_origin(host, LAB_HTTPS_PORT) for kind, host in LAB_LOOKALIKE_HOSTS.items()}
LAB_CROSS_SITE_APP_ORIGIN = env.https_origin(LAB_CROSS_SITE_APP_HOST, LAB_HTTPS_PORT)
# The dev layout (LAB_DEV_LAYOUT): the front and the API as two ports of one host over plain http,
# as a dev server on localhost:5173 calls Django on localhost:8000. nginx always serves them inside
# its container; `make dev-layout` publishes them, and only then does the API trust the front.
LAB_DEV_HOST = env.hostname("LAB_DEV_HOST")
LAB_DEV_FRONT_ORIGIN = env.http_origin(LAB_DEV_HOST, env.port("LAB_DEV_FRONT_PORT"))
LAB_DEV_API_ORIGIN = env.http_origin(LAB_DEV_HOST, env.port("LAB_DEV_API_PORT"))

# --- Deployment: where the app page lives ---------------------------------------------------
# same-site: the app is a subdomain of the API's site (the article's layout). cross-site: the app
# on front.localhost is trusted too, as a front end hosted apart from its API would be. Only the
# origins trusted below change; the attacker, the sibling and the look-alikes stay refused.
LAB_DEPLOYMENT = env.choice("LAB_DEPLOYMENT", ("same-site", "cross-site"))
# Cross-origin (another port) but same-site (ports never matter to a site): the dev front must be
# trusted by CORS and CSRF exactly like the app.
LAB_DEV_LAYOUT = env.boolean("LAB_DEV_LAYOUT")
LAB_APP_ORIGINS = ([LAB_APP_ORIGIN] + ([LAB_CROSS_SITE_APP_ORIGIN] if LAB_DEPLOYMENT == "cross-site" else [])
                   + ([LAB_DEV_FRONT_ORIGIN] if LAB_DEV_LAYOUT else []))

# --- Secrets -------------------------------------------------------------------------------
# Django's own deploy check (security.W009) asks for at least 50 characters.
SECRET_KEY = env.secret("DJANGO_SECRET_KEY", min_bytes=50)
# HS256 needs a key at least as long as its 256-bit hash (RFC 7518, section 3.2).
LAB_JWT_SIGNING_KEY = env.secret("LAB_JWT_SIGNING_KEY", min_bytes=32)
LAB_DEMO_USERNAME = "alice"
LAB_DEMO_PASSWORD = env.secret("LAB_DEMO_PASSWORD", min_bytes=6)

DEBUG = False
# Only the API's own name: a request for any other Host gets a 400. The cross-site deployment adds
# the cross-site app's name: nginx proxies that host's /api/ to Django with its own Host (the
# same-origin way out), and Django must accept it. Origin then equals the Host, so CSRF's Origin
# check passes as same-origin, without CSRF_TRUSTED_ORIGINS.
# The dev layout adds its host, which the API's port answers for (Django compares the name, not
# the port).
ALLOWED_HOSTS = ([LAB_API_HOST] + ([LAB_CROSS_SITE_APP_HOST] if LAB_DEPLOYMENT == "cross-site" else [])
                 + ([LAB_DEV_HOST] if LAB_DEV_LAYOUT else []))

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "corsheaders",
    "lab",
    "people",
    "experiments",
    "ledger",
    "scenarios",
    "cookielab",
    "leaks",
    "playground",
    "cors_doctor",
    "doctor",
]

MIDDLEWARE = [
    # No write starts after nginx's read timeout (LAB_PROXY_READ_TIMEOUT below): outermost, so
    # that the ledger's record keeps it too.
    "lab.sqlite_writes.proxy_deadline_middleware",
    # Outermost but one, so it also records the requests that CORS, CSRF or a crash turn away.
    "ledger.middleware.LedgerMiddleware",
    # Outside SessionMiddleware and CsrfViewMiddleware, so it sees the cookies they set; inside the
    # ledger, so the ledger records the attribute. Does nothing unless LAB_PARTITIONED_COOKIES.
    "lab.partitioned.PartitionedCookiesMiddleware",
    # Before CommonMiddleware: preflights must be answered before APPEND_SLASH can redirect them.
    # https://github.com/adamchainz/django-cors-headers#setup
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The API's messages in the request's language (Accept-Language), with Vary: Accept-Language.
    # After SessionMiddleware and before CommonMiddleware, as Django's docs ask.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = []

# nginx's proxy_read_timeout (nginx/django-proxy.conf), in seconds: after it, nginx has answered
# the client 504, and lab/sqlite_writes.py lets no write of that request start.
LAB_PROXY_READ_TIMEOUT = 10

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        # compose puts the file on the named volume backend-data.
        "NAME": env.required("LAB_DATABASE_PATH"),
        # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at the start
        # of a transaction, and the timeout makes a second writer wait for it (up to 4 s) instead
        # of failing at once with "database is locked". A write also waits at most that long for
        # its turn (lab/sqlite_writes.py): 8 s in all, below nginx's proxy_read_timeout (10 s). A
        # write that waits too long is rolled back and answered 503 database_busy (lab/errors.py),
        # never left to commit after nginx has answered the client 504.
        # synchronous=NORMAL under WAL: a commit is written to the WAL file but not fsynced (the
        # fsync comes at each checkpoint). A crash of gunicorn (kill -9) loses nothing, since the
        # kernel holds what was written (tests/faults prove it); a power cut may lose the last
        # commits, never the file's integrity. A lab may trade that; a bank would keep FULL.
        # https://www.sqlite.org/pragma.html#pragma_synchronous
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    "transaction_mode": "IMMEDIATE", "timeout": 4},
        # Each gunicorn thread keeps its connection instead of opening one per request. A fresh
        # one costs its PRAGMAs, and closing the last open one checkpoints the WAL and deletes it,
        # so that the next request creates it again: together 30 % of a stored POST's time under
        # load, measured with py-spy (docs/performance.md).
        # https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
        "CONN_MAX_AGE": None,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
USE_I18N = True
# The lab speaks English and Japanese (the seed article's language). The Japanese catalogue is
# locale/ja/LC_MESSAGES/django.po, compiled to .mo when the image is built (backend/Dockerfile).
# https://docs.djangoproject.com/en/5.2/topics/i18n/translation/#how-django-discovers-language-preference
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_TZ = True

# --- HTTPS behind the proxy ----------------------------------------------------------------------
# nginx terminates TLS and says so in X-Forwarded-Proto (LAB_PROXY_FORWARDED_PROTO, nginx's own
# switch: Django only reads it to report it and to warn, lab.W106). Django believes the header only
# with SECURE_PROXY_SSL_HEADER: without either half, every request looks like plain http to Django,
# which then builds its own origin as http://api... and refuses a same-origin POST whose Origin says
# https://api... ("Origin checking failed"). Only safe because nginx replaces whatever a client
# sent in that header (nginx/django-proxy.conf). gunicorn leaves the scheme to Django on purpose
# (config/gunicorn_conf.py), as wherever it does not trust its proxy.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
LAB_PROXY_FORWARDED_PROTO = env.boolean("LAB_PROXY_FORWARDED_PROTO")
LAB_SECURE_PROXY_SSL_HEADER = env.boolean("LAB_SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if LAB_SECURE_PROXY_SSL_HEADER else None
# With the scheme lost, this would answer every request with a redirect to its own URL, a loop
# (ERR_TOO_MANY_REDIRECTS) that hides the CSRF lesson: the proxy's named e2e settings turn it off.
# nginx already redirects http to https for every lab host. The health check is exempt: Docker asks
# the socket directly, and a redirect there would only say "unhealthy".
SECURE_SSL_REDIRECT = env.boolean("LAB_SECURE_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# No HSTS on purpose: a browser would remember it for these hostnames long after the lab.
SILENCED_SYSTEM_CHECKS = ["security.W004"]

# --- CORS (django-cors-headers): who may READ the API's responses ---------------------------------
# The browser sends the request anyway; these headers only decide whether the page's JavaScript
# gets to see the answer. https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
CORS_ALLOWED_ORIGINS = LAB_APP_ORIGINS
# Lets the app's fetch(..., {credentials: "include"}) read responses that used cookies.
CORS_ALLOW_CREDENTIALS = True
# Everything under /api/ except the deliberately unconfigured /api/no-cors/ paths.
CORS_URLS_REGEX = r"^/api/(?!no-cors/)"
# The library's defaults plus Accept-Language, which the pages send when the learner's language
# switch overrides the browser's. With a value like "ja" it is CORS-safelisted and never asked for
# in a preflight; a longer or unusual value is not, and then the preflight must allow it.
CORS_ALLOW_HEADERS = (*default_headers, "accept-language")
# The seed article's debugging switch: lets the page's JavaScript read these response headers.
# Production does not need it. https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Expose-Headers
LAB_EXPOSE_CORS_HEADERS = env.boolean("LAB_EXPOSE_CORS_HEADERS")
CORS_EXPOSE_HEADERS = (
    [
        "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers",
        "Access-Control-Max-Age",
        "Vary",
    ]
    if LAB_EXPOSE_CORS_HEADERS
    else []
)

# --- CSRF: who may CHANGE things with the user's cookies -----------------------------------------
# Sits next to CORS_ALLOWED_ORIGINS on purpose: CORS guards reading, CSRF guards writing.
# Unsafe requests (POST...) whose Origin is not listed here get a 403 from CsrfViewMiddleware.
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-trusted-origins
LAB_CSRF_TRUSTED_ORIGINS = env.origin_list("LAB_CSRF_TRUSTED_ORIGINS", [LAB_APP_ORIGIN])
# The cross-site app's POSTs carry its own Origin, which is not the API's: it must be trusted.
CSRF_TRUSTED_ORIGINS = LAB_CSRF_TRUSTED_ORIGINS + [origin for origin in LAB_APP_ORIGINS if origin not in LAB_CSRF_TRUSTED_ORIGINS]
CSRF_FAILURE_VIEW = "lab.errors.csrf_failure"
# true turns POST /api/display-name/ into the csrf_exempt variant: the attacker's form then succeeds.
LAB_DISPLAY_NAME_CSRF_EXEMPT = env.boolean("LAB_DISPLAY_NAME_CSRF_EXEMPT")
# true serves the app a page with an "injected" script (frontend/xss.html, nginx serves it only then):
# a stand-in for an XSS hole, showing what a script on the app's origin takes from each way of
# keeping a token (frontend/tokens.html). Nothing of Django changes; it is read here to be reported.
LAB_XSS_STAND_IN = env.boolean("LAB_XSS_STAND_IN")

# --- Cookies ---------------------------------------------------------------------------------
SAMESITE_CHOICES = ("Strict", "Lax", "None")
# SameSite decides whether a cookie rides along on requests started by ANOTHER SITE. app -> api is
# same-site, so only the attacker's requests tell the values apart.
# https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value
SESSION_COOKIE_SAMESITE = env.choice("LAB_SESSION_COOKIE_SAMESITE", SAMESITE_CHOICES)
CSRF_COOKIE_SAMESITE = env.choice("LAB_CSRF_COOKIE_SAMESITE", SAMESITE_CHOICES)
# Secure: sent over https only. Browsers drop SameSite=None cookies without it (check lab.E001).
SESSION_COOKIE_SECURE = env.boolean("LAB_COOKIE_SECURE")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The session id is for the server only; page scripts never need it.
SESSION_COOKIE_HTTPONLY = True
# Django's default (False): the csrftoken cookie is readable by scripts of the pages that receive it.
# The app's scripts cannot read a host-only cookie of the API anyway (another host), which is why GET
# /api/csrf/ returns the token. True only stops scripts from reading it; Django's docs say it offers
# no practical protection. https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-cookie-httponly
CSRF_COOKIE_HTTPONLY = env.boolean("LAB_CSRF_COOKIE_HTTPONLY")
# True keeps the CSRF secret in the session instead of a cookie: no csrftoken cookie at all, so
# nothing for a script to read or for a sibling to toss. GET /api/csrf/ then starts a session.
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-use-sessions
CSRF_USE_SESSIONS = env.boolean("LAB_CSRF_USE_SESSIONS")
# __Host-csrftoken: the browser accepts it only Secure, Path=/ and without Domain (RFC 6265bis,
# "The __Host- Prefix"), so no sibling can set or shadow it (cookie tossing). Check lab.E004.
# https://docs.djangoproject.com/en/5.2/ref/settings/#csrf-cookie-name
CSRF_COOKIE_NAME = env.choice("LAB_CSRF_COOKIE_NAME", ("csrftoken", "__Host-csrftoken"))
# Which hosts get the cookies back. host-only (Django's default, None): no Domain attribute, so only
# the API's own host. site: Domain=<the API's site> (lab.localhost), so every host of the site gets
# them, the app and the sibling included, and their scripts can read a cookie that is not HttpOnly.
# https://docs.djangoproject.com/en/5.2/ref/settings/#session-cookie-domain
LAB_COOKIE_DOMAINS = {"host-only": None, "site": registrable_domain(LAB_API_HOST)}
LAB_SESSION_COOKIE_DOMAIN = env.choice("LAB_SESSION_COOKIE_DOMAIN", tuple(LAB_COOKIE_DOMAINS))
LAB_CSRF_COOKIE_DOMAIN = env.choice("LAB_CSRF_COOKIE_DOMAIN", tuple(LAB_COOKIE_DOMAINS))
SESSION_COOKIE_DOMAIN = LAB_COOKIE_DOMAINS[LAB_SESSION_COOKIE_DOMAIN]
CSRF_COOKIE_DOMAIN = LAB_COOKIE_DOMAINS[LAB_CSRF_COOKIE_DOMAIN]
# CHIPS: a Partitioned cookie is kept in a jar of the top-level site it was set under, so a browser
# that blocks third-party cookies still keeps it (and sends it only under that same top-level site).
# Django 5.2's set_cookie() has no partitioned argument: lab.partitioned.PartitionedCookiesMiddleware
# adds it to these two cookies. https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/Privacy_sandbox/Partitioned_cookies
LAB_PARTITIONED_COOKIES = env.boolean("LAB_PARTITIONED_COOKIES")

# The behaviour a learner switches in .env, as read above, under the variables' own names.
LAB_BEHAVIOUR_SETTINGS = {
    "LAB_SESSION_COOKIE_SAMESITE": SESSION_COOKIE_SAMESITE,
    "LAB_CSRF_COOKIE_SAMESITE": CSRF_COOKIE_SAMESITE,
    "LAB_COOKIE_SECURE": SESSION_COOKIE_SECURE,
    "LAB_CSRF_TRUSTED_ORIGINS": LAB_CSRF_TRUSTED_ORIGINS,
    "LAB_DISPLAY_NAME_CSRF_EXEMPT": LAB_DISPLAY_NAME_CSRF_EXEMPT,
    "LAB_EXPOSE_CORS_HEADERS": LAB_EXPOSE_CORS_HEADERS,
    "LAB_DEPLOYMENT": LAB_DEPLOYMENT,
    "LAB_PARTITIONED_COOKIES": LAB_PARTITIONED_COOKIES,
    "LAB_SESSION_COOKIE_DOMAIN": LAB_SESSION_COOKIE_DOMAIN,
    "LAB_CSRF_COOKIE_DOMAIN": LAB_CSRF_COOKIE_DOMAIN,
    "LAB_CSRF_COOKIE_NAME": CSRF_COOKIE_NAME,
    "LAB_CSRF_COOKIE_HTTPONLY": CSRF_COOKIE_HTTPONLY,
    "LAB_CSRF_USE_SESSIONS": CSRF_USE_SESSIONS,
    "LAB_PROXY_FORWARDED_PROTO": LAB_PROXY_FORWARDED_PROTO,
    "LAB_SECURE_PROXY_SSL_HEADER": LAB_SECURE_PROXY_SSL_HEADER,
    "LAB_SECURE_SSL_REDIRECT": SECURE_SSL_REDIRECT,
    "LAB_DEV_LAYOUT": LAB_DEV_LAYOUT,
    "LAB_XSS_STAND_IN": LAB_XSS_STAND_IN,
}
# The Django settings behind them, as Django has them, for the pages (GET /api/config/).
LAB_SETTINGS_SHOWN = {
    "SESSION_COOKIE_DOMAIN": SESSION_COOKIE_DOMAIN,
    "CSRF_COOKIE_DOMAIN": CSRF_COOKIE_DOMAIN,
    "CSRF_COOKIE_NAME": CSRF_COOKIE_NAME,
    "CSRF_COOKIE_HTTPONLY": CSRF_COOKIE_HTTPONLY,
    "CSRF_USE_SESSIONS": CSRF_USE_SESSIONS,
    "SECURE_PROXY_SSL_HEADER": SECURE_PROXY_SSL_HEADER,
    "SECURE_SSL_REDIRECT": SECURE_SSL_REDIRECT,
}

# Bodies over 16 KiB get a JSON 413 from lab.api (nginx's own limit is 64 KiB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
