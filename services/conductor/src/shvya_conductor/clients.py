"""Stubs for the services the conductor calls, created per process: a channel each, several for the crm."""

from __future__ import annotations

from dataclasses import dataclass, field

import grpc

from shvya.ai.v1 import ai_service_pb2_grpc
from shvya.channels.v1 import channels_service_pb2_grpc
from shvya.type.v1 import channel_pb2
from shvya_conductor.settings import ConductorSettings
from shvya_rpc.client import connect, connect_many
from shvya_rpc.crm_client import CrmClient


@dataclass
class Clients:
    crm: CrmClient
    ai: ai_service_pb2_grpc.AiServiceStub
    channels: dict[int, channels_service_pb2_grpc.ChannelsServiceStub]
    channel_addresses: dict[int, str]
    _channels: list[grpc.Channel] = field(default_factory=list)

    def close(self) -> None:
        for channel in self._channels:
            channel.close()


def make_clients(settings: ConductorSettings) -> Clients:
    token = settings.token
    # Each peer's default deadline comes with its channel (shvya_rpc.deadlines), not with each call.
    crm = connect_many(
        settings.crm_addr, token, settings.crm_connections, deadline_seconds=settings.crm_timeout_seconds
    )
    ai = connect(settings.ai_addr, token, deadline_seconds=settings.ai_timeout_seconds)
    addresses = {
        channel_pb2.CHANNEL_EMAIL: settings.channels_email_addr,
        channel_pb2.CHANNEL_WHATSAPP_CLOUD: settings.channels_whatsapp_cloud_addr,
        channel_pb2.CHANNEL_WHATSAPP_WEB: settings.channels_whatsapp_web_addr,
    }
    opened = [*crm, ai]
    channel_stubs = {}
    for kind, address in addresses.items():
        conn = connect(address, token, deadline_seconds=settings.channels_timeout_seconds)
        opened.append(conn)
        channel_stubs[kind] = channels_service_pb2_grpc.ChannelsServiceStub(conn)
    return Clients(
        crm=CrmClient.over(crm),
        ai=ai_service_pb2_grpc.AiServiceStub(ai),
        channels=channel_stubs,
        channel_addresses=addresses,
        _channels=opened,
    )
