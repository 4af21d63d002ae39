"""The OpenAI provider: the real `openai` client against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import grpc
import pytest

from shvya.ai.v1 import ai_service_pb2 as pb

API_KEY = "sk-test-not-a-real-key"  # the fixtures' key

# Tells the client how long to wait before its retry, as api.openai.com does, keeping tests fast.
FAST_RETRY = {"retry-after-ms": "10"}


def _history():
    return [
        pb.ConversationMessage(from_lead=True, text="Interested in Digital Marketing"),
        pb.ConversationMessage(from_lead=False, text="Hi Rahul! It is a 12-week course."),
        pb.ConversationMessage(from_lead=True, text="Is it online?"),
        pb.ConversationMessage(from_lead=False, text="Yes, live online classes."),
    ]


def _pushback(error: grpc.RpcError) -> str | None:
    return dict(error.trailing_metadata() or ()).get("grpc-retry-pushback-ms")


# -- the request ---------------------------------------------------------------------


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
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    body = sent.body
    assert (body["model"], body["max_tokens"]) == ("gpt-4o-mini", 250)
    assert body["temperature"] == pytest.approx(0.3)
    system = body["messages"][0]
    assert system["role"] == "system"
    assert system["content"].startswith("You are Asha, an admissions counsellor at Shvya Demo Academy.")
    # the snippets are numbered, as the answer's `sources` cite them
    for number, snippet in enumerate(request.knowledge, 1):
        assert f"[{number}] {snippet.title}\n{snippet.content}" in system["content"]
    assert "Rahul Kumar" in system["content"]
    assert "never guess" in system["content"].lower()
    assert [(m["role"], m["content"]) for m in body["messages"][1:]] == [
        ("user", "Interested in Digital Marketing"),
        ("assistant", "Hi Rahul! It is a 12-week course."),
        ("user", "Is it online?"),
        ("assistant", "Yes, live online classes."),
        ("user", "What is the fee?"),
    ]


def test_the_request_asks_for_the_turn_as_strict_json_schema(openai_ai, openai_server, request_for):
    openai_ai.ComposeReply(request_for())

    response_format = openai_server.requests[0].body["response_format"]
    assert response_format["type"] == "json_schema"
    schema = response_format["json_schema"]
    assert (schema["name"], schema["strict"]) == ("counsellor_turn", True)
    assert set(schema["schema"]["required"]) == {
        "reply",
        "subject",
        "intent",
        "suggested_stage",
        "hand_off",
        "opt_out",
        "unanswered",
        "sources",
    }
    assert schema["schema"]["properties"]["intent"]["enum"] == [
        "interested",
        "question",
        "price_objection",
        "wants_call",
        "enrolled",
        "not_interested",
        "opt_out",
    ]
    assert schema["schema"]["additionalProperties"] is False


def test_a_server_without_json_schema_gets_json_mode(make_ai, openai_server, request_for):
    settings = {"openai_api_key": API_KEY, "openai_base_url": openai_server.base_url}
    with make_ai(**settings, openai_response_format="json_object") as ai:
        ai.stub.ComposeReply(request_for())

    assert openai_server.requests[0].body["response_format"] == {"type": "json_object"}


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
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(reply="A counsellor will confirm.", sources=[])})

    openai_ai.ComposeReply(request_for(knowledge=[]))

    system = openai_server.requests[0].body["messages"][0]["content"]
    assert "counsellor will confirm" in system
    assert "Rs 24,999" not in system


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


# -- the structured answer ---------------------------------------------------------------


def test_the_reply_its_reading_and_its_usage_come_from_the_model(
    openai_ai, openai_server, request_for, turn_json
):
    # Given a model that answers a structured turn with known token counts
    openai_server.then(
        {
            "content": turn_json(
                reply="  Hi Rahul! The fee is Rs 24,999.  ",
                subject="Digital Marketing Pro fees",
                intent="question",
                suggested_stage="qualified",
                sources=[1],
            ),
            "model": "gpt-4o-mini-2024-07-18",
            "prompt_tokens": 812,
            "completion_tokens": 37,
        }
    )

    reply = openai_ai.ComposeReply(request_for())

    # Then the text, the reading, the document it relied on and the usage are reported
    assert reply.text == "Hi Rahul! The fee is Rs 24,999."
    assert reply.subject == "Digital Marketing Pro fees"
    assert (reply.intent, reply.suggested_stage) == (pb.INTENT_QUESTION, "qualified")
    assert (reply.hand_off, reply.opt_out, reply.unanswered) == (False, False, False)
    assert list(reply.knowledge_document_ids) == ["doc-dm"]
    assert reply.usage.provider == "openai"
    assert reply.usage.model == "gpt-4o-mini-2024-07-18"
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (812, 37)
    assert reply.usage.latency_ms >= 0


def test_a_call_request_read_by_the_model_hands_off(openai_ai, openai_server, request_for, turn_json):
    openai_server.then(
        {"content": turn_json(reply="Sure, a counsellor will call you.", intent="wants_call", sources=[])}
    )

    reply = openai_ai.ComposeReply(request_for(inbound_text="can someone ring me?"))

    assert reply.intent == pb.INTENT_WANTS_CALL
    assert reply.hand_off is True


def test_an_unanswerable_question_is_marked_unanswered(openai_ai, openai_server, request_for, turn_json):
    openai_server.then(
        {"content": turn_json(reply="A counsellor will confirm that.", unanswered=True, sources=[])}
    )

    reply = openai_ai.ComposeReply(request_for(inbound_text="Is there a hostel?"))

    assert reply.unanswered is True
    assert list(reply.knowledge_document_ids) == []


def test_an_opt_out_is_flagged_even_if_the_model_keeps_selling(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(reply="Sure! By the way, our next batch starts soon.")})

    reply = openai_ai.ComposeReply(request_for(inbound_text="mat bhejo"))

    assert reply.opt_out is True
    assert reply.intent == pb.INTENT_OPT_OUT
    assert reply.hand_off is False


def test_an_opt_out_the_model_missed_is_answered_with_a_confirmation_not_its_pitch(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(reply="Sure! Our next batch starts soon.", intent="interested")})

    reply = openai_ai.ComposeReply(request_for(inbound_text="मैसेज मत भेजो"))

    assert reply.opt_out is True
    assert "batch" not in reply.text
    assert "not receive any more messages" in reply.text


def test_a_wrong_number_gets_the_apology_whatever_the_model_wrote(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(reply="Noted, Rahul!", intent="opt_out", opt_out=True)})

    reply = openai_ai.ComposeReply(request_for(inbound_text="wrong number, I am not Rahul"))

    assert reply.opt_out is True
    assert reply.text.startswith("Sorry")


def test_a_payment_claim_hands_off_even_if_the_model_did_not(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(reply="Great, welcome aboard!", intent="enrolled")})

    reply = openai_ai.ComposeReply(request_for(inbound_text="I've paid the fees"))

    assert reply.hand_off is True


def test_the_prompt_asks_for_a_reply_in_the_students_language_and_script(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json()})

    openai_ai.ComposeReply(request_for(inbound_text="फीस कितनी है?"))

    assert (
        "language and script the student wrote in"
        in openai_server.requests[-1].body["messages"][0]["content"]
    )


def test_an_answer_in_a_code_fence_is_accepted(openai_ai, openai_server, request_for, turn_json):
    openai_server.then({"content": f"```json\n{turn_json()}\n```"})

    reply = openai_ai.ComposeReply(request_for())

    assert reply.text == "Hi Rahul! The fee is Rs 24,999."
    assert len(openai_server.requests) == 1


# -- one repair attempt ------------------------------------------------------------------


def test_an_answer_that_is_not_json_is_repaired_once(openai_ai, openai_server, request_for, turn_json):
    # Given a model whose first answer is prose, then a valid turn
    openai_server.then(
        {"content": "Hi Rahul! The fee is Rs 24,999.", "prompt_tokens": 100, "completion_tokens": 10},
        {"content": turn_json(), "prompt_tokens": 130, "completion_tokens": 20},
    )

    reply = openai_ai.ComposeReply(request_for())

    # Then the second request showed the model its answer and what was wrong with it
    first, second = openai_server.requests
    assert second.body["messages"][: len(first.body["messages"])] == first.body["messages"]
    assistant, instruction = second.body["messages"][-2:]
    assert assistant == {"role": "assistant", "content": "Hi Rahul! The fee is Rs 24,999."}
    assert instruction["role"] == "user"
    assert "not JSON" in instruction["content"]
    # And the repaired answer is used, with the usage of both calls
    assert reply.text == "Hi Rahul! The fee is Rs 24,999."
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (230, 30)


def test_an_answer_outside_the_schema_is_repaired_naming_the_field(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(intent="curious")}, {"content": turn_json()})

    reply = openai_ai.ComposeReply(request_for())

    assert "intent" in openai_server.requests[1].body["messages"][-1]["content"]
    assert reply.intent == pb.INTENT_QUESTION


def test_a_citation_of_a_document_that_was_not_given_is_repaired(
    openai_ai, openai_server, request_for, turn_json
):
    openai_server.then({"content": turn_json(sources=[7])}, {"content": turn_json(sources=[2])})

    reply = openai_ai.ComposeReply(request_for())

    assert "sources [7] do not exist" in openai_server.requests[1].body["messages"][-1]["content"]
    assert list(reply.knowledge_document_ids) == ["doc-refund"]


def test_an_invented_price_is_sent_back_for_repair(openai_ai, openai_server, request_for, turn_json):
    # Given a model that first offers a discount price the knowledge base does not state
    openai_server.then(
        {"content": turn_json(reply="Hi Rahul! Only Rs 19,999 this week, 20% off!")},
        {"content": turn_json(reply="Hi Rahul! The fee is Rs 24,999, or Rs 2,199 per month.")},
    )

    reply = openai_ai.ComposeReply(request_for())

    # Then the repair request names the unsupported figures, and the grounded answer goes out
    instruction = openai_server.requests[1].body["messages"][-1]["content"]
    assert "19,999" in instruction
    assert "20%" in instruction
    assert reply.text == "Hi Rahul! The fee is Rs 24,999, or Rs 2,199 per month."


def test_an_invented_date_is_sent_back_for_repair(openai_ai, openai_server, request_for, turn_json):
    openai_server.then(
        {"content": turn_json(reply="The next batch starts on 1 March 2027.")},
        {"content": turn_json(reply="The next batch starts on 5 January 2027.")},
    )

    reply = openai_ai.ComposeReply(request_for())

    assert "1 Mar" in openai_server.requests[1].body["messages"][-1]["content"]
    assert reply.text == "The next batch starts on 5 January 2027."


def test_a_model_that_insists_on_an_invented_price_is_replaced_by_a_grounded_reply(
    openai_ai, openai_server, request_for, turn_json
):
    # Given a model that states an unsupported price twice
    invented = turn_json(reply="Special price: Rs 9,999 only!")
    openai_server.then(
        {"content": invented, "prompt_tokens": 100}, {"content": invented, "prompt_tokens": 150}
    )

    reply = openai_ai.ComposeReply(request_for())

    # Then the student gets the knowledge base's own answer, and both calls are accounted for
    assert "9,999" not in reply.text
    assert "Rs 24,999" in reply.text
    assert reply.usage.provider == "openai"
    assert "grounded fallback" in reply.usage.model
    assert reply.usage.prompt_tokens == 250
    assert len(openai_server.requests) == 2


def test_an_answer_invalid_twice_is_unavailable_for_a_later_retry(openai_ai, openai_server, request_for):
    openai_server.then({"content": "not json"}, {"content": "still not json"})

    with pytest.raises(grpc.RpcError) as caught:
        openai_ai.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "invalid twice" in caught.value.details()
    assert len(openai_server.requests) == 2


# -- failures ----------------------------------------------------------------------------


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
    assert _pushback(caught.value) == "-1"
    assert len(openai_server.requests) == 2


@pytest.mark.parametrize("status", [500, 429])
def test_a_transient_model_failure_is_absorbed_by_the_retry(openai_ai, openai_server, request_for, status):
    openai_server.then({"status": status, "headers": FAST_RETRY})

    reply = openai_ai.ComposeReply(request_for())

    assert reply.text == "Hi Rahul! The fee is Rs 24,999."
    assert len(openai_server.requests) == 2


def test_a_connection_refused_is_retried_then_unavailable(make_ai, request_for):
    closed = make_ai(openai_api_key="sk-x", openai_base_url="http://127.0.0.1:9/v1", openai_max_retries=0)
    with closed as ai, pytest.raises(grpc.RpcError) as caught:
        ai.stub.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "unreachable" in caught.value.details()


def test_a_slow_model_times_out_and_is_unavailable(make_ai, openai_server, request_for):
    openai_server.then({"delay": 2.0})
    settings = {"openai_api_key": API_KEY, "openai_base_url": openai_server.base_url}
    slow = make_ai(**settings, openai_timeout_seconds=1.0, openai_max_retries=0)
    with slow as ai, pytest.raises(grpc.RpcError) as caught:
        ai.stub.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "timed out" in caught.value.details()


@pytest.mark.parametrize(
    ("status", "says"),
    [(401, "refused the API key"), (403, "refused the API key"), (404, "does not exist"), (400, "rejected")],
)
def test_a_refused_key_or_request_is_a_permanent_failure_and_not_retried(
    openai_ai, openai_server, request_for, status, says
):
    openai_server.then({"status": status})

    with pytest.raises(grpc.RpcError) as caught:
        openai_ai.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert says in caught.value.details()
    assert _pushback(caught.value) == "-1"
    assert len(openai_server.requests) == 1


def test_an_exhausted_quota_is_a_permanent_failure(openai_ai, openai_server, request_for):
    openai_server.then(*[{"status": 429, "code": "insufficient_quota", "headers": FAST_RETRY}] * 2)

    with pytest.raises(grpc.RpcError) as caught:
        openai_ai.ComposeReply(request_for())

    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "quota" in caught.value.details()


# -- summaries ---------------------------------------------------------------------------


def test_a_summary_comes_from_the_model_with_the_transcript_in_order(openai_ai, openai_server):
    openai_server.then({"content": " Rahul wants the DM fee and a call. ", "prompt_tokens": 90})

    response = openai_ai.SummarizeConversation(
        pb.SummarizeConversationRequest(
            company_name="Shvya Demo Academy",
            model=pb.ModelConfig(provider="openai"),
            lead_name="Rahul Kumar",
            lead_stage="qualified",
            lead_status="handed_off",
            messages=_history(),
            reason="handoff",
        )
    )

    assert response.summary == "Rahul wants the DM fee and a call."
    assert (response.usage.provider, response.usage.prompt_tokens) == ("openai", 90)
    body = openai_server.requests[0].body
    assert "response_format" not in body
    transcript = body["messages"][1]["content"]
    assert transcript.index("Student: Interested in Digital Marketing") < transcript.index(
        "Counsellor: Yes, live online classes."
    )
    assert "status handed_off" in transcript


def test_the_request_is_the_json_the_schema_describes(openai_server, turn_json):
    # The fake answers with a turn the schema accepts (a guard on the fixture itself).
    from shvya_ai.structured import TurnOutput

    assert TurnOutput.model_validate(json.loads(turn_json())).intent == "question"
