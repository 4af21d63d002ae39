"""What WhatsApp Web tells us flows into the crm: students' messages and our messages' ticks.

Each report is first appended to a Redis list (the account's outbox to the
crm), then a single forwarder thread hands the list to the crm in order and
removes an entry only once the crm has it. A crm that is down, or a channel
that restarts, loses nothing: the list waits. The crm de-duplicates messages
on their WhatsApp id and reports on (id, status), so handing one over twice
is harmless. An incoming message is recorded like any other inbound message
(IngestInboundMessage, source whatsapp_web), and its ai_engage job reaches the
conductor by the rule every door of the mesh follows (shvya_rpc.handover).
"""

from __future__ import annotations

import json
import logging
import threading

import grpc
import redis

from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_channels.whatsapp_web_browser import Incoming
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient
from shvya_rpc.handover import Leased, hand_over

log = logging.getLogger(__name__)

_STATUS = {
    "sent": crm_pb.MESSAGE_STATUS_SENT,
    "delivered": crm_pb.MESSAGE_STATUS_DELIVERED,
    "read": crm_pb.MESSAGE_STATUS_READ,
    "failed": crm_pb.MESSAGE_STATUS_FAILED,
}
# The crm will never take these as they stand; keeping them would block the list.
_PERMANENT = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION}


# The longest message text the crm records.
MAX_TEXT_CHARS = 4096


class CrmForwarder:
    def __init__(
        self,
        client: redis.Redis,
        *,
        key: str,
        crm_addr: str,
        token: str | None,
        company_id: str,
        conductor_addr: str = "",
        lease_seconds: int = 30,
        timeout: float = 10.0,
        handover_timeout: float = 2.0,
    ) -> None:
        self._client = client
        self._key = key
        self._dead_key = f"{key}:rejected"
        self._crm_addr = crm_addr
        self._conductor_addr = conductor_addr
        self._conductor: conductor_service_pb2_grpc.ConductorServiceStub | None = None
        self._lease_seconds = lease_seconds
        # Short: the outbox waits on this thread, and a conductor that does not answer in time
        # costs only this, since the lease then goes back to the relay.
        self._handover_timeout = handover_timeout
        self._token = token
        self._company_id = company_id
        self._timeout = timeout
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="whatsapp-web-crm", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout)

    def incoming(self, message: Incoming) -> None:
        self._push(
            {
                "kind": "message",
                "id": message.external_id,
                "phone": f"+{message.phone_digits}",
                "name": message.contact_name,
                # The crm refuses a text longer than it keeps: better the start of a long
                # message than none of it.
                "text": message.text[:MAX_TEXT_CHARS],
            }
        )

    def tick(self, external_id: str, status: str) -> None:
        if status in _STATUS:
            self._push({"kind": "status", "id": external_id, "status": status})

    def pending(self) -> int:
        return int(self._client.llen(self._key))

    def _push(self, entry: dict) -> None:
        for attempt in range(5):
            try:
                self._client.rpush(self._key, json.dumps(entry))
                break
            except redis.RedisError as exc:
                log.error(
                    "could not queue a WhatsApp Web report for the crm (attempt %d): %s", attempt + 1, exc
                )
                self._stopping.wait(0.5 * (attempt + 1))
        self._wake.set()

    def _run(self) -> None:
        channel = connect(self._crm_addr, self._token)
        crm = CrmClient.over(channel)
        to_conductor = connect(self._conductor_addr, self._token) if self._conductor_addr else None
        self._conductor = (
            conductor_service_pb2_grpc.ConductorServiceStub(to_conductor) if to_conductor else None
        )
        backoff = 0.5
        try:
            while not self._stopping.is_set():
                try:
                    raw = self._client.lindex(self._key, 0)
                except redis.RedisError as exc:
                    log.warning("Redis unavailable for the WhatsApp Web outbox: %s", exc)
                    self._stopping.wait(backoff)
                    continue
                if raw is None:
                    self._wake.wait(1.0)
                    self._wake.clear()
                    continue
                entry = json.loads(raw)
                try:
                    self._deliver(crm, entry)
                except grpc.RpcError as exc:
                    if exc.code() in _PERMANENT:
                        log.error(
                            "the crm refused a WhatsApp Web report %s: %s", entry.get("id"), exc.details()
                        )
                        self._client.rpush(self._dead_key, raw)
                    else:
                        log.warning("crm unavailable (%s); the report waits", exc.code().name)
                        self._stopping.wait(backoff)
                        backoff = min(backoff * 2, 30.0)
                        continue
                backoff = 0.5
                self._client.lpop(self._key)
        finally:
            channel.close()
            if to_conductor is not None:
                to_conductor.close()

    def _deliver(self, crm: CrmClient, entry: dict) -> None:
        if entry["kind"] == "message":
            result = crm.leads.IngestInboundMessage(
                leads_pb.IngestInboundMessageRequest(
                    company_id=self._company_id,
                    phone_number=entry["phone"],
                    contact_name=entry["name"],
                    message_text=entry["text"],
                    channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
                    external_message_id=entry["id"],
                    source="whatsapp_web",
                    dispatch_lease_seconds=self._lease_seconds if self._conductor else 0,
                ),
                timeout=self._timeout,
            )
            leased = Leased.of(result)
            if leased is not None:
                hand_over(crm, self._conductor, [leased], self._handover_timeout)
            log.info(
                "incoming WhatsApp Web message %s recorded as %s%s",
                entry["id"],
                result.message_id,
                " (repeat)" if result.duplicate else "",
            )
        else:
            crm.leads.ApplyDeliveryStatus(
                leads_pb.ApplyDeliveryStatusRequest(
                    channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
                    external_id=entry["id"],
                    status=_STATUS[entry["status"]],
                    error_message="WhatsApp Web marked the message as failed"
                    if entry["status"] == "failed"
                    else "",
                ),
                timeout=self._timeout,
            )
