"""The email adapter: one message over SMTP with STARTTLS or implicit TLS, text plus HTML."""

from __future__ import annotations

import hashlib
import html
import logging
import re
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from email_validator import EmailNotValidError, validate_email

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_channels.channel import Channel, Checkpoint, Unledgered, not_committed
from shvya_channels.outcome import Outcome
from shvya_channels.settings import ChannelKind, ChannelsSettings, SmtpSecurity

log = logging.getLogger(__name__)

# Headers a caller may add; everything else is set by the adapter.
ALLOWED_EXTRA_HEADERS = {"list-unsubscribe", "list-unsubscribe-post", "reply-to", "x-shvya-campaign"}


@dataclass(frozen=True)
class Email:
    to_address: str
    to_name: str
    subject: str
    text: str
    message_id: str  # the crm message id, from which the Message-ID is derived
    # Without a crm message id the Message-ID derives from the send's key: fixed before
    # the send, so a repeat after a crash carries the same one.
    idempotency_key: str = ""
    sender_name: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


def render_html(text: str) -> str:
    """A minimal, accessible HTML alternative: paragraphs, line breaks, links."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph).replace("\n", "<br>\n")
        escaped = re.sub(r"(https?://[^\s<]+)", r'<a href="\1">\1</a>', escaped)
        out.append(f"<p>{escaped}</p>")
    body = "\n".join(out)
    return f'<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n{body}\n</body></html>\n'


def _split_address(value: str) -> tuple[str, str]:
    name, addr = parseaddr(value)
    local, _, domain = addr.partition("@")
    return name, addr if local and domain else ""


class SmtpAdapter(Channel):
    kind = ChannelKind.EMAIL

    def __init__(self, settings: ChannelsSettings) -> None:
        self._settings = settings
        # Loading the CA store costs ~25 ms of CPU: once per process, not once per email.
        self._tls_context: ssl.SSLContext | None = None
        self._tls_lock = threading.Lock()
        from_name, from_addr = _split_address(settings.smtp_from)
        if not from_addr:
            raise ValueError(f"SMTP_FROM is not an email address: {settings.smtp_from!r}")
        self._from_name = from_name
        self._from_addr = from_addr
        self.account = from_addr
        self._msgid_domain = settings.smtp_message_id_domain or from_addr.partition("@")[2]

    def parse(self, request: pb.SendMessageRequest) -> tuple[Email | None, dict[str, str]]:
        return email_request(request)

    def readiness(self) -> tuple[bool, str]:
        return True, ""

    def message_id_for(self, message_id: str, idempotency_key: str = "") -> str:
        """The Message-ID, a function of the message (never of the attempt): a copy sent again
        after a crash is the same message to RFC 5322, and to mailbox providers that fold it."""
        if message_id:
            return f"<{message_id}@{self._msgid_domain}>"
        if idempotency_key:
            digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
            return f"<{digest}@{self._msgid_domain}>"
        return make_msgid(domain=self._msgid_domain)

    def build(self, email: Email) -> EmailMessage:
        msg = EmailMessage()
        from_local, _, from_domain = self._from_addr.partition("@")
        msg["From"] = Address(email.sender_name or self._from_name, from_local, from_domain)
        to_local, _, to_domain = email.to_address.partition("@")
        msg["To"] = Address(email.to_name, to_local, to_domain)
        msg["Subject"] = email.subject
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = self.message_id_for(email.message_id, email.idempotency_key)
        if email.in_reply_to:
            msg["In-Reply-To"] = email.in_reply_to
        if email.references:
            msg["References"] = " ".join(email.references)
        for name, value in email.headers.items():
            msg[name] = value
        msg.set_content(email.text)
        msg.add_alternative(render_html(email.text), subtype="html")
        return msg

    def _tls(self) -> ssl.SSLContext:
        with self._tls_lock:
            if self._tls_context is None:
                self._tls_context = ssl.create_default_context(cafile=self._settings.smtp_ca_file)
            return self._tls_context

    def _connect(self, checkpoint: Checkpoint) -> _Committing:
        s = self._settings
        mode = s.smtp_tls_mode
        context = self._tls()
        if mode == SmtpSecurity.SSL:
            client: _Committing = _CommittingSsl(
                checkpoint,
                s.smtp_data_timeout_seconds,
                s.smtp_host,
                s.smtp_port,
                timeout=s.smtp_timeout_seconds,
                context=context,
            )
        else:
            client = _CommittingPlain(
                checkpoint,
                s.smtp_data_timeout_seconds,
                s.smtp_host,
                s.smtp_port,
                timeout=s.smtp_timeout_seconds,
            )
        try:
            client.ehlo()
            if mode == SmtpSecurity.STARTTLS:
                if not client.has_extn("starttls"):
                    raise _NoStartTls()
                client.starttls(context=context)
                client.ehlo()
            if s.smtp_user:
                client.login(s.smtp_user, s.smtp_password.get_secret_value())
        except BaseException:
            client.close()
            raise
        return client

    def send(self, email: Email, checkpoint: Checkpoint | None = None) -> Outcome:
        checkpoint = checkpoint or Unledgered()
        msg = self.build(email)
        message_id = msg["Message-ID"]
        if checkpoint.in_doubt:
            # The decision for email: send again, as the same message. The earlier attempt may
            # have been accepted before its 250 was read; the copy carries the same Message-ID.
            log.warning(
                "email %s: the previous attempt is in doubt; sending it again as the same message", message_id
            )
        client: _Committing | None = None
        try:
            client = self._connect(checkpoint)
            polite = True
            try:
                refused = client.send_message(msg, from_addr=self._from_addr, to_addrs=[email.to_address])
                if not refused:
                    # Recorded before QUIT: a crash from here on repeats nothing.
                    checkpoint.accepted(message_id)
                if client.sock is not None:
                    client.sock.settimeout(self._settings.smtp_timeout_seconds)
            except _Superseded:
                polite = False  # mid-data: dropping the connection is what discards the message
                raise
            finally:
                try:
                    if polite:
                        client.quit()
                    else:
                        client.close()
                except (smtplib.SMTPException, OSError):
                    client.close()
        except _Superseded:
            return not_committed()
        except _NoStartTls:
            return Outcome.retry(
                f"{self._settings.smtp_host} does not offer STARTTLS; refusing to send in clear text",
                code="starttls-unavailable",
            )
        except smtplib.SMTPAuthenticationError as exc:
            return Outcome.blocked(
                f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}", str(exc.smtp_code)
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            return _recipient_refused(code, _text(reply))
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            return _by_code(exc.smtp_code, f"{type(exc).__name__}: {exc.smtp_code} {_text(exc.smtp_error)}")
        except smtplib.SMTPResponseException as exc:
            return _by_code(exc.smtp_code, f"SMTP error {exc.smtp_code} {_text(exc.smtp_error)}")
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            where = f"{self._settings.smtp_host}:{self._settings.smtp_port}"
            if client is not None and client.committed:
                # The end of the data left and no reply came back (RFC 5321 4.5.3.2.6): the
                # server may have the message. Retried as the same message, marked in doubt.
                return Outcome.retry(
                    f"SMTP server {where} did not answer the end of the message: {exc}",
                    code="timeout",
                    in_doubt=True,
                )
            if isinstance(exc, ssl.SSLError):
                return Outcome.retry(f"TLS failure talking to {self._settings.smtp_host}: {exc}", code="tls")
            return Outcome.retry(f"SMTP server {where} unreachable: {exc}", code="connection")
        if refused:
            code, reply = next(iter(refused.values()))
            return _recipient_refused(code, _text(reply))
        log.info("email %s accepted by %s", message_id, self._settings.smtp_host)
        return Outcome.sent(message_id)


_END_OF_DATA = b"\r\n.\r\n"


class _Superseded(Exception):
    """The checkpoint refused the end of the data: the message is abandoned before it counts."""


class _Committing(smtplib.SMTP):
    """An SMTP client that tells its checkpoint just before the end of the message data leaves.

    A server takes responsibility for a message only when it receives the final "." and
    answers 250 (RFC 5321 section 6.1); a connection lost before the "." ends the
    transaction with nothing delivered. So the one moment that matters is the "." itself:
    smtplib sends the data and its terminator in one call, which is split here.
    """

    checkpoint: Checkpoint
    committed: bool = False
    data_timeout: float | None = None

    def send(self, s):
        if isinstance(s, bytes) and s.endswith(_END_OF_DATA):
            super().send(s[: -len(b".\r\n")])
            if not self.checkpoint.commit():
                raise _Superseded()
            self.committed = True
            if self.data_timeout is not None and self.sock is not None:
                self.sock.settimeout(self.data_timeout)
            return super().send(b".\r\n")
        return super().send(s)


class _CommittingPlain(_Committing):
    def __init__(self, checkpoint: Checkpoint, data_timeout: float, *args, **kwargs) -> None:
        self.checkpoint = checkpoint
        self.data_timeout = data_timeout
        super().__init__(*args, **kwargs)


class _CommittingSsl(_Committing, smtplib.SMTP_SSL):
    def __init__(self, checkpoint: Checkpoint, data_timeout: float, *args, **kwargs) -> None:
        self.checkpoint = checkpoint
        self.data_timeout = data_timeout
        smtplib.SMTP_SSL.__init__(self, *args, **kwargs)


class _NoStartTls(Exception):
    pass


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


# RFC 3463: X.1.1 bad mailbox, X.1.2 bad domain, X.1.3 bad address syntax, X.1.6
# mailbox moved, X.1.10 null MX. A permanent (5.x.x) one of these is a hard bounce.
_NO_SUCH_ADDRESS = re.compile(r"^\s*5\.1\.(?:1|2|3|6|10)\b")


def _recipient_refused(code: int, reply: str) -> Outcome:
    """A refused RCPT TO: a hard bounce when the address itself does not exist.

    550/551/553 with an enhanced status 5.1.x (or none at all) say the mailbox is not
    there; a 5.7.x policy refusal or a 552 full mailbox is about this message, not
    the address, and a 4xx is worth retrying."""
    reason = f"recipient refused: {code} {reply}"
    if not 500 <= code < 600:
        return _by_code(code, reason)
    enhanced = re.match(r"^\s*\d\.\d{1,3}\.\d{1,3}", reply)
    gone = bool(_NO_SUCH_ADDRESS.match(reply)) or (code in (550, 551, 553) and enhanced is None)
    return Outcome.rejected(reason, str(code), address_invalid=gone)


def _by_code(code: int, reason: str) -> Outcome:
    """5xx is permanent (hard bounce); 4xx and anything else is worth retrying."""
    if 500 <= code < 600:
        return Outcome.rejected(reason, str(code))
    return Outcome.retry(reason, code=str(code))


def email_request(request: pb.SendMessageRequest) -> tuple[Email | None, dict[str, str]]:
    """The email a send request describes, or its invalid fields (nothing is sent)."""
    errors: dict[str, str] = {}
    address = ""
    try:
        address = validate_email(request.recipient.email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        errors["recipient.email"] = (
            f"is not a valid email address ({exc})" if request.recipient.email else "is required"
        )
    if not request.text.strip():
        errors["text"] = "must not be empty"
    # Every field that lands in a header must be one line: a line break would
    # inject headers, and the email package refuses it only mid-send, as an
    # unexplained error raised after the send's key was claimed.
    single_line = {
        "recipient.name": request.recipient.name,
        "subject": request.subject,
        "sender_name": request.sender_name,
        "in_reply_to": request.in_reply_to,
        "message_id": request.message_id,
    }
    for name, value in single_line.items():
        if any(c in value for c in "\r\n"):
            errors[name] = "must be a single line"
    if any(c in reference for reference in request.references for c in "\r\n"):
        errors["references"] = "each reference must be a single line"
    for name, value in request.headers.items():
        if name.lower() not in ALLOWED_EXTRA_HEADERS:
            errors[f"headers.{name}"] = (
                f"is not allowed (allowed: {', '.join(sorted(ALLOWED_EXTRA_HEADERS))})"
            )
        elif any(c in value for c in "\r\n"):
            errors[f"headers.{name}"] = "must be a single line"
    if errors:
        return None, errors
    return (
        Email(
            to_address=address,
            to_name=request.recipient.name,
            subject=request.subject.strip() or "Your enquiry",
            text=request.text,
            message_id=request.message_id,
            idempotency_key=request.idempotency_key,
            sender_name=request.sender_name,
            in_reply_to=request.in_reply_to,
            references=tuple(request.references),
            headers=dict(request.headers),
        ),
        {},
    )
