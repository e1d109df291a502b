"""Origins and sites, as a browser tells them apart.

An origin is scheme + host + port. A site is scheme + registrable domain: the label just under a
public suffix. Chromium treats `localhost` as a suffix (measured, /work/shared/ENVIRONMENT.md),
so the site of app.lab.localhost is lab.localhost and that of attacker.localhost is itself.
"""

from urllib.parse import urlsplit


def host_of(origin: str) -> str:
    return urlsplit(origin).hostname or ""


def site_of(origin: str) -> str:
    """https://app.lab.localhost:8443 -> https://lab.localhost (the port is not part of a site)."""
    labels = host_of(origin).split(".")
    return f"{urlsplit(origin).scheme}://{'.'.join(labels[-2:])}"


def relation(origin: str, to: str, cors_allowed: list, csrf_trusted: list) -> dict:
    """How a page at `origin` stands to the API at `to`: the facts the pages render as words."""
    return {
        "same_origin": origin == to,
        "same_site": site_of(origin) == site_of(to),
        "cors_allowed": origin in cors_allowed,
        "csrf_trusted": origin in csrf_trusted,
    }
