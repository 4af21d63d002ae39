"""The gRPC backends of the gateway: asyncio channels opened in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from grpc import aio
from grpc_health.v1 import health_pb2_grpc

from shvya.channels.v1 import channels_service_pb2_grpc
from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya_gateway.settings import GatewaySettings
from shvya_rpc.client import connect_aio, connect_many_aio
from shvya_rpc.credentials import AioCredentialForwarder
from shvya_rpc.crm_client import CrmClient


@dataclass
class Backends:
    crm: CrmClient
    conductor: conductor_service_pb2_grpc.ConductorServiceStub
    # The WhatsApp channels, for the admin endpoints; keyed whatsapp_web and whatsapp_cloud.
    channels: dict[str, channels_service_pb2_grpc.ChannelsServiceStub]
    health: dict[str, health_pb2_grpc.HealthStub]
    _channels: tuple[aio.Channel, ...]

    @classmethod
    def open(cls, settings: GatewaySettings) -> Backends:
        # Every call gets the request timeout as its deadline from its channel (shvya_rpc.deadlines),
        # and the caller's credential goes to the crm, which decides what it may do.
        deadline = settings.request_timeout_seconds
        crm_channels = connect_many_aio(
            settings.crm_addr,
            settings.token,
            settings.crm_connections,
            deadline_seconds=deadline,
            interceptors=[AioCredentialForwarder()],
        )
        crm = crm_channels[0]
        conductor = connect_aio(settings.conductor_addr, settings.token, deadline_seconds=deadline)
        web = connect_aio(settings.channels_whatsapp_web_addr, settings.token, deadline_seconds=deadline)
        cloud = connect_aio(settings.channels_whatsapp_cloud_addr, settings.token, deadline_seconds=deadline)
        return cls(
            crm=CrmClient.over(crm_channels),
            conductor=conductor_service_pb2_grpc.ConductorServiceStub(conductor),
            channels={
                "whatsapp_web": channels_service_pb2_grpc.ChannelsServiceStub(web),
                "whatsapp_cloud": channels_service_pb2_grpc.ChannelsServiceStub(cloud),
            },
            health={
                "crm": health_pb2_grpc.HealthStub(crm),
                "conductor": health_pb2_grpc.HealthStub(conductor),
            },
            _channels=(*crm_channels, conductor, web, cloud),
        )

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()
