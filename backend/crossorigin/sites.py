"""Origins and sites, as a browser tells them apart.

An origin is scheme + host + port. A site is scheme + registrable domain: the host's public suffix
plus the label just under it (https://html.spec.whatwg.org/multipage/browsers.html#sites). Ports
never matter to a site; the scheme does, so an http front and an https API are two sites
("schemeful same-site", as Chromium and Firefox compare them for SameSite).

Public suffixes come from the Public Suffix List, both its ICANN and its private section, as
browsers read it: github.io and vercel.app are suffixes, so alice.github.io and bob.github.io are
two sites, while www.example.co.jp and api.example.co.jp are one. The list is the one the pinned
publicsuffixlist package ships, read from disk: nothing is fetched at run time.

A host whose TLD is not on the list (.localhost, .test) falls to the list's default rule "*": its
last label is the suffix, so the site of app.lab.localhost is lab.localhost and that of
attacker.localhost is itself. That is what Chromium does (Sec-Fetch-Site: same-site from the app
to the API, cross-site from the attacker: e2e/test_cross_site.py). WebKitGTK does not: under such
a TLD it treats every host as a site of its own. It refused the host-only cookie that api.X set in
answer to a credentialed fetch from app.X for X = lab.localhost and lab.test, and stored it for
X = example.com (WebKitGTK 2.50.6; the lab's own run is in e2e/test_engines.py and docs/engines.md).
suffix_section() tells a listed suffix from the default rule.
"""

import ipaddress
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

DEFAULT_PORTS = {"http": 80, "https": 443}


@cache
def _suffix_list(only_icann: bool = False) -> PublicSuffixList:
    # Read on first use (about 50 ms and 4 MB for the whole list), not when a model is imported.
    return PublicSuffixList(only_icann=only_icann)


def origin_of(url: str) -> str:
    """The URL's origin, serialized as the browser does after parsing it: scheme and host in lower
    case, no user info, no default port (https://B.test:443/x is https://b.test)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return ""
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # not a port: a URL the browser would not parse; compare it as written
        return f"{scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != DEFAULT_PORTS.get(scheme) else "")


def host_of(origin: str) -> str:
    return urlsplit(origin).hostname or ""


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def registrable_domain(host: str) -> str | None:
    """The host's public suffix plus one label (https://url.spec.whatwg.org/#host-registrable-domain):
    api.example.co.jp -> example.co.jp, alice.github.io -> alice.github.io. None for an IP address
    and for a host that is itself a public suffix (github.io, co.jp, localhost). A trailing dot
    stays: lab.localhost. is another domain than lab.localhost."""
    if _is_ip_address(host):
        return None
    domain = _suffix_list().privatesuffix(host.rstrip("."))
    if domain is None:
        return None
    return domain + "." if host.endswith(".") else domain


def suffix_section(host: str) -> str | None:
    """Where the list has the host's public suffix: "icann" (co.jp), "private" (github.io), or None
    when no rule lists it and only the default rule "*" applies (lab.localhost, example.test), as
    for an IP address."""
    if _is_ip_address(host):
        return None
    host = host.rstrip(".")
    listed = _suffix_list().publicsuffix(host, accept_unknown=False)
    if listed is None:
        return None
    return "icann" if _suffix_list(only_icann=True).publicsuffix(host, accept_unknown=False) == listed else "private"


def site_of(origin: str) -> str:
    """https://app.lab.localhost:8443 -> https://lab.localhost (the port is not part of a site).
    An IP address, or a host that is itself a public suffix, has no registrable domain: its site
    is the host itself (https://127.0.0.1, https://[::1])."""
    scheme, host = urlsplit(origin).scheme, host_of(origin)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"{scheme}://{registrable_domain(host) or host}"
    return f"{scheme}://[{address}]" if address.version == 6 else f"{scheme}://{address}"


def same_site(origin: str, other: str) -> bool:
    """Schemeful same-site: the same scheme and the same registrable domain, whatever the ports."""
    return site_of(origin) == site_of(other)


def relation(origin: str, to: str, cors_allowed: list, csrf_trusted: list) -> dict:
    """How a page at `origin` stands to the API at `to`: the facts the pages render as words."""
    return {
        "same_origin": origin == to,
        "same_site": same_site(origin, to),
        "cors_allowed": origin in cors_allowed,
        "csrf_trusted": origin in csrf_trusted,
    }
