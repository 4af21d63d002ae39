"""The consent table: what each kind of contact does to a lead's consent, above all after an
opt-out, and what may go out because of it. Intake, the consent API and the send policy read it
here and nowhere else; docs/consent.md shows the same table to people."""

from __future__ import annotations

from dataclasses import dataclass

# What a contact does to the one suppression record of the lead (every channel at once).
KEEP, OPT_IN, OPT_OUT = "keep", "opt_in", "opt_out"
# What goes out because of it: an answer to the lead's message, the one short opt-out
# confirmation, or nothing at all.
REPLY, CONFIRM, NOTHING = "reply", "confirm", "nothing"


@dataclass(frozen=True)
class Rule:
    name: str
    contact: str  # what arrived, as docs/consent.md words it
    consent: str  # KEEP, OPT_IN or OPT_OUT
    answer_after_opt_out: str  # REPLY, CONFIRM or NOTHING, for a lead who had opted out


RULES: tuple[Rule, ...] = (
    Rule("form_with_consent", "a web form whose consent box is ticked (any channel)", OPT_IN, REPLY),
    Rule("form_without_consent", "a web form without a ticked consent box (any channel)", KEEP, NOTHING),
    Rule("whatsapp_message", "an ordinary WhatsApp message (Cloud API or WhatsApp Web)", KEEP, NOTHING),
    Rule("opt_out_keyword", "STOP, unsubscribe, 'band karo', a wrong number (any channel)", OPT_OUT, CONFIRM),
    Rule("opt_in_keyword", "START, UNSTOP or SUBSCRIBE as the whole message (any channel)", OPT_IN, REPLY),
    Rule("ai_opt_out", "an opt-out the AI reads in the lead's message", OPT_OUT, CONFIRM),
    Rule("whatsapp_preferences_stop", "Meta's user_preferences 'stop' signal", OPT_OUT, NOTHING),
    Rule("whatsapp_preferences_resume", "Meta's user_preferences 'resume' signal", OPT_IN, NOTHING),
    Rule("email_unsubscribe", "the one-click unsubscribe link of an email", OPT_OUT, NOTHING),
    Rule("api_opt_in", "an opt-in recorded through the API", OPT_IN, NOTHING),
    Rule("api_opt_out", "an opt-out recorded through the API", OPT_OUT, NOTHING),
    Rule("import", "a CSV import row with the lead's phone or email", KEEP, NOTHING),
    Rule("company_send", "a follow-up, sequence step or counsellor reply", KEEP, NOTHING),
)
BY_NAME = {rule.name: rule for rule in RULES}

# Consent-ledger sources of opt-outs that came in a message of the lead's: only those are
# answered with a confirmation. A signal from a platform (Meta, the unsubscribe page, the
# API) was already confirmed where the student gave it, so a note from us would be a message
# after the opt-out, not an answer to one.
_OPT_OUT_SOURCES = {"keyword": "opt_out_keyword", "wrong_number": "opt_out_keyword", "ai": "ai_opt_out"}
_SIGNAL_SOURCES = {
    "whatsapp_user_preferences": ("whatsapp_preferences_resume", "whatsapp_preferences_stop"),
    "email_unsubscribe": ("api_opt_in", "email_unsubscribe"),
}


def for_inbound(*, opting_out: bool, opting_in: bool, form_consent: bool, is_form: bool) -> Rule:
    """The row for a message the lead sent (a form, or a message on a channel)."""
    if opting_out:
        return BY_NAME["opt_out_keyword"]
    if form_consent:
        return BY_NAME["form_with_consent"]
    if opting_in:
        return BY_NAME["opt_in_keyword"]
    return BY_NAME["form_without_consent" if is_form else "whatsapp_message"]


def for_signal(action: str, source: str) -> Rule:
    """The row for a consent recorded without a message of the lead's (the consent API)."""
    if action == OPT_OUT and source in _OPT_OUT_SOURCES:
        return BY_NAME[_OPT_OUT_SOURCES[source]]
    if source in _SIGNAL_SOURCES:
        return BY_NAME[_SIGNAL_SOURCES[source][action == OPT_OUT]]
    return BY_NAME["api_opt_out" if action == OPT_OUT else "api_opt_in"]


def confirms(opt_out_source: str | None) -> bool:
    """Whether an opt-out recorded with this ledger source is owed a confirmation."""
    if opt_out_source is None:
        return False
    return for_signal(OPT_OUT, opt_out_source).answer_after_opt_out == CONFIRM
