"""A caller's credential passed on from the request served to the calls made for it, and no further."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import grpc
import pytest

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.ai.v1 import ai_service_pb2_grpc as ai_pb_grpc
from shvya_rpc.client import connect, connect_aio
from shvya_rpc.credentials import (
    AioCredentialForwarder,
    CredentialForwarder,
    credential_of,
    forward,
    forwarding,
)
from shvya_rpc.server import Registration, run_server


def _echo_credential() -> Registration:
    """AiService.ComposeReply answering with the credential its caller sent ("-" for none), and
    its x-trace metadata as the subject."""

    def answer(request, context):
        trace = dict(context.invocation_metadata()).get("x-trace", "")
        return ai_pb.ComposeReplyResponse(text=credential_of(context) or "-", subject=trace)

    def add(servicer, server: grpc.Server) -> None:
        handler = grpc.unary_unary_rpc_method_handler(
            answer,
            request_deserializer=ai_pb.ComposeReplyRequest.FromString,
            response_serializer=ai_pb.ComposeReplyResponse.SerializeToString,
        )
        server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("shvya.ai.v1.AiService", {"ComposeReply": handler}),)
        )

    return Registration(None, add, ai_pb.DESCRIPTOR.services_by_name["AiService"])


@pytest.fixture
def stub() -> Iterator[ai_pb_grpc.AiServiceStub]:
    with run_server([_echo_credential()], port=0) as server, connect(f"localhost:{server.port}") as channel:
        yield ai_pb_grpc.AiServiceStub(grpc.intercept_channel(channel, CredentialForwarder()))


def _seen(stub) -> str:
    return stub.ComposeReply(ai_pb.ComposeReplyRequest(), timeout=5).text


def test_a_call_inside_forwarding_carries_the_credential(stub):
    with forwarding("shvs_person"):
        assert _seen(stub) == "shvs_person"


def test_a_call_outside_forwarding_carries_none(stub):
    with forwarding("shvs_person"):
        pass
    assert _seen(stub) == "-"


def test_forwarding_no_credential_leaves_the_call_as_the_service_own(stub):
    with forwarding(None):
        assert _seen(stub) == "-"


def test_forwarding_keeps_the_call_own_metadata(stub):
    with forwarding("shvs_person"):
        reply = stub.ComposeReply(ai_pb.ComposeReplyRequest(), metadata=[("x-trace", "t1")], timeout=5)
    assert (reply.text, reply.subject) == ("shvs_person", "t1")


# -- asyncio (the gateway and the console) --------------------------------------------------------


@pytest.fixture
def address() -> Iterator[str]:
    with run_server([_echo_credential()], port=0) as server:
        yield f"localhost:{server.port}"


def _seen_aio(address: str, credential: str | None, *, set_in_another_task: bool = False) -> str:
    """What the server sees of one asyncio call, with `credential` forwarded in the calling task
    (or, with set_in_another_task, in a task of its own that has ended before the call)."""

    async def call() -> str:
        if set_in_another_task:
            await asyncio.create_task(_forward_in_task(credential))
        else:
            forward(credential)
        async with connect_aio(address, interceptors=[AioCredentialForwarder()]) as channel:
            reply = await ai_pb_grpc.AiServiceStub(channel).ComposeReply(
                ai_pb.ComposeReplyRequest(), timeout=5
            )
        return reply.text

    return asyncio.run(call())


async def _forward_in_task(credential: str | None) -> None:
    forward(credential)


def test_an_asyncio_call_after_forward_carries_the_credential(address):
    assert _seen_aio(address, "shvs_person") == "shvs_person"


def test_an_asyncio_call_after_forward_of_none_is_the_service_own(address):
    assert _seen_aio(address, None) == "-"


def test_a_credential_forwarded_in_another_task_does_not_reach_this_one(address):
    assert _seen_aio(address, "shvs_person", set_in_another_task=True) == "-"
