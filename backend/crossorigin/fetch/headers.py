"""Header values as a browser reads them, and which request headers are CORS-safelisted.

https://fetch.spec.whatwg.org/#terminology-headers,
https://fetch.spec.whatwg.org/#cors-safelisted-request-header
"""

import re

HTTP_WHITESPACE = " \t\r\n"
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
CORS_UNSAFE_BYTES = set(range(0x20)) - {0x09} | {0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40,
                                                  0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F}
SIMPLE_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}


def header_values(headers: dict, name: str) -> list[str]:
    """Every line of one header, trimmed of HTTP whitespace, in order; names are case-insensitive."""
    found = []
    for key, value in headers.items():
        if key.lower() == name:
            found.extend(value if isinstance(value, (list, tuple)) else [value])
    return [str(v).strip(HTTP_WHITESPACE) for v in found]


def header(headers: dict, name: str) -> str | None:
    """The header's value as the browser reads it: repeated lines joined with ', ', or None."""
    found = header_values(headers, name.lower())
    return ", ".join(found) if found else None


def split_values(value: str) -> list[str]:
    """Fetch's 'get, decode, and split': commas outside double quotes separate the values; inside
    them a backslash escapes the next character ('collect an HTTP quoted string'), so '"\\"",x'
    is two values. The quotes and backslashes stay in the values, as the standard keeps them."""
    values, current, quoted, escaped = [], "", False, False
    for char in value:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            values.append(current.strip(" \t"))
            current = ""
            continue
        current += char
    return values + [current.strip(" \t")]


def token_list(value: str | None) -> list[str] | None:
    """A #token list (Access-Control-Allow-Methods/-Headers): empty elements are allowed, any
    other element must be a token, else the whole header fails to parse (None)."""
    items = [item for item in split_values(value or "") if item]
    return items if all(TOKEN.fullmatch(item) for item in items) else None


def _parse_range(value: str) -> tuple | None:
    """Fetch's 'parse a single range header value' without whitespace: bytes=N-, bytes=N-M, bytes=-N."""
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", value)
    if not match or match.groups() == ("", ""):
        return None
    start, end = (int(g) if g else None for g in match.groups())
    return None if start is not None and end is not None and start > end else (start, end)


def _mime_essence(value: str) -> str | None:
    """The essence of WHATWG 'parse a MIME type' (type/subtype must be tokens), or None."""
    value = value.strip(HTTP_WHITESPACE)
    kind, slash, rest = value.partition("/")
    subtype = rest.split(";", 1)[0].rstrip(HTTP_WHITESPACE)
    if not slash or not TOKEN.fullmatch(kind) or not TOKEN.fullmatch(subtype):
        return None
    return f"{kind}/{subtype}".lower()


def is_safelisted_request_header(name: str, value: str) -> bool:
    """https://fetch.spec.whatwg.org/#cors-safelisted-request-header"""
    data = value.encode("latin-1", "replace")
    if len(data) > 128:
        return False
    name = name.lower()
    if name == "accept":
        return not any(byte in CORS_UNSAFE_BYTES for byte in data)
    if name in ("accept-language", "content-language"):
        return re.fullmatch(r"[0-9A-Za-z *,\-.;=]*", value) is not None
    if name == "content-type":
        return not any(byte in CORS_UNSAFE_BYTES for byte in data) and _mime_essence(value) in SIMPLE_CONTENT_TYPES
    if name == "range":
        parsed = _parse_range(value)
        # bytes=-500 parses, but browsers never sent such ranges, so it stays unsafe.
        return parsed is not None and parsed[0] is not None
    return False


# Chromium's extra safelisted request headers (client hints), with the value each must have.
CHROMIUM_SAFELISTED_HINTS = {
    "dpr": r"\d+(\.\d+)?", "device-memory": r"\d+(\.\d+)?", "width": r"\d+", "viewport-width": r"\d+",
    "save-data": r"(?i:on)", "intervention": r".*",
}

