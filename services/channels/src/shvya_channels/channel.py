"""What a channel adapter offers the ChannelsService: the interface, and a stub adapter for tests.

A channels deployment serves one kind (email, whatsapp_cloud or whatsapp_web) through one
adapter. The servicer validates nothing kind-specific itself: it asks the adapter to prepare a
send, runs it once under the send ledger, and asks the adapter about its account. Adding a kind
means one new subclass of Channel, not a new branch in the servicer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_channels.killswitch import KillSwitch
from shvya_channels.outcome import Outcome
from shvya_channels.settings import ChannelKind


class Checkpoint(Protocol):
    """What an adapter tells the send ledger as one send crosses its point of no return.

    A crash before `commit()` cannot have delivered anything, so the next attempt simply
    sends. A crash between `commit()` and `accepted()` leaves the send in doubt: the next
    attempt sees `in_doubt` and the adapter applies its channel's decision (docs/channels.md,
    "Sent once"). Adapters call `commit()` immediately before the bytes that deliver the
    message leave, and `accepted()` as soon as the other side's acceptance is read."""

    # The previous attempt under this key crossed its point of no return and never learnt
    # whether the message went.
    in_doubt: bool

    def commit(self) -> bool:
        """Marks the send in doubt; False when the claim is no longer ours (do not send)."""

    def accepted(self, external_id: str) -> None:
        """Records the send as done, before anything else happens on the connection."""


class Unledgered:
    """The checkpoint of a send made outside the ledger (an adapter driven directly)."""

    in_doubt = False

    def commit(self) -> bool:
        return True

    def accepted(self, external_id: str) -> None:
        pass


def not_committed() -> Outcome:
    """What an adapter answers when its checkpoint refuses the point of no return."""
    return Outcome.retry(
        "this attempt no longer holds the send (its lease ran out, or the ledger is unreachable); "
        "nothing was sent",
        after=1.0,
        code="claim-lost",
    )


# A send ready to run (once, under the ledger, told its checkpoint), or the invalid fields.
Prepared = tuple[Callable[[Checkpoint], Outcome] | None, dict[str, str]]


class Unsupported(Exception):
    """The request needs another channel kind (a QR code from email, say)."""


class Channel(ABC):
    """One channel kind's adapter. Subclasses set `kind` and implement prepare and readiness."""

    kind: ChannelKind
    # The kill switch that stops this account's sends, for kinds that have one.
    killswitch: KillSwitch | None = None
    # The sending account: an address, a phone number id, a linked number's name.
    account: str = ""
    # Whether the deployment has what this kind needs to send at all (a token, say).
    configured: bool = True

    @abstractmethod
    def parse(self, request: pb.SendMessageRequest) -> tuple[Any, dict[str, str]]:
        """This kind's message from a send request, or the request's invalid fields."""

    @abstractmethod
    def send(self, message: Any, checkpoint: Checkpoint) -> Outcome:
        """Sends a parsed message once; the servicer's ledger keeps it from running twice."""

    def prepare(self, request: pb.SendMessageRequest) -> Prepared:
        """Checks a send request for this kind, without sending anything."""
        message, errors = self.parse(request)
        if message is None:
            return None, errors
        return lambda checkpoint: self.send(message, checkpoint), {}

    @abstractmethod
    def readiness(self) -> tuple[bool, str]:
        """Whether a send would be attempted now, and if not, why."""

    def describe(self, status: pb.AccountStatus) -> None:  # noqa: B027 - optional for a kind
        """Adds what this kind knows of its account (login state, pacing) to `status`."""

    def current_stop(self):
        return self.killswitch.current() if self.killswitch is not None else None

    def login_qr(self) -> tuple[bytes, datetime]:
        """The QR code shown to link the account, and when it was read; LookupError if none is."""
        raise Unsupported("only the whatsapp_web channel shows a QR code")

    def report_error(self, code: str, message: str, external_id: str) -> bool:
        raise Unsupported("only the whatsapp_cloud channel takes Meta's delivery errors")

    def start(self) -> None:  # noqa: B027 - optional for a kind
        """Starts background work (a browser); called once the servicer is wired."""

    def close(self) -> None:  # noqa: B027 - optional for a kind
        """Releases connections and threads."""


class StubChannel(Channel):
    """A channel that sends nothing: it records each send and answers with `send` (by default
    "sent"). For tests of the servicer and of the send ledger."""

    def __init__(
        self, kind: ChannelKind = ChannelKind.EMAIL, send: Callable[[], Outcome] | None = None
    ) -> None:
        self.kind = kind
        self.account = "stub"
        self.sent: list[pb.SendMessageRequest] = []
        self._send = send or (lambda: Outcome.sent(f"stub-{len(self.sent)}"))

    def parse(self, request: pb.SendMessageRequest) -> tuple[Any, dict[str, str]]:
        if not request.text.strip():
            return None, {"text": "must not be empty"}
        return request, {}

    def send(self, message: pb.SendMessageRequest, checkpoint: Checkpoint) -> Outcome:
        if not checkpoint.commit():
            return not_committed()
        self.sent.append(message)
        return self._send()

    def readiness(self) -> tuple[bool, str]:
        return True, ""
