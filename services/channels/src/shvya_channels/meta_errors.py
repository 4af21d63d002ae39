"""Meta's WhatsApp Cloud API error codes, and what each one means for a send.

Meta advises branching on the numeric `code` (and `error_data.details`), never on
titles (docs/channels.md, section 1.3). Every code gets one of three actions:

- RETRY: not now; the same message may succeed later (throughput, pair rate,
  transient server errors). `after` is the least wait worth trying.
- REJECT: never retry this message (it is undeliverable as it stands); the
  reason is recorded on the message.
- STOP: the sending account itself cannot send (restricted, token expired,
  flagged for spam): the kill switch stops every send from it and a human is
  alerted.

The same table serves the synchronous error envelope and the asynchronous
`errors[]` of a failed status webhook.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    RETRY = "retry"
    REJECT = "reject"
    STOP = "stop"


@dataclass(frozen=True)
class MetaError:
    action: Action
    meaning: str
    # For RETRY: wait at least this long (seconds) before trying again.
    after: float = 0.0


DAY = 24 * 3600.0

CODES: dict[int, MetaError] = {
    # -- the codes of docs/channels.md, section 1.3 -----------------------------------------------
    130429: MetaError(Action.RETRY, "Cloud API throughput for this business number was exceeded", 2.0),
    131056: MetaError(
        Action.RETRY, "pair rate limit: too many messages to this user in a short time; slowing down", 30.0
    ),
    131047: MetaError(
        Action.REJECT,
        "more than 24 hours since the user last wrote: free text is not allowed, send an approved template",
    ),
    131026: MetaError(
        Action.REJECT,
        "message undeliverable: the number is not on WhatsApp, has not accepted the current terms, "
        "or runs an outdated app",
    ),
    368: MetaError(
        Action.STOP, "the WhatsApp Business account is restricted or disabled for policy violations"
    ),
    190: MetaError(Action.STOP, "the access token expired or was revoked: set a new WHATSAPP_CLOUD_TOKEN"),
    131048: MetaError(
        Action.STOP, "spam rate limit: too many earlier messages were blocked or flagged; review quality"
    ),
    131049: MetaError(
        Action.RETRY,
        "not delivered to maintain healthy ecosystem engagement (per-user marketing limit); retry in a day",
        DAY,
    ),
    4: MetaError(Action.RETRY, "app-level Graph API rate limit reached", 60.0),
    80007: MetaError(Action.RETRY, "WhatsApp Business account rate limit reached", 60.0),
    131030: MetaError(
        Action.REJECT, "the recipient is not on the test number's allowed list (a configuration error)"
    ),
    132000: MetaError(
        Action.REJECT, "the template's parameters do not match the approved template (count or format)"
    ),
    132001: MetaError(
        Action.REJECT, "the template does not exist, or not in this language, or is not approved"
    ),
    132015: MetaError(Action.REJECT, "the template is paused for low quality"),
    132016: MetaError(Action.REJECT, "the template is disabled for low quality"),
    131050: MetaError(Action.REJECT, "the user stopped marketing messages from this business"),
    # -- further codes Meta documents, so that they too get a clear reason ----------------------------
    0: MetaError(Action.STOP, "authentication failed: check WHATSAPP_CLOUD_TOKEN"),
    1: MetaError(Action.RETRY, "unknown Graph API error", 30.0),
    2: MetaError(Action.RETRY, "the Graph API is temporarily unavailable", 30.0),
    3: MetaError(Action.STOP, "the app lacks the capability or permission to send WhatsApp messages"),
    10: MetaError(Action.STOP, "permission denied: the token lacks whatsapp_business_messaging"),
    33: MetaError(Action.STOP, "the phone number id does not exist or the token cannot use it"),
    100: MetaError(Action.REJECT, "invalid parameter in the request"),
    200: MetaError(Action.STOP, "permission denied for this phone number"),
    131000: MetaError(Action.RETRY, "something went wrong at Meta", 30.0),
    131005: MetaError(Action.STOP, "access denied: the token lacks permission for this number"),
    131008: MetaError(Action.REJECT, "a required parameter is missing"),
    131009: MetaError(Action.REJECT, "a parameter value is not valid"),
    131016: MetaError(Action.RETRY, "the Cloud API service is temporarily unavailable", 30.0),
    131021: MetaError(Action.REJECT, "the recipient is the sending number itself"),
    131031: MetaError(Action.STOP, "the business account is locked"),
    131042: MetaError(Action.STOP, "a payment or eligibility problem on the business account"),
    131045: MetaError(Action.STOP, "the phone number's certificate is wrong or missing (registration)"),
    131051: MetaError(Action.REJECT, "unsupported message type"),
    131052: MetaError(Action.REJECT, "media could not be downloaded"),
    131053: MetaError(Action.REJECT, "media could not be uploaded"),
    132005: MetaError(Action.REJECT, "the template's text is too long once its parameters are filled in"),
    132007: MetaError(Action.REJECT, "the template's content violates WhatsApp's policy"),
    132012: MetaError(Action.REJECT, "a template parameter has the wrong format"),
    133004: MetaError(Action.RETRY, "the Cloud API server is temporarily unavailable", 30.0),
    133010: MetaError(Action.STOP, "the business phone number is not registered with the Cloud API"),
    135000: MetaError(Action.REJECT, "generic user error reported by Meta"),
}


def classify(code: int | None, http_status: int | None = None) -> MetaError:
    """The action for a Meta error code; for codes not in the table, the HTTP status decides."""
    if code is not None and code in CODES:
        return CODES[code]
    if http_status is not None:
        if http_status == 429:
            return MetaError(Action.RETRY, "rate limited by Meta", 30.0)
        if http_status >= 500:
            return MetaError(Action.RETRY, f"Meta answered HTTP {http_status}", 30.0)
        if http_status == 401:
            return MetaError(Action.STOP, "Meta refused the access token (HTTP 401)")
    # An unknown client error will not fix itself by retrying the same request.
    return MetaError(Action.REJECT, "error not known to Shvya; see Meta's error-codes reference")
