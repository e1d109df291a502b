"""Reads the lab's configuration from environment variables, and fails loudly.

Every value comes from .env (through compose). A missing or malformed value stops Django at
start with a message that names the variable, instead of a lab that quietly teaches the wrong
thing.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

HINT = "Set it in .env (every variable is documented in .env.example; `make up` generates .env)."


def _raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def required(name: str) -> str:
    value = _raw(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. {HINT}")
    return value


def optional(name: str, default: str) -> str:
    return _raw(name) or default


# Labels of letters, digits and hyphens (RFC 1123), at least two of them, the last not all digits
# (an IPv4 address is no hostname here).
HOSTNAME = re.compile(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
# The one switch that lets the lab's hostnames leave .localhost. The lab CA, the one `make trust`
# adds to your machine, is name-constrained to .localhost, so that it can never vouch for a real
# site. scripts/exact-run.sh (make test-exact, and a part of make test) sets this switch, and only
# it: its names (example.com, your own) are signed by a CA made for that run alone, trusted only
# inside the run's e2e container (docs/exact-hostnames.md).
PER_RUN_CA = "LAB_PER_RUN_CA"


def hostname(name: str) -> str:
    value = required(name).lower()
    if not HOSTNAME.fullmatch(value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a hostname (letters, digits, hyphens and dots). {HINT}")
    if not value.endswith(".localhost") and not (_raw(PER_RUN_CA) and boolean(PER_RUN_CA)):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a hostname under .localhost: the lab CA, which `make trust` adds to "
            f"your machine, signs only those. Other names (example.com, your own) run only in `make "
            f"test-exact`, which sets {PER_RUN_CA}=true and makes a CA for that run alone, trusted only in "
            f"its test container (docs/exact-hostnames.md). {HINT}"
        )
    return value


def https_origin(host: str, port: int) -> str:
    """The one place the lab turns a host and port into an origin: the default port is omitted,
    exactly as browsers serialise an origin."""
    return f"https://{host}" if port == 443 else f"https://{host}:{port}"


def http_origin(host: str, port: int) -> str:
    """The same for plain http (the dev layout), whose default port is 80."""
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"


# .env.example's placeholders start with this; a .env copied from it by hand must not run with
# secrets that anyone can read on GitHub.
PLACEHOLDER = "change-me"


def _secret_value(name: str) -> str:
    """A secret's value: from the file that NAME_FILE names (compose.yaml: a file under /run/secrets,
    so that `docker inspect` does not print the secret, as it prints every environment variable),
    or from NAME itself (the unit tests set it, config/settings_test.py)."""
    path = _raw(f"{name}_FILE")
    if _raw(name) or not path:
        return required(name)
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}_FILE={path!r} cannot be read ({error.strerror}): compose writes that file from "
            f"{name} in .env. {HINT}"
        ) from None


def secret(name: str, min_bytes: int) -> str:
    value = _secret_value(name)
    if not value:
        raise ImproperlyConfigured(f"{name} is not set ({name}_FILE names an empty file). {HINT}")
    if value.startswith(PLACEHOLDER):
        raise ImproperlyConfigured(
            f"{name} still holds the placeholder from .env.example. Delete .env and run `make env` "
            f"(or `make up`) to generate real secrets, or set your own."
        )
    if len(value.encode()) < min_bytes:
        raise ImproperlyConfigured(
            f"{name} is {len(value.encode())} bytes long; it must be at least {min_bytes}. {HINT}"
        )
    return value


def boolean(name: str) -> bool:
    value = required(name).lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false. {HINT}")


def choice(name: str, choices: tuple[str, ...]) -> str:
    value = required(name)
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not one of {', '.join(choices)}. {HINT}"
        )
    return value


def port(name: str) -> int:
    value = required(name)
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ImproperlyConfigured(f"{name}={value!r} is not a TCP port. {HINT}")
    return int(value)


def origin_list(name: str, default: list[str]) -> list[str]:
    values = [item.strip() for item in _raw(name).split(",") if item.strip()]
    for value in values:
        if not value.startswith(("https://", "http://")) or value.count("/") != 2:
            raise ImproperlyConfigured(
                f"{name} holds {value!r}, which is not an origin like https://app.lab.localhost. {HINT}"
            )
    return values or default
