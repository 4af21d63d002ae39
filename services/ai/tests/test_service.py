"""ComposeReply over real gRPC: the offline default, provider validation, health and reflection."""

from __future__ import annotations

import re

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from shvya.ai.v1 import ai_service_pb2 as pb
from shvya.ai.v1 import ai_service_pb2_grpc as pb_grpc
from shvya_rpc.client import connect
from shvya_rpc.errors import field_violations


def test_without_a_key_the_offline_provider_answers_from_the_knowledge_base(offline_ai, request_for):
    request = request_for(inbound_text="What is the fee for the digital marketing course?")

    reply = offline_ai.ComposeReply(request)

    assert reply.text.startswith("Hi Rahul,")
    assert "Rs 24,999" in reply.text
    assert reply.intent == pb.INTENT_QUESTION
    assert list(reply.knowledge_document_ids) == ["doc-dm"]
    assert reply.usage.provider == "offline"
    assert reply.subject == "Your enquiry about Digital Marketing Pro"
    assert reply.unanswered is False


def test_every_number_in_a_served_reply_comes_from_the_request_knowledge(offline_ai, request_for):
    request = request_for(
        inbound_text="When does the next digital marketing batch start and what are the fees?"
    )

    reply = offline_ai.ComposeReply(request)

    corpus = " ".join(k.content for k in request.knowledge)
    numbers = re.findall(r"\d[\d,]*", reply.text)
    assert numbers
    assert [n for n in numbers if n not in corpus] == []


def test_an_unanswerable_question_comes_back_unanswered(offline_ai, request_for):
    reply = offline_ai.ComposeReply(request_for(inbound_text="Is there a hostel on campus?", knowledge=[]))

    assert reply.unanswered is True
    assert "counsellor will confirm" in reply.text


def test_an_opt_out_comes_back_flagged(offline_ai, request_for):
    reply = offline_ai.ComposeReply(request_for(inbound_text="band karo"))

    assert reply.opt_out is True
    assert reply.intent == pb.INTENT_OPT_OUT
    assert reply.suggested_stage == "lost"


def test_a_followup_needs_no_inbound_text(offline_ai, request_for):
    reply = offline_ai.ComposeReply(request_for(purpose=pb.PURPOSE_FOLLOWUP, inbound_text="", knowledge=[]))

    assert reply.text.startswith("Hi Rahul,")


def test_an_empty_reply_request_is_refused_naming_inbound_text(offline_ai, request_for):
    with pytest.raises(grpc.RpcError) as caught:
        offline_ai.ComposeReply(request_for(inbound_text="   "))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"inbound_text"}


def test_openai_requested_without_a_key_is_refused_naming_model_provider(offline_ai, request_for):
    with pytest.raises(grpc.RpcError) as caught:
        offline_ai.ComposeReply(request_for(model=pb.ModelConfig(provider="openai")))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = field_violations(caught.value)
    assert set(violations) == {"model.provider"}
    assert "OPENAI_API_KEY" in violations["model.provider"]


def test_an_unknown_provider_is_refused_naming_model_provider(offline_ai, request_for):
    with pytest.raises(grpc.RpcError) as caught:
        offline_ai.ComposeReply(request_for(model=pb.ModelConfig(provider="anthropic")))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"model.provider"}


def test_every_bad_field_is_reported_at_once(offline_ai, request_for):
    with pytest.raises(grpc.RpcError) as caught:
        offline_ai.ComposeReply(request_for(inbound_text="", model=pb.ModelConfig(provider="openai")))

    assert set(field_violations(caught.value)) == {"inbound_text", "model.provider"}


def test_a_company_may_choose_offline_even_when_a_key_is_configured(openai_ai, openai_server, request_for):
    reply = openai_ai.ComposeReply(request_for(model=pb.ModelConfig(provider="offline")))

    assert reply.usage.provider == "offline"
    assert openai_server.requests == []


@pytest.mark.parametrize("service", ["", "shvya.ai.v1.AiService"])
def test_health_reports_serving(make_ai, service):
    with make_ai() as ai:
        status = health_pb2_grpc.HealthStub(ai.channel).Check(health_pb2.HealthCheckRequest(service=service))

    assert status.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_ai_service(make_ai):
    with make_ai() as ai:
        stub = reflection_pb2_grpc.ServerReflectionStub(ai.channel)
        responses = stub.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")])
        )
        names = {s.name for r in responses for s in r.list_services_response.service}

    assert "shvya.ai.v1.AiService" in names


def test_with_an_internal_token_a_call_without_it_is_unauthenticated(make_ai, request_for):
    with make_ai(internal_token="mesh-token") as ai:
        with pytest.raises(grpc.RpcError) as caught:
            ai.stub.ComposeReply(request_for())
        health = health_pb2_grpc.HealthStub(ai.channel).Check(health_pb2.HealthCheckRequest(service=""))
        authorised = connect(ai.address, token="mesh-token")
        try:
            reply = pb_grpc.AiServiceStub(authorised).ComposeReply(request_for())
        finally:
            authorised.close()

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    assert reply.text


def _summary_request(**overrides):
    values = {
        "company_name": "Shvya Demo Academy",
        "lead_name": "Rahul Kumar",
        "lead_stage": "qualified",
        "lead_status": "handed_off",
        "messages": [
            pb.ConversationMessage(from_lead=True, text="What is the fee for data science?"),
            pb.ConversationMessage(from_lead=False, text="Hi Rahul, the fee is Rs 59,999."),
            pb.ConversationMessage(from_lead=True, text="please call me"),
        ],
        "reason": "handoff",
    }
    values.update(overrides)
    return pb.SummarizeConversationRequest(**values)


def test_the_offline_summary_quotes_the_student_and_says_where_the_lead_stands(offline_ai):
    response = offline_ai.SummarizeConversation(_summary_request())

    assert '"What is the fee for data science?"' in response.summary
    assert '"please call me"' in response.summary
    assert "asked for a call" in response.summary
    assert "the fees" in response.summary
    assert "handed_off" in response.summary
    assert "counsellor should follow up" in response.summary
    assert response.usage.provider == "offline"


def test_a_summary_of_nothing_is_refused_naming_messages(offline_ai):
    with pytest.raises(grpc.RpcError) as caught:
        offline_ai.SummarizeConversation(_summary_request(messages=[]))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"messages"}
