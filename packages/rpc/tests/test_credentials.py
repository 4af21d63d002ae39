"""A caller's credential passed on from the request served to the calls made for it, and no further."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.ai.v1 import ai_service_pb2_grpc as ai_pb_grpc
from shvya_rpc.client import connect
from shvya_rpc.credentials import CredentialForwarder, credential_of, forwarding
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
