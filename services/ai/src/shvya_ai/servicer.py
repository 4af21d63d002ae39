"""The AiService gRPC interface: request to Turn, provider, Reply to response."""

from __future__ import annotations

import logging
import time

import grpc

from shvya.ai.v1 import ai_service_pb2 as pb
from shvya.ai.v1 import ai_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_ai import offline, summary, turn_metrics
from shvya_ai.openai_provider import OpenAiProvider
from shvya_ai.settings import AiSettings
from shvya_ai.turn import Conversation, ProviderError, Reply, Snippet, Turn
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


def _deadline(context: grpc.ServicerContext) -> float | None:
    remaining = context.time_remaining()
    return None if remaining is None else time.monotonic() + remaining - 0.5


def _model_failed(context: grpc.ServicerContext, exc: ProviderError) -> None:
    log.warning("openai provider failed: %s", exc)
    # The openai client has already retried; a negative pushback tells gRPC
    # clients (whose retry policy covers UNAVAILABLE) not to multiply that.
    context.set_trailing_metadata((("grpc-retry-pushback-ms", "-1"),))
    if exc.permanent:
        # A refused key or an unknown model: retrying cannot help until someone fixes it.
        context.abort(grpc.StatusCode.FAILED_PRECONDITION, f"model call refused: {exc}")
    context.abort(grpc.StatusCode.UNAVAILABLE, f"model call failed: {exc}")


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
                response_format=settings.openai_response_format,
            )

    def _provider(self, config: pb.ModelConfig, errors: dict[str, str]) -> str:
        provider = config.provider or self._settings.provider
        if provider not in ("openai", "offline"):
            errors["model.provider"] = "must be openai or offline"
        elif provider == "openai" and self._openai is None:
            errors["model.provider"] = "openai is not configured on this ai service (set OPENAI_API_KEY)"
        return provider

    def ComposeReply(self, request: pb.ComposeReplyRequest, context: grpc.ServicerContext):
        errors = {}
        if not request.inbound_text.strip() and request.purpose != pb.PURPOSE_FOLLOWUP:
            errors["inbound_text"] = "must not be empty"
        provider = self._provider(request.model, errors)
        if errors:
            abort_invalid(context, errors)
        turn = to_turn(request)
        started = time.monotonic()
        if provider == "offline":
            response = to_response(offline.compose(turn))
        else:
            try:
                response = to_response(self._openai.compose(turn, _deadline(context)))
            except ProviderError as exc:
                _model_failed(context, exc)
        turn_metrics.observe(response, time.monotonic() - started)
        return response

    def SummarizeConversation(self, request: pb.SummarizeConversationRequest, context: grpc.ServicerContext):
        errors = {}
        if not request.messages:
            errors["messages"] = "must not be empty"
        provider = self._provider(request.model, errors)
        if errors:
            abort_invalid(context, errors)
        conversation = Conversation(
            company_name=request.company_name,
            lead_name=request.lead_name,
            lead_stage=request.lead_stage,
            lead_status=request.lead_status,
            messages=[(m.from_lead, m.text) for m in request.messages],
            reason=request.reason,
            model=request.model.model,
            base_url=request.model.base_url,
        )
        try:
            if provider == "offline":
                result = summary.summarize(conversation)
            else:
                result = self._openai.summarize(conversation, _deadline(context))
        except ProviderError as exc:
            _model_failed(context, exc)
        return pb.SummarizeConversationResponse(
            summary=result.text,
            usage=pb.Usage(
                provider=result.provider,
                model=result.model,
                prompt_tokens=result.prompt_tokens,
                completion_tokens=result.completion_tokens,
                latency_ms=result.latency_ms,
            ),
        )
