"""What the offline provider takes from a company's prompt: the counsellor's name, sign-off and tone.

The offline provider cannot follow free instructions; it reads these three
settings, said the way sellers write them ("You are Asha, an admissions
counsellor", "Sign off as Team Shvya", "Be formal"), and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NAME = re.compile(
    r"\b(?i:you are|you're|your name is|you will be|act as|speak as|i am|i'm)\s+"
    r"(?!an?\b|the\b|our\b|my\b|your\b)([A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20})?)\b"
)
_SIGN_OFF = re.compile(
    r"\b(?:sign(?: off|-off)?(?: every (?:reply|message))?(?: as| with)?|end (?:every |each )?(?:reply|message)s?"
    r" with|close with|signature)\s*[:\-]?\s*[\"\u201c']?([^\"\u201d'.\n]{2,60})",
    re.IGNORECASE,
)
_FORMAL = re.compile(
    r"\b(?:formal|formally|respectful|polite and formal|address (?:them|students) as)\b", re.I
)
_INFORMAL = re.compile(r"\b(?:casual|informal|friendly and casual|relaxed)\b", re.I)


@dataclass(frozen=True)
class Persona:
    name: str = ""
    sign_off: str = ""
    formal: bool = False

    def greeting(self, first_name: str) -> str:
        if self.formal:
            return f"Dear {first_name}," if first_name else "Hello,"
        return f"Hi {first_name}," if first_name else "Hi,"


@lru_cache(maxsize=256)
def read(prompt: str) -> Persona:
    """The settings a prompt states; defaults for what it does not."""
    name = _NAME.search(prompt or "")
    sign_off = _SIGN_OFF.search(prompt or "")
    formal = bool(_FORMAL.search(prompt or "")) and not _INFORMAL.search(prompt or "")
    return Persona(
        name=name.group(1) if name else "",
        sign_off=sign_off.group(1).strip(" ,;:") if sign_off else "",
        formal=formal,
    )
