"""A company's AI configuration: the reference defaults until set, validated when set."""

from __future__ import annotations

import uuid

import grpc
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations


def _company(crm) -> str:
    return crm.ingest(company_id=str(uuid.uuid4())).company_id


def _get(crm, company_id: str) -> conversations_pb.AiModel:
    return crm.stub.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=company_id)
    ).ai_model


def test_a_company_without_configuration_gets_the_reference_defaults(crm):
    company_id = _company(crm)

    model = _get(crm, company_id)

    assert model.model == "gpt-4o-mini"
    assert model.temperature == pytest.approx(0.7)
    assert model.max_tokens == 500
    assert model.provider == ""
    assert "counsellor" in model.system_prompt


def test_update_stores_every_field_and_get_returns_it(crm):
    company_id = _company(crm)
    wanted = conversations_pb.AiModel(
        company_id=company_id,
        provider="openai",
        model="llama-3.1-8b-instruct",
        temperature=0.2,
        max_tokens=300,
        system_prompt="You are Asha from Acme Academy.",
        base_url="http://vllm.internal:8000/v1",
    )

    updated = crm.stub.conversations.UpdateAiModel(
        conversations_pb.UpdateAiModelRequest(ai_model=wanted)
    ).ai_model

    assert updated == wanted
    assert _get(crm, company_id) == wanted
    assert crm.count("ai_models") == 1
    assert crm.event_types("type = 'ai_model.updated'") == ["ai_model.updated"]


def test_a_second_update_replaces_the_first(crm):
    company_id = _company(crm)
    for temperature in (0.2, 1.1):
        crm.stub.conversations.UpdateAiModel(
            conversations_pb.UpdateAiModelRequest(
                ai_model=conversations_pb.AiModel(
                    company_id=company_id, model="gpt-4o-mini", temperature=temperature, max_tokens=500
                )
            )
        )

    assert _get(crm, company_id).temperature == pytest.approx(1.1)
    assert crm.count("ai_models") == 1


def test_update_reports_every_invalid_field_at_once_and_stores_nothing(crm):
    company_id = _company(crm)

    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.UpdateAiModel(
            conversations_pb.UpdateAiModelRequest(
                ai_model=conversations_pb.AiModel(
                    company_id=company_id,
                    provider="anthropic",
                    model=" ",
                    temperature=2.5,
                    max_tokens=0,
                    base_url="ftp://models",
                )
            )
        )

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {
        "ai_model.provider",
        "ai_model.model",
        "ai_model.temperature",
        "ai_model.max_tokens",
        "ai_model.base_url",
    }
    assert crm.count("ai_models") == 0


def test_update_for_an_unknown_company_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.UpdateAiModel(
            conversations_pb.UpdateAiModelRequest(
                ai_model=conversations_pb.AiModel(
                    company_id=str(uuid.uuid4()), model="gpt-4o-mini", max_tokens=500
                )
            )
        )

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_update_without_a_company_id_names_ai_model_company_id(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.UpdateAiModel(
            conversations_pb.UpdateAiModelRequest(
                ai_model=conversations_pb.AiModel(model="gpt-4o-mini", max_tokens=5)
            )
        )

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"ai_model.company_id"}


def test_get_reports_the_provider_and_model_that_wrote_the_latest_reply(crm):
    said = crm.ingest(company_id=str(uuid.uuid4()))
    assert _get(crm, said.company_id).answered_by_provider == ""

    crm.stub.conversations.ReserveReply(
        conversations_pb.ReserveReplyRequest(
            message=conversations_pb.ReserveOutboundMessageRequest(
                lead_id=said.lead_id,
                channel=channel_pb2.CHANNEL_EMAIL,
                text="Hi Rahul, the fee is Rs 24,999.",
                idempotency_key=f"test:{uuid.uuid4()}",
                ai_turn=conversations_pb.AiTurn(
                    provider="offline", model="shvya-offline-1", inbound_message_id=said.message_id
                ),
            ),
            outcome=conversations_pb.TurnOutcome(answered_message_ids=[said.message_id]),
        )
    )

    model = _get(crm, said.company_id)
    assert (model.answered_by_provider, model.answered_by_model) == ("offline", "shvya-offline-1")
    assert model.model == "gpt-4o-mini"  # the setting stays what the seller chose
