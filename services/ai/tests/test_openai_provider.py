"""The OpenAI provider: the real `openai` client against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import grpc
import pytest

from shvya.ai.v1 import ai_service_pb2 as pb

# Tells the client how long to wait before its retry, as api.openai.com does, keeping tests fast.
FAST_RETRY = {"retry-after-ms": "10"}


def _history():
    return [
        pb.ConversationMessage(from_lead=True, text="Interested in Digital Marketing"),
        pb.ConversationMessage(from_lead=False, text="Hi Rahul! It is a 12-week course."),
        pb.ConversationMessage(from_lead=True, text="Is it online?"),
        pb.ConversationMessage(from_lead=False, text="Yes, live online classes."),
    ]


def test_the_request_carries_the_model_settings_prompt_snippets_and_conversation(
    openai_ai, openai_server, request_for
):
    # Given a conversation with history and two knowledge-base matches
    request = request_for(
        history=_history(),
        inbound_text="What is the fee?",
        model=pb.ModelConfig(provider="openai", model="gpt-4o-mini", temperature=0.3, max_tokens=250),
    )

    # When the ai composes a reply
    openai_ai.ComposeReply(request)

    # Then exactly one chat-completions request went out, shaped as the turn demands
    [sent] = openai_server.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test-not-a-real-key"
    body = sent.body
    assert body["model"] == "gpt-4o-mini"
    assert body["temperature"] == pytest.approx(0.3)
    assert body["max_tokens"] == 250
    messages = body["messages"]
    system = messages[0]
    assert system["role"] == "system"
    assert system["content"].startswith("You are Asha, an admissions counsellor at Shvya Demo Academy.")
    for snippet in request.knowledge:
        assert snippet.title in system["content"]
        assert snippet.content in system["content"]
    assert "Rahul Kumar" in system["content"]
    assert [(m["role"], m["content"]) for m in messages[1:]] == [
        ("user", "Interested in Digital Marketing"),
        ("assistant", "Hi Rahul! It is a 12-week course."),
        ("user", "Is it online?"),
        ("assistant", "Yes, live online classes."),
        ("user", "What is the fee?"),
    ]


def test_unset_model_settings_use_the_reference_defaults(openai_ai, openai_server, request_for):
    openai_ai.ComposeReply(request_for(model=pb.ModelConfig(provider="openai")))

    [sent] = openai_server.requests
    assert sent.body["model"] == "gpt-4o-mini"
    assert sent.body["temperature"] == pytest.approx(0.7)
    assert sent.body["max_tokens"] == 500


def test_a_zero_temperature_is_sent_as_zero_not_the_default(openai_ai, openai_server, request_for):
    openai_ai.ComposeReply(request_for(model=pb.ModelConfig(provider="openai", temperature=0.0)))

    assert openai_server.requests[0].body["temperature"] == 0


def test_without_matching_knowledge_the_prompt_says_a_counsellor_will_confirm(
    openai_ai, openai_server, request_for
):
    openai_ai.ComposeReply(request_for(knowledge=[]))

    system = openai_server.requests[0].body["messages"][0]["content"]
    assert "counsellor will confirm" in system
    assert "Rs 24,999" not in system


def test_the_reply_and_its_usage_come_from_the_model(openai_ai, openai_server, request_for):
    # Given a model that answers with known text and token counts
    openai_server.then(
        {
            "content": "  Hi Rahul! The fee is Rs 24,999.  ",
            "model": "gpt-4o-mini-2024-07-18",
            "prompt_tokens": 812,
            "completion_tokens": 37,
        }
    )

    reply = openai_ai.ComposeReply(request_for())

    # Then the text, the model that answered and its usage are reported
    assert reply.text == "Hi Rahul! The fee is Rs 24,999."
    assert reply.usage.provider == "openai"
    assert reply.usage.model == "gpt-4o-mini-2024-07-18"
    assert reply.usage.prompt_tokens == 812
    assert reply.usage.completion_tokens == 37
    assert reply.usage.latency_ms >= 0
    assert list(reply.knowledge_document_ids) == ["doc-dm", "doc-refund"]
    assert reply.intent == pb.INTENT_QUESTION


def test_an_opt_out_is_flagged_even_if_the_model_keeps_selling(openai_ai, openai_server, request_for):
    openai_server.then({"content": "Sure! By the way, our next batch starts soon."})

    reply = openai_ai.ComposeReply(request_for(inbound_text="mat bhejo"))

    assert reply.opt_out is True
    assert reply.intent == pb.INTENT_OPT_OUT


def test_a_request_base_url_overrides_the_service_default(make_ai, openai_server, request_for):
    # Given an ai service whose default endpoint is closed
    with make_ai(openai_api_key="sk-x", openai_base_url="http://127.0.0.1:9/v1") as ai:
        # When the company's configuration names the local endpoint
        reply = ai.stub.ComposeReply(
            request_for(model=pb.ModelConfig(provider="openai", base_url=openai_server.base_url))
        )

    # Then the call went there
    assert reply.usage.provider == "openai"
    assert len(openai_server.requests) == 1


@pytest.mark.parametrize("status", [500, 429])
def test_a_failing_model_is_retried_then_surfaces_as_unavailable(
    openai_ai, openai_server, request_for, status
):
    # Given a model endpoint that keeps failing
    openai_server.then(*[{"status": status, "headers": FAST_RETRY}] * 8)

    # When a reply is requested through the mesh client (whose policy retries UNAVAILABLE)
    with pytest.raises(grpc.RpcError) as caught:
        openai_ai.ComposeReply(request_for())

    # Then the openai client tried once and retried once (openai_max_retries=1), and the
    # failure surfaced as UNAVAILABLE without the gRPC layer running the turn again
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "model call failed" in caught.value.details()
    assert len(openai_server.requests) == 2


@pytest.mark.parametrize("status", [500, 429])
def test_a_transient_model_failure_is_absorbed_by_the_retry(openai_ai, openai_server, request_for, status):
    openai_server.then({"status": status, "headers": FAST_RETRY})

    reply = openai_ai.ComposeReply(request_for())

    assert reply.text == "Hi Rahul! The fee is Rs 24,999."
    assert len(openai_server.requests) == 2


def test_an_empty_model_reply_is_unavailable_not_an_empty_message(openai_ai, openai_server, request_for):
    openai_server.then({"content": "   "})

    with pytest.raises(grpc.RpcError) as caught:
        openai_ai.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "empty" in caught.value.details()


def test_an_unreachable_endpoint_is_unavailable(make_ai, request_for):
    closed = make_ai(openai_api_key="sk-x", openai_base_url="http://127.0.0.1:9/v1", openai_max_retries=0)
    with closed as ai, pytest.raises(grpc.RpcError) as caught:
        ai.stub.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_refused_key_is_unavailable_and_not_retried(openai_ai, openai_server, request_for):
    openai_server.then({"status": 401})

    with pytest.raises(grpc.RpcError) as caught:
        openai_ai.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert len(openai_server.requests) == 1
