"""The gRPC backends of the console: asyncio channels opened in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from grpc import aio
from grpc_health.v1 import health_pb2_grpc

from shvya.channels.v1 import channels_service_pb2_grpc
from shvya.conductor.v1 import conductor_service_pb2_grpc
from shvya_console.settings import ConsoleSettings
from shvya_rpc.client import connect_aio
from shvya_rpc.credentials import AioCredentialForwarder
from shvya_rpc.crm_client import CrmClient


@dataclass
class Backends:
    crm: CrmClient
    conductor: conductor_service_pb2_grpc.ConductorServiceStub
    # The WhatsApp channels (account status, the QR code, the kill switch), keyed by channel name.
    channels: dict[str, channels_service_pb2_grpc.ChannelsServiceStub]
    health: dict[str, health_pb2_grpc.HealthStub]
    _channels: tuple[aio.Channel, ...]

    @classmethod
    def open(cls, settings: ConsoleSettings) -> Backends:
        # Every call carries the request timeout as its deadline and the person's credential:
        # the crm authorises it, and the conductor passes it on to the crm for what it does on
        # the person's behalf (a replay, a preview).
        deadline = settings.request_timeout_seconds
        forward = [AioCredentialForwarder()]
        crm = connect_aio(settings.crm_addr, settings.token, deadline_seconds=deadline, interceptors=forward)
        conductor = connect_aio(
            settings.conductor_addr, settings.token, deadline_seconds=deadline, interceptors=forward
        )
        web = connect_aio(settings.channels_whatsapp_web_addr, settings.token, deadline_seconds=deadline)
        cloud = connect_aio(settings.channels_whatsapp_cloud_addr, settings.token, deadline_seconds=deadline)
        return cls(
            crm=CrmClient.over(crm),
            conductor=conductor_service_pb2_grpc.ConductorServiceStub(conductor),
            channels={
                "whatsapp_web": channels_service_pb2_grpc.ChannelsServiceStub(web),
                "whatsapp_cloud": channels_service_pb2_grpc.ChannelsServiceStub(cloud),
            },
            health={
                "crm": health_pb2_grpc.HealthStub(crm),
                "conductor": health_pb2_grpc.HealthStub(conductor),
            },
            _channels=(crm, conductor, web, cloud),
        )

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()
