"""Reading students' messages in any Indian script or spelling: normalisation, opt-outs and hand-offs."""

from shvya_language.handoff import asks_for_person, claims_payment
from shvya_language.normalise import normalise
from shvya_language.optout import is_opt_out, is_wrong_number
from shvya_language.script import warm

__all__ = ["asks_for_person", "claims_payment", "is_opt_out", "is_wrong_number", "normalise", "warm"]
