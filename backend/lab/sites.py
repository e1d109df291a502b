"""Origins and sites, as a browser tells them apart.

An origin is scheme + host + port. A site is scheme + registrable domain: the label just under a
public suffix. Chromium treats `localhost` as a suffix (measured, /work/shared/ENVIRONMENT.md),
so the site of app.lab.localhost is lab.localhost and that of attacker.localhost is itself.
"""

import ipaddress
from urllib.parse import urlsplit


def host_of(origin: str) -> str:
    return urlsplit(origin).hostname or ""


def site_of(origin: str) -> str:
    """https://app.lab.localhost:8443 -> https://lab.localhost (the port is not part of a site).
    An IP address has no registrable domain: its site is the address itself. A trailing dot stays
    (URL standard, "registrable domain"): lab.localhost. is another site than lab.localhost."""
    scheme, host = urlsplit(origin).scheme, host_of(origin)
    try:
        address = ipaddress.ip_address(host)
        return f"{scheme}://[{address}]" if address.version == 6 else f"{scheme}://{address}"
    except ValueError:
        pass
    dot = "." if host.endswith(".") else ""
    return f"{scheme}://{'.'.join(host.rstrip('.').split('.')[-2:])}{dot}"


def relation(origin: str, to: str, cors_allowed: list, csrf_trusted: list) -> dict:
    """How a page at `origin` stands to the API at `to`: the facts the pages render as words."""
    return {
        "same_origin": origin == to,
        "same_site": site_of(origin) == site_of(to),
        "cors_allowed": origin in cors_allowed,
        "csrf_trusted": origin in csrf_trusted,
    }
