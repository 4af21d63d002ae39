"""The one rule for every text the API reads: valid UTF-8, and no control characters.

Tab, line feed and carriage return are text; every other C0 and C1 control character
(NUL included, which PostgreSQL cannot store) is refused with a 422 that names the field,
never removed: what a client sent is either stored as it was or not at all. A lone UTF-16
surrogate (a JSON escape such as \\ud800, or an invalid UTF-8 byte of a form) is refused
as invalid UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")

CONTROL = ("must not contain control characters", "control_character")
NOT_UTF8 = ("must be valid UTF-8 text", "utf8_invalid")


def problem(text: str) -> tuple[str, str] | None:
    """(message, error type) when `text` breaks the rule; None when it is fine."""
    if _SURROGATE.search(text):
        return NOT_UTF8
    if _CONTROL.search(text):
        return CONTROL
    return None


def printable(name: str) -> str:
    """A field name safe to echo in an error, whatever bytes it was made of."""
    return name.encode("unicode_escape").decode("ascii")


def violations(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[dict[str, Any]]:
    """An error in FastAPI's shape for every string (keys too) in `value` that breaks the rule."""
    if isinstance(value, str):
        found = problem(value)
        if found:
            yield {"loc": loc, "msg": found[0], "type": found[1]}
    elif isinstance(value, dict):
        for key, item in value.items():
            found = problem(key) if isinstance(key, str) else None
            if found:
                yield {"loc": (*loc, printable(key)), "msg": f"field name {found[0]}", "type": found[1]}
                continue
            yield from violations(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from violations(item, (*loc, index))
