"""The AiService gRPC interface: request to Turn, provider, Reply to response."""

from __future__ import annotations

import logging

import grpc

from shvya.ai.v1 import ai_service_pb2 as pb
from shvya.ai.v1 import ai_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_ai import offline
from shvya_ai.openai_provider import OpenAiProvider
from shvya_ai.settings import AiSettings
from shvya_ai.turn import ProviderError, Reply, Snippet, Turn
from shvya_rpc.errors import abort_invalid

log = logging.getLogger(__name__)

_CHANNEL = {
    channel_pb2.CHANNEL_WHATSAPP_WEB: "whatsapp_web",
    channel_pb2.CHANNEL_WHATSAPP_CLOUD: "whatsapp_cloud",
    channel_pb2.CHANNEL_EMAIL: "email",
}
_INTENT = {
    "interested": pb.INTENT_INTERESTED,
    "question": pb.INTENT_QUESTION,
    "price_objection": pb.INTENT_PRICE_OBJECTION,
    "wants_call": pb.INTENT_WANTS_CALL,
    "enrolled": pb.INTENT_ENROLLED,
    "not_interested": pb.INTENT_NOT_INTERESTED,
    "opt_out": pb.INTENT_OPT_OUT,
}


def to_turn(request: pb.ComposeReplyRequest) -> Turn:
    return Turn(
        company_name=request.company_name,
        system_prompt=request.system_prompt,
        lead_name=request.lead_name,
        lead_stage=request.lead_stage,
        channel=_CHANNEL.get(request.channel, ""),
        history=[(m.from_lead, m.text) for m in request.history],
        inbound_text=request.inbound_text,
        knowledge=[Snippet(k.document_id, k.title, k.content, k.rank) for k in request.knowledge],
        purpose="followup" if request.purpose == pb.PURPOSE_FOLLOWUP else "reply",
        model=request.model.model,
        temperature=request.model.temperature if request.model.HasField("temperature") else 0.7,
        max_tokens=request.model.max_tokens or 500,
        base_url=request.model.base_url,
    )


def to_response(reply: Reply) -> pb.ComposeReplyResponse:
    return pb.ComposeReplyResponse(
        text=reply.text,
        subject=reply.subject,
        intent=_INTENT.get(reply.intent, pb.INTENT_UNSPECIFIED),
        suggested_stage=reply.suggested_stage,
        hand_off=reply.hand_off,
        opt_out=reply.opt_out,
        knowledge_document_ids=reply.knowledge_document_ids,
        unanswered=reply.unanswered,
        usage=pb.Usage(
            provider=reply.provider,
            model=reply.model,
            prompt_tokens=reply.prompt_tokens,
            completion_tokens=reply.completion_tokens,
            latency_ms=reply.latency_ms,
        ),
    )


class AiServicer(pb_grpc.AiServiceServicer):
    def __init__(self, settings: AiSettings) -> None:
        self._settings = settings
        self._openai: OpenAiProvider | None = None
        if settings.openai_api_key:
            self._openai = OpenAiProvider(
                api_key=settings.openai_api_key.get_secret_value(),
                base_url=settings.openai_base_url,
                default_model=settings.openai_model,
                timeout=settings.openai_timeout_seconds,
                max_retries=settings.openai_max_retries,
            )

    def ComposeReply(self, request: pb.ComposeReplyRequest, context: grpc.ServicerContext):
        errors = {}
        if not request.inbound_text.strip() and request.purpose != pb.PURPOSE_FOLLOWUP:
            errors["inbound_text"] = "must not be empty"
        provider = request.model.provider or self._settings.provider
        if provider not in ("openai", "offline"):
            errors["model.provider"] = "must be openai or offline"
        elif provider == "openai" and self._openai is None:
            errors["model.provider"] = "openai is not configured on this ai service (set OPENAI_API_KEY)"
        if errors:
            abort_invalid(context, errors)
        turn = to_turn(request)
        if provider == "offline":
            return to_response(offline.compose(turn))
        try:
            return to_response(self._openai.compose(turn))
        except ProviderError as exc:
            log.warning("openai provider failed: %s", exc)
            # The openai client has already retried; a negative pushback tells gRPC
            # clients (whose retry policy covers UNAVAILABLE) not to multiply that.
            context.set_trailing_metadata((("grpc-retry-pushback-ms", "-1"),))
            context.abort(grpc.StatusCode.UNAVAILABLE, f"model call failed: {exc}")
