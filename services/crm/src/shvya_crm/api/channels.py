"""Mapping between the contract's Channel enum and the stored channel codes."""

from __future__ import annotations

from shvya.type.v1 import channel_pb2

TO_CODE = {
    channel_pb2.CHANNEL_WHATSAPP_WEB: "wa_web",
    channel_pb2.CHANNEL_WHATSAPP_CLOUD: "wa_cloud",
    channel_pb2.CHANNEL_EMAIL: "email",
}
FROM_CODE = {code: channel for channel, code in TO_CODE.items()}
