"""Reading students' messages in any Indian script or spelling: normalisation, opt-outs and hand-offs."""

from shvya_language.handoff import asks_for_person, claims_payment, without_refused_calls
from shvya_language.normalise import expand_abbreviation, normalise
from shvya_language.optout import is_opt_out, is_wrong_number
from shvya_language.script import warm as _warm_scripts


def warm() -> None:
    """Load the transliteration tables and the glossary, and compile the patterns, before any message."""
    _warm_scripts()
    is_opt_out("नमस्ते, stop")
    claims_payment("hello")
    asks_for_person("hello")


__all__ = [
    "asks_for_person",
    "claims_payment",
    "expand_abbreviation",
    "is_opt_out",
    "is_wrong_number",
    "normalise",
    "warm",
    "without_refused_calls",
]
