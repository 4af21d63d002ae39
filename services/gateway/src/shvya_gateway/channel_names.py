"""The REST API's channel names and the contract's Channel values."""

from __future__ import annotations

from typing import Literal

from shvya.type.v1 import channel_pb2

ChannelName = Literal["whatsapp_web", "whatsapp_cloud", "email"]

TO_PB = {
    "whatsapp_web": channel_pb2.CHANNEL_WHATSAPP_WEB,
    "whatsapp_cloud": channel_pb2.CHANNEL_WHATSAPP_CLOUD,
    "email": channel_pb2.CHANNEL_EMAIL,
}
FROM_PB = {value: name for name, value in TO_PB.items()}
