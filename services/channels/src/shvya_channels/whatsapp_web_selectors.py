"""Every selector and text the WhatsApp Web adapter relies on, in one place.

WhatsApp Web changes its markup often and without notice (docs/channels.md, section 2.5).
Each entry lists the variants seen in the wild, newest first, as one CSS
selector list, so that a change costs an edit here and nowhere else. When a
send or a login check starts failing after a WhatsApp release, compare these
against the live page (docs/channels.md, section 2.5) and bump VERSION.
"""

from __future__ import annotations

import re

VERSION = "2026-11"

# -- login --------------------------------------------------------------------------------------

# The QR code shown while the browser is not linked (its data-ref holds the code's payload).
QR_CODE = ", ".join(
    [
        "div[data-ref] canvas",
        "canvas[aria-label*='Scan' i]",
        "canvas[aria-label*='QR' i]",
        "[data-testid='qrcode'] canvas",
        "[data-ref] img",
        "[data-ref] svg",
        "img[alt*='QR' i]",
        "[data-testid='qrcode']",
        "div[data-ref]",
    ]
)
# The element to photograph for the admin's QR image: the canvas, or its container.
QR_IMAGE = QR_CODE

# Present only once the app is linked and loaded (the chat list, the app's own icons).
LOGGED_IN = ", ".join(
    [
        "#pane-side",
        "[data-icon='new-chat-outline']",
        "[data-icon='chat']",
        "[data-icon='search']",
        "[data-testid='chat-list']",
        "div[aria-label='Chat list']",
        "#side",
    ]
)

# Modal dialogs: where WhatsApp shows the invalid-number notice, logout and ban notices.
DIALOG = ", ".join(["[role='dialog']", "[data-animate-modal-popup='true']", "[data-testid='popup-contents']"])
DIALOG_OK = ", ".join(
    [
        "[role='dialog'] button",
        "[data-animate-modal-popup='true'] button",
        "[data-testid='popup-controls-ok']",
    ]
)

# The number is banned or blocked (read from a dialog, or from the page while it is not logged in).
BANNED = re.compile(
    r"(is banned|been banned|banned from using whatsapp|not allowed to use whatsapp"
    r"|account (?:has been |is )?(?:suspended|blocked|restricted)|unauthori[sz]ed (?:version|app))",
    re.IGNORECASE,
)
# WhatsApp logged this device out (from a dialog, or the landing page after a logout).
LOGGED_OUT = re.compile(
    r"(logged out|log ?out of this device|device (?:was|has been) (?:unlinked|removed)"
    r"|phone (?:is )?not connected|session (?:has )?expired)",
    re.IGNORECASE,
)

# -- sending -----------------------------------------------------------------------------------

# The chat opened by the deep link /send?phone=<digits>.
SEND_PATH = "/send?phone={digits}"
# The message composer of the open conversation (not the chat-list search box).
COMPOSER = ", ".join(
    [
        "#main footer div[contenteditable='true']",
        "footer div[contenteditable='true'][data-tab='10']",
        "[contenteditable='true'][data-tab='10']",
        "div[contenteditable='true'][aria-placeholder='Type a message']",
        "div[contenteditable='true'][aria-label='Type a message']",
        "div[contenteditable='true'][title='Type a message']",
        "footer [role='textbox'][contenteditable='true']",
        "[data-testid='conversation-compose-box-input']",
    ]
)
SEND_BUTTON = ", ".join(
    [
        "button[aria-label='Send']",
        "[data-testid='compose-btn-send']",
        "span[data-icon='wds-ic-send-filled']",
        "span[data-icon='send']",
    ]
)
# WhatsApp's notice for a deep link to a number that is not on WhatsApp.
INVALID_NUMBER = re.compile(r"phone number shared via url is invalid", re.IGNORECASE)

# -- conversation ------------------------------------------------------------------------------

# One message bubble: data-id is "<fromMe>_<chat jid>_<message id>", for example
# "false_919812345678@c.us_3EB0C767D26A1D8B9F45" for an incoming message.
MESSAGE_ID_ATTR = "data-id"
MESSAGE_OUT = ", ".join(["div.message-out", "[data-id^='true_']"])
MESSAGE_IN = ", ".join(["div.message-in", "[data-id^='false_']"])
# Inside a bubble: its text, and "[10:15, 24/11/2026] Priya Sharma: " before it.
MESSAGE_TEXT = ", ".join(["span.selectable-text", "span.copyable-text", "[data-testid='msg-text']"])
PRE_PLAIN_TEXT = "[data-pre-plain-text]"
# The open chat's title (a saved name, a profile name or the number).
CHAT_TITLE = ", ".join(
    ["#main header span[title]", "#main header [data-testid='conversation-info-header-chat-title']"]
)

# Ticks on our own bubble (whatsapp-web.js MessageAck): clock = pending, one tick = sent to
# the server, two ticks = delivered, two blue ticks (aria-label "Read") = read.
TICK_PENDING = "span[data-icon='msg-time']"
TICK_SENT = "span[data-icon='msg-check']"
TICK_DELIVERED = "span[data-icon='msg-dblcheck']"
TICK_FAILED = "span[data-icon='msg-failed'], span[data-icon='error']"
READ_LABEL = re.compile(r"\bread\b", re.IGNORECASE)

# -- incoming ----------------------------------------------------------------------------------

# A chat in the chat list with unread messages, and its unread count.
CHAT_LIST = "#pane-side"
CHAT_ITEM = ", ".join(
    [
        "#pane-side [role='listitem']",
        "#pane-side [role='row']",
        "#pane-side [data-testid='cell-frame-container']",
    ]
)
UNREAD_BADGE = ", ".join(
    [
        "span[aria-label*='unread message' i]",
        "[data-testid='icon-unread-count']",
        "[aria-label*='unread' i]",
    ]
)
# A chat's title within its list item.
CHAT_ITEM_TITLE = "span[title]"


def digits_of_jid(data_id: str) -> str:
    """The phone digits in a message's data-id (empty for ids without a phone, e.g. @lid)."""
    match = re.search(r"_(\d{6,16})@c\.us_", data_id)
    return match.group(1) if match else ""


def sender_name(pre_plain_text: str) -> str:
    """ "[10:15, 24/11/2026] Priya Sharma: " -> "Priya Sharma"."""
    match = re.match(r"\s*\[[^\]]*\]\s*(.*?):\s*$", pre_plain_text or "")
    return match.group(1).strip() if match else ""
