"""Reads the lab's configuration from environment variables, and fails loudly.

Every value comes from .env (through compose). A missing or malformed value stops Django at
start with a message that names the variable, instead of a lab that quietly teaches the wrong
thing.
"""

import os

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


def secret(name: str, min_bytes: int) -> str:
    value = required(name)
    if len(value.encode()) < min_bytes:
        raise ImproperlyConfigured(
            f"{name} is {len(value.encode())} bytes long; it must be at least {min_bytes}. {HINT}"
        )
    return value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name).lower()
    if not value:
        return default
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false. {HINT}")


def choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not one of {', '.join(choices)}. {HINT}"
        )
    return value


def port(name: str, default: int) -> int:
    value = _raw(name) or str(default)
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
