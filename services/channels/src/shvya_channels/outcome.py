"""What an adapter reports back about one send."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    SENT = "sent"
    RETRY_LATER = "retry_later"
    REJECTED = "rejected"
    ACCOUNT_BLOCKED = "account_blocked"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    external_id: str = ""
    reason: str = ""
    error_code: str = ""
    retry_after_seconds: float = 0.0
    duplicate: bool = False
    # REJECTED because the address does not exist (a hard bounce, not on WhatsApp).
    address_invalid: bool = False
    # RETRY_LATER after the send crossed its point of no return without an answer (the
    # connection died or timed out waiting for the SMTP 250 or Meta's reply): the message may
    # have gone, so the send ledger keeps the key marked in doubt for the next attempt.
    in_doubt: bool = False

    @classmethod
    def sent(cls, external_id: str) -> Outcome:
        return cls(Kind.SENT, external_id=external_id)

    @classmethod
    def retry(cls, reason: str, after: float = 0.0, code: str = "", *, in_doubt: bool = False) -> Outcome:
        return cls(
            Kind.RETRY_LATER, reason=reason, retry_after_seconds=after, error_code=code, in_doubt=in_doubt
        )

    @classmethod
    def rejected(cls, reason: str, code: str = "", *, address_invalid: bool = False) -> Outcome:
        return cls(Kind.REJECTED, reason=reason, error_code=code, address_invalid=address_invalid)

    @classmethod
    def deferred(cls, reason: str, after: float) -> Outcome:
        return cls(Kind.DEFERRED, reason=reason, retry_after_seconds=after)

    @classmethod
    def blocked(cls, reason: str, code: str = "") -> Outcome:
        return cls(Kind.ACCOUNT_BLOCKED, reason=reason, error_code=code)
