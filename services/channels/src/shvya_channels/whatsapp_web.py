"""The WhatsApp Web adapter: the rules around each send, in front of the browser.

WhatsApp forbids automating its consumer app for bulk or cold messaging and
bans numbers that do it (docs/channels.md, section 2), so a send goes out only if
every rule allows it, in this order:

1. the lead wrote to us first or has a recorded opt-in (else REJECTED);
2. the account's kill switch is off (a logout or ban stops it: ACCOUNT_BLOCKED);
3. the number is linked and WhatsApp Web is loaded;
4. pacing: about one message a minute from the number, and a daily cap
   (DEFERRED with the wait, so the conductor reschedules and no worker waits);
5. the browser types it like a person and sends it; a number that is not on
   WhatsApp is a permanent REJECTED ("not on WhatsApp").
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_channels.channel import Channel, Checkpoint, Unledgered, not_committed
from shvya_channels.killswitch import KillSwitch
from shvya_channels.outcome import Outcome
from shvya_channels.pacing import WebPacing
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_channels.whatsapp_limits import phone_error, text_error
from shvya_channels.whatsapp_web_browser import LoginState, SendStatus, WebBrowser
from shvya_channels.whatsapp_web_inbound import CrmForwarder

log = logging.getLogger(__name__)

# Longer than any send the browser makes (typing budget + opening the chat + confirming).
SEND_TIMEOUT_SECONDS = 170.0


@dataclass(frozen=True)
class WebMessage:
    digits: str
    text: str
    wrote_first: bool
    opted_in: bool


def prepare(request: pb.SendMessageRequest) -> tuple[WebMessage | None, dict[str, str]]:
    errors: dict[str, str] = {}
    phone = request.recipient.phone_number.strip()
    if (problem := phone_error(phone)) is not None:
        errors["recipient.phone_number"] = problem
    if (problem := text_error(request.text)) is not None:
        errors["text"] = problem
    if errors:
        return None, errors
    return (
        WebMessage(
            digits=phone.removeprefix("+"),
            text=request.text.strip(),
            wrote_first=request.recipient_wrote_first,
            opted_in=request.recipient_opted_in,
        ),
        {},
    )


def account_name(settings: ChannelsSettings) -> str:
    """The configured name, or one generated once and kept with the browser profile."""
    if settings.whatsapp_web_account:
        return settings.whatsapp_web_account
    path = Path(settings.whatsapp_session_dir) / "account-id"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        name = f"wa-web-{uuid.uuid4().hex[:12]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name + "\n")
        return name


_LOGIN_STATE = {
    LoginState.STARTING: pb.LOGIN_STATE_STARTING,
    LoginState.NEEDS_QR: pb.LOGIN_STATE_NEEDS_QR,
    LoginState.LOGGED_IN: pb.LOGIN_STATE_LOGGED_IN,
    LoginState.LOGGED_OUT: pb.LOGIN_STATE_LOGGED_OUT,
    LoginState.BLOCKED: pb.LOGIN_STATE_BLOCKED,
}


class WebAdapter(Channel):
    kind = ChannelKind.WHATSAPP_WEB

    def __init__(self, settings: ChannelsSettings, client: redis.Redis) -> None:
        self._settings = settings
        self.account = account_name(settings)
        prefix = settings.redis_prefix
        self.killswitch = KillSwitch(client, prefix=prefix, kind="whatsapp_web", account=self.account)
        human = settings.whatsapp_human_pacing
        self.pacing = WebPacing(
            client,
            prefix=prefix,
            account=self.account,
            gap_seconds=settings.whatsapp_web_gap_seconds if human else 0.0,
            jitter_seconds=settings.whatsapp_web_gap_jitter_seconds if human else 0.0,
            daily_cap=settings.whatsapp_web_daily_cap,
            timezone=settings.whatsapp_web_timezone,
        )
        self.forwarder = CrmForwarder(
            client,
            key=f"{prefix}:channels:whatsapp_web:{self.account}:to-crm",
            crm_addr=settings.crm_addr,
            conductor_addr=settings.conductor_addr,
            lease_seconds=settings.dispatch_lease_seconds,
            token=settings.token,
            company_id=settings.whatsapp_web_company_id,
        )
        session = Path(settings.whatsapp_session_dir)
        self.browser = WebBrowser(
            url=settings.whatsapp_web_url,
            profile_dir=session / "profile",
            chromium=settings.whatsapp_web_chromium_path,
            poll_seconds=settings.whatsapp_web_poll_seconds,
            human=human,
            on_incoming=self.forwarder.incoming,
            on_tick=self.forwarder.tick,
            on_state=self._on_state,
            linked_marker=session / "linked",
        )

    def start(self) -> None:
        self.forwarder.start()
        self.browser.start()

    def close(self) -> None:
        self.browser.stop()
        self.forwarder.stop()

    def _on_state(self, state: LoginState, detail: str) -> None:
        if state == LoginState.LOGGED_OUT:
            self.killswitch.stop(detail, "logged-out", lifts_on="login")
        elif state == LoginState.BLOCKED:
            self.killswitch.stop(detail, "banned")
        elif state == LoginState.LOGGED_IN:
            self.killswitch.lift_if("login", "the number was linked again")

    def readiness(self) -> tuple[bool, str]:
        stop = self.killswitch.current()
        if stop is not None:
            return False, f"stopped: {stop.reason}"
        if self.browser.state != LoginState.LOGGED_IN:
            return False, self.browser.detail
        return True, ""

    def parse(self, request: pb.SendMessageRequest) -> tuple[WebMessage | None, dict[str, str]]:
        return prepare(request)

    def describe(self, status: pb.AccountStatus) -> None:
        status.login_state = _LOGIN_STATE[self.browser.state]
        status.login_detail = self.browser.detail
        status.login_state_since.FromDatetime(self.browser.since)
        status.sent_today = self.pacing.sent_today()
        status.daily_cap = self.pacing.daily_cap
        next_at = self.next_send_at()
        if next_at is not None:
            status.next_send_at.FromDatetime(next_at)

    def login_qr(self) -> tuple[bytes, datetime]:
        shown = self.browser.qr()
        if shown is None:
            raise LookupError(
                f"no QR code is shown: WhatsApp Web is {self.browser.state.value} ({self.browser.detail})"
            )
        return shown

    def next_send_at(self) -> datetime | None:
        wait = self.pacing.next_send_in()
        return datetime.now(UTC) + timedelta(seconds=wait) if wait > 0 else None

    def send(self, message: WebMessage, checkpoint: Checkpoint | None = None) -> Outcome:
        checkpoint = checkpoint or Unledgered()
        if not (message.wrote_first or message.opted_in):
            return Outcome.rejected(
                "WhatsApp Web only messages leads who wrote first or opted in; use the Cloud API for "
                "first contact",
                "no-consent",
            )
        stop = self.killswitch.current()
        if stop is not None:
            return Outcome.blocked(f"account stopped: {stop.reason}", stop.code)
        state = self.browser.state
        if state == LoginState.STARTING:
            return Outcome.deferred(f"WhatsApp Web is starting: {self.browser.detail}", 5.0)
        if state != LoginState.LOGGED_IN:
            return Outcome.blocked(self.browser.detail, state.value)
        slot = self.pacing.take()
        if not slot.granted:
            return Outcome.deferred(slot.reason, slot.wait_seconds)
        refused: list[bool] = []

        def commit() -> bool:
            ok = checkpoint.commit()
            refused.append(not ok)
            return ok

        # The decision for WhatsApp Web: an in-doubt message is looked for in the chat before
        # it is sent again (WhatsApp Web shows our own bubbles, so the doubt can be settled).
        result = self.browser.send(
            message.digits, message.text, SEND_TIMEOUT_SECONDS, commit=commit, look_first=checkpoint.in_doubt
        )
        if refused and refused[-1]:
            return not_committed()
        if result.status == SendStatus.SENT:
            checkpoint.accepted(result.external_id)
            log.info("WhatsApp Web message to %s sent as %s", message.digits, result.external_id)
            return Outcome.sent(result.external_id)
        if result.status == SendStatus.INVALID_NUMBER:
            return Outcome.rejected(
                f"+{message.digits} is not on WhatsApp", "not-on-whatsapp", address_invalid=True
            )
        if result.status == SendStatus.NOT_READY:
            if self.browser.state in (LoginState.LOGGED_OUT, LoginState.BLOCKED, LoginState.NEEDS_QR):
                return Outcome.blocked(result.detail, self.browser.state.value)
            return Outcome.deferred(f"WhatsApp Web is not ready: {result.detail}", 10.0)
        # Failed after the send button: the message may be on its way; the next attempt looks first.
        return Outcome.retry(
            f"WhatsApp Web send failed: {result.detail}", after=30.0, code="browser", in_doubt=bool(refused)
        )
