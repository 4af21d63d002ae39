"""The WhatsApp Cloud API adapter: one message through Meta's Graph API.

Free text inside the 24-hour customer-service window; otherwise the approved
template the conductor chose (request.template). Each send: the account's kill
switch, then pacing shared through Redis, then one POST to
`{graph}/{version}/{phone_number_id}/messages`; Meta's answer becomes an
Outcome through the error table in meta_errors.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import httpx
import redis

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_channels.channel import Channel, Checkpoint, Unledgered, not_committed
from shvya_channels.killswitch import KillSwitch, fingerprint
from shvya_channels.meta_errors import Action, classify
from shvya_channels.outcome import Kind, Outcome
from shvya_channels.pacing import CloudPacing
from shvya_channels.settings import ChannelKind, ChannelsSettings
from shvya_channels.whatsapp_limits import phone_error, text_error

log = logging.getLogger(__name__)

TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_URL = re.compile(r"https?://", re.IGNORECASE)
# Meta codes that mean the access token itself was refused.
TOKEN_CODES = (190, 0)


@dataclass(frozen=True)
class CloudMessage:
    to: str  # digits only, international form
    text: str
    template_name: str = ""
    template_language: str = ""
    template_parameters: tuple[str, ...] = ()

    def body(self) -> dict:
        base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": self.to}
        if self.template_name:
            template: dict = {"name": self.template_name, "language": {"code": self.template_language}}
            if self.template_parameters:
                template["components"] = [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": p} for p in self.template_parameters],
                    }
                ]
            return {**base, "type": "template", "template": template}
        return {
            **base,
            "type": "text",
            "text": {"preview_url": bool(_URL.search(self.text)), "body": self.text},
        }


def prepare(request: pb.SendMessageRequest) -> tuple[CloudMessage | None, dict[str, str]]:
    """Validates a send request for the Cloud API; every problem is named at once."""
    errors: dict[str, str] = {}
    phone = request.recipient.phone_number.strip()
    if (problem := phone_error(phone)) is not None:
        errors["recipient.phone_number"] = problem
    template = request.template if request.HasField("template") else None
    if template is not None and template.name:
        if not TEMPLATE_NAME.match(template.name):
            errors["template.name"] = "must be the approved template's name (a-z, 0-9 and _)"
        if not LANGUAGE.match(template.language or ""):
            errors["template.language"] = "must be a language code such as en or en_US"
        for i, value in enumerate(template.parameters):
            # Meta refuses empty parameters, and line breaks or tabs inside one.
            if not value.strip() or any(c in value for c in "\n\t") or "     " in value:
                errors[f"template.parameters[{i}]"] = (
                    "must be non-empty, without line breaks, tabs or more than four spaces in a row"
                )
    elif (problem := text_error(request.text)) is not None:
        errors["text"] = problem
    if errors:
        return None, errors
    if template is not None and template.name:
        return (
            CloudMessage(
                to=phone.removeprefix("+"),
                text=request.text,
                template_name=template.name,
                template_language=template.language,
                template_parameters=tuple(template.parameters),
            ),
            {},
        )
    return CloudMessage(to=phone.removeprefix("+"), text=request.text), {}


class CloudAdapter(Channel):
    kind = ChannelKind.WHATSAPP_CLOUD

    def __init__(self, settings: ChannelsSettings, client: redis.Redis) -> None:
        self._settings = settings
        self.account = settings.whatsapp_cloud_phone_id or "unconfigured"
        self._token = (
            settings.whatsapp_cloud_token.get_secret_value() if settings.whatsapp_cloud_token else ""
        )
        self.killswitch = KillSwitch(
            client, prefix=settings.redis_prefix, kind="whatsapp_cloud", account=self.account
        )
        pair_gap = settings.whatsapp_cloud_pair_gap_seconds if settings.whatsapp_human_pacing else 0.0
        self.pacing = CloudPacing(
            client,
            prefix=settings.redis_prefix,
            phone_id=self.account,
            mps=settings.whatsapp_cloud_mps,
            pair_gap_seconds=pair_gap,
        )
        self._http = httpx.Client(
            base_url=settings.whatsapp_cloud_graph_url.rstrip("/"),
            timeout=httpx.Timeout(settings.whatsapp_cloud_timeout_seconds, connect=5.0),
            headers={"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"},
        )
        self._path = f"/{settings.whatsapp_cloud_api_version}/{settings.whatsapp_cloud_phone_id}/messages"

    def close(self) -> None:
        self._http.close()

    @property
    def configured(self) -> bool:
        return bool(self._settings.whatsapp_cloud_phone_id and self._token)

    def _token_lift(self) -> str:
        return f"token:{fingerprint(self._token)}"

    def stopped(self):
        """The kill switch's stop, unless its cause (an access token since replaced) is gone."""
        stop = self.killswitch.current()
        if stop is not None and stop.lifts_on.startswith("token:") and stop.lifts_on != self._token_lift():
            self.killswitch.resume("the access token was replaced")
            return None
        return stop

    def current_stop(self):
        return self.stopped()

    def parse(self, request: pb.SendMessageRequest) -> tuple[CloudMessage | None, dict[str, str]]:
        return prepare(request)

    def readiness(self) -> tuple[bool, str]:
        if not self.configured:
            return False, "WHATSAPP_CLOUD_PHONE_ID and WHATSAPP_CLOUD_TOKEN are not set"
        stop = self.stopped()
        if stop is not None:
            return False, f"stopped: {stop.reason}"
        return True, ""

    def send(self, message: CloudMessage, checkpoint: Checkpoint | None = None) -> Outcome:
        checkpoint = checkpoint or Unledgered()
        if not self.configured:
            return Outcome.blocked(
                "the WhatsApp Cloud API is not configured: set WHATSAPP_CLOUD_PHONE_ID and WHATSAPP_CLOUD_TOKEN",
                "not-configured",
            )
        stop = self.stopped()
        if stop is not None:
            return Outcome.blocked(f"account stopped: {stop.reason}", stop.code)
        slot = self.pacing.take(message.to)
        if not slot.granted:
            return Outcome.deferred(slot.reason, slot.wait_seconds)
        if checkpoint.in_doubt:
            # The decision for the Cloud API: send again. The Graph API takes no idempotency
            # key and offers no look-up by ours, so the earlier request cannot be asked about;
            # a student without an answer costs more than one who may get it twice.
            log.warning(
                "WhatsApp message to %s: the previous attempt is in doubt; sending it again", message.to
            )
        if not checkpoint.commit():
            self.pacing.release(message.to)
            return not_committed()
        try:
            response = self._http.post(self._path, json=message.body())
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # The request never left: retrying cannot send twice.
            self.pacing.release(message.to)
            return Outcome.retry(f"Graph API unreachable: {exc}", after=5.0, code="connection")
        except httpx.HTTPError as exc:
            # The request may have reached Meta; the retry is the lesser evil than losing the reply.
            log.warning("Graph API call to %s ended without an answer: %s", message.to, exc)
            return Outcome.retry(
                f"Graph API did not answer: {type(exc).__name__}", after=15.0, code="timeout", in_doubt=True
            )
        outcome = self._outcome(response)
        if outcome.kind == Kind.SENT:
            checkpoint.accepted(outcome.external_id)
        elif outcome.error_code != "131056":
            self.pacing.release(message.to)
        return outcome

    def report_error(self, code_text: str, message: str, wamid: str = "") -> bool:
        """An error Meta reported after the send (a failed status, or `value.errors`).

        The same table as a refused send decides: a code that means the account
        cannot send turns the kill switch on. Returns True when this report did.
        """
        if not code_text.strip().isdigit():
            raise ValueError("must be Meta's numeric error code, for example 368")
        code = int(code_text)
        known = classify(code)
        if known.action != Action.STOP or self.stopped() is not None:
            return False
        said = f" (Meta: {message})" if message else ""
        about = f" about {wamid}" if wamid else ""
        self._stop_account(
            f"{known.meaning}{said}; reported in a webhook{about}", str(code), code in TOKEN_CODES
        )
        return True

    def _stop_account(self, reason: str, code_text: str, token_refused: bool) -> None:
        """Turns the kill switch on; a stop for a refused token lifts when the token changes."""
        self.killswitch.stop(reason, code_text, lifts_on=self._token_lift() if token_refused else "")

    def _outcome(self, response: httpx.Response) -> Outcome:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.is_success:
            messages = body.get("messages") if isinstance(body, dict) else None
            wamid = messages[0].get("id", "") if messages and isinstance(messages[0], dict) else ""
            if not wamid:
                return Outcome.retry("the Graph API accepted the message but returned no id", code="no-wamid")
            return Outcome.sent(wamid)
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        raw_code = error.get("code")
        code = raw_code if isinstance(raw_code, int) else None
        known = classify(code, response.status_code)
        details = (
            (error.get("error_data") or {}).get("details")
            if isinstance(error.get("error_data"), dict)
            else ""
        )
        said = details or error.get("message") or response.reason_phrase
        reason = f"{known.meaning} (Meta: {said})"
        code_text = str(code) if code is not None else f"http-{response.status_code}"
        if known.action == Action.STOP:
            self._stop_account(reason, code_text, code in TOKEN_CODES or response.status_code == 401)
            return Outcome.blocked(reason, code_text)
        if known.action == Action.RETRY:
            return Outcome.retry(reason, after=known.after, code=code_text)
        return Outcome.rejected(reason, code_text)
