"""The lab's origins in values that must work on every learner's machine: one placeholder grammar.

A scenario, a playground case, a leaky configuration and the pages' links all name the lab's hosts
by their role, in braces, and the server fills them in from the running settings (.env decides
the host names and the port), so that a link carrying a case works whatever port the lab runs on:

    {app} {api} {attacker} {sibling}   the origins: https://app.lab.localhost:8443
    {site}                             the registrable domain they share: lab.localhost
    {port}                             ":8443", or "" on 443
    {origin}                           the request's own Origin (a raw answer that echoes it);
                                       "" where the request sent none

A filter after a bar changes the value, left to right: {app|host} is the origin's host
(app.lab.localhost), {site|re} the value escaped for a regular expression (lab\\.localhost). So
a careful regex reads ^{app|re}$ and the careless one ^{app}$, side by side.

Why this shape: braces and a bar are what str.format and Django's templates taught every Django
developer; the names are the roles the README's host table uses; escaping is a filter you can see
in the value rather than a second name ({site_re}) you must know exists. Only these names and
filters are read: anything else in braces stays as written, so a regex's own counts ({2,3})
never change.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from crossorigin.cookies import Hosts
from crossorigin.sites import host_of, site_of

NAMES = ("app", "api", "attacker", "sibling", "site", "port", "origin")
FILTERS = {"host": lambda value: urlsplit(value).hostname or value, "re": re.escape}
PLACEHOLDER = re.compile(r"\{(%s)((?:\|(?:%s))*)\}" % ("|".join(NAMES), "|".join(FILTERS)))


@dataclass(frozen=True)
class LabOrigins:
    app: str
    api: str
    attacker: str
    sibling: str = ""

    @property
    def site(self) -> str:
        return host_of(site_of(self.app))

    @property
    def port(self) -> str:
        port = urlsplit(self.app).port
        return f":{port}" if port else ""

    def fill(self, value: str, origin: str | None = None) -> str:
        """`value` with every placeholder filled in; {origin} by the request's Origin."""
        def replace(found: re.Match) -> str:
            name, filters = found.group(1), found.group(2).split("|")[1:]
            text = (origin or "") if name == "origin" else getattr(self, name)
            for name_of_filter in filters:
                text = FILTERS[name_of_filter](text)
            return text
        return PLACEHOLDER.sub(replace, value)

    def fill_all(self, value):
        """Every string inside lists and dicts filled in (a setting's value, a server spec)."""
        if isinstance(value, str):
            return self.fill(value)
        if isinstance(value, list):
            return [self.fill_all(item) for item in value]
        if isinstance(value, dict):
            return {name: self.fill_all(item) for name, item in value.items()}
        return value

    def hosts(self) -> set[str]:
        """The hosts a playground redirect or Location may name."""
        return {urlsplit(origin).netloc for origin in (self.app, self.api, self.attacker)}


def echoes_origin(value: str) -> bool:
    return any(found.group(1) == "origin" for found in PLACEHOLDER.finditer(value))


def lab_origins() -> LabOrigins:
    """The running lab's origins, from settings."""
    return LabOrigins(app=settings.LAB_APP_ORIGIN, api=settings.LAB_API_ORIGIN,
                      attacker=settings.LAB_ATTACKER_ORIGIN, sibling=settings.LAB_SIBLING_ORIGIN)


def lab_hosts() -> Hosts:
    """The running lab's app and API hosts, as the cookie model takes them (their sites decide
    whether an engine keeps a host-only cookie: crossorigin/cookies.py)."""
    return Hosts(app=settings.LAB_APP_HOST, api=settings.LAB_API_HOST)
