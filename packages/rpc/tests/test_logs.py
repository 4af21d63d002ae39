"""Every log line is structured: the service, and the ids and trace id of the call being handled."""

from __future__ import annotations

import json
import logging

import grpc
import pytest

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.channels.v1 import channels_service_pb2_grpc as pb_grpc
from shvya_rpc.client import connect
from shvya_rpc.log_context import bound, trace_id_from, traceparent_of
from shvya_rpc.logs import configure_logging, log_format
from shvya_rpc.server import Registration, run_server

MESSAGE_ID = "7d9f6c2e-0000-4000-8000-000000000001"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


pytestmark = pytest.mark.usefixtures("restore_logging")


def lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def logging_channel_registration() -> Registration:
    """A real ChannelsService.SendMessage that logs one line while it handles the call."""

    def send(request, context):
        logging.getLogger("shvya_channels.test").info("sending")
        return pb.SendMessageResponse()

    def add(_servicer, server: grpc.Server) -> None:
        handler = grpc.unary_unary_rpc_method_handler(
            send,
            request_deserializer=pb.SendMessageRequest.FromString,
            response_serializer=pb.SendMessageResponse.SerializeToString,
        )
        server.add_generic_rpc_handlers(
            (
                grpc.method_handlers_generic_handler(
                    "shvya.channels.v1.ChannelsService", {"SendMessage": handler}
                ),
            )
        )

    return Registration(None, add, pb.DESCRIPTOR.services_by_name["ChannelsService"])


def test_a_line_is_one_json_object_with_time_level_service_logger_and_message(capsys):
    configure_logging("crm", "INFO", "json")

    logging.getLogger("shvya_crm.leads.intake").warning("lead %s refused", "L1")

    [line] = lines(capsys)
    assert list(line)[:5] == ["timestamp", "level", "service", "logger", "message"]
    assert line["service"] == "crm"
    assert line["level"] == "warning"
    assert line["logger"] == "shvya_crm.leads.intake"
    assert line["message"] == "lead L1 refused"


def test_an_exception_stays_on_its_one_json_line(capsys):
    configure_logging("crm", "INFO", "json")
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("shvya_crm").exception("unexpected")

    [line] = lines(capsys)
    assert "ValueError: broken" in line["exception"]


def test_ids_bound_by_the_code_are_on_its_lines(capsys):
    configure_logging("conductor-p1", "INFO", "json")

    with bound(job_id="J1", lead_id=None):
        logging.getLogger("shvya_conductor.runner").info("running")
    logging.getLogger("shvya_conductor.runner").info("idle")

    running, idle = lines(capsys)
    assert running["job_id"] == "J1"
    assert "lead_id" not in running
    assert "job_id" not in idle


def test_a_call_carries_the_callers_trace_id_and_its_request_ids_onto_the_servers_lines(capsys):
    configure_logging("channels-email", "INFO", "json")
    with (
        run_server([logging_channel_registration()], port=0) as server,
        connect(f"127.0.0.1:{server.port}") as channel,
        bound(trace_id=TRACE_ID),
    ):
        pb_grpc.ChannelsServiceStub(channel).SendMessage(
            pb.SendMessageRequest(message_id=MESSAGE_ID), timeout=5
        )

    [sending] = [line for line in lines(capsys) if line["message"] == "sending"]
    assert sending["trace_id"] == TRACE_ID
    assert sending["message_id"] == MESSAGE_ID
    assert sending["service"] == "channels-email"


def test_a_call_without_a_trace_starts_its_own(capsys):
    configure_logging("channels-email", "INFO", "json")
    with (
        run_server([logging_channel_registration()], port=0) as server,
        connect(f"127.0.0.1:{server.port}") as channel,
    ):
        pb_grpc.ChannelsServiceStub(channel).SendMessage(pb.SendMessageRequest(), timeout=5)

    [sending] = [line for line in lines(capsys) if line["message"] == "sending"]
    assert len(sending["trace_id"]) == 32
    assert "message_id" not in sending


def test_the_console_format_is_one_readable_line(capsys):
    configure_logging("gateway", "INFO", "console")

    with bound(lead_id="L1"):
        logging.getLogger("shvya_gateway").info("form accepted")

    [line] = capsys.readouterr().err.splitlines()
    assert "form accepted" in line
    assert "lead_id=L1" in line
    assert "service=gateway" in line
    assert not line.startswith("{")


def test_the_format_follows_the_environment_and_refuses_an_unknown_one(monkeypatch):
    monkeypatch.setenv("SHVYA_LOG_FORMAT", "console")
    assert log_format() == "console"
    monkeypatch.setenv("SHVYA_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="SHVYA_LOG_FORMAT"):
        log_format()


def test_a_traceparent_round_trips_its_trace_id_and_a_malformed_one_is_ignored():
    assert trace_id_from(traceparent_of(TRACE_ID)) == TRACE_ID
    assert trace_id_from("00-zz-00f067aa0ba902b7-01") is None
    assert trace_id_from(f"00-{'0' * 32}-00f067aa0ba902b7-01") is None
