"""JSON decoding with its nesting depth and number sizes bounded before Python's parser sees them."""

from __future__ import annotations

import json
import math
import re
from typing import Any

# No request body of the API nests deeper than a handful of levels; Meta's webhook, the
# deepest, nests about eight. Python's own parser recurses and fails near a thousand.
MAX_DEPTH = 32
# An int64 has 19 digits; a float literal with more characters than this is not a number
# anyone typed into a form, and very long integers cost quadratic time to convert.
MAX_NUMBER_CHARS = 32
_INT64 = 2**63

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


class JsonRefused(ValueError):
    """The body is not JSON this API reads; `kind` is the 422's error type."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _depth(raw: bytes) -> int:
    # Brackets inside strings do not nest; strings are cut out first. A body with few
    # brackets cannot nest deeper than their count, which spares the scan for most bodies.
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise JsonRefused(f"a number longer than {MAX_NUMBER_CHARS} characters", "number_too_long")
    value = int(literal)
    if not -_INT64 <= value < _INT64:
        raise JsonRefused("an integer outside the 64-bit range", "number_out_of_range")
    return value


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise JsonRefused(f"a number longer than {MAX_NUMBER_CHARS} characters", "number_too_long")
    value = float(literal)
    if not math.isfinite(value):
        raise JsonRefused("a number too large to represent", "number_out_of_range")
    return value


def _constant(name: str) -> Any:
    # Python's parser accepts NaN and Infinity, which are not JSON.
    raise JsonRefused(f"{name} is not a JSON value", "json_invalid")


def loads(raw: bytes) -> Any:
    """The value of a UTF-8 JSON document; raises JsonRefused for anything else."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonRefused(f"not valid UTF-8 at byte {exc.start}", "utf8_invalid") from None
    if _depth(raw) > MAX_DEPTH:
        raise JsonRefused(f"nested deeper than {MAX_DEPTH} levels", "json_too_deep")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"JSON decode error: {exc}", "json_invalid") from None
    except RecursionError:  # a nesting the bracket count missed cannot become a 500
        raise JsonRefused(f"nested deeper than {MAX_DEPTH} levels", "json_too_deep") from None
