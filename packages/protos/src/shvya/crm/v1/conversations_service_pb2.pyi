import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from shvya.crm.v1 import resources_pb2 as _resources_pb2
from shvya.type.v1 import channel_pb2 as _channel_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class KnowledgeDocument(_message.Message):
    __slots__ = ("id", "company_id", "title", "content", "tags", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    title: str
    content: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., title: _Optional[str] = ..., content: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class KnowledgeMatch(_message.Message):
    __slots__ = ("document", "rank")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    document: KnowledgeDocument
    rank: float
    def __init__(self, document: _Optional[_Union[KnowledgeDocument, _Mapping]] = ..., rank: _Optional[float] = ...) -> None: ...

class AiModel(_message.Message):
    __slots__ = ("company_id", "provider", "model", "temperature", "max_tokens", "system_prompt", "base_url", "answered_by_provider", "answered_by_model")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    MAX_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_PROMPT_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_MODEL_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    provider: str
    model: str
    temperature: float
    max_tokens: int
    system_prompt: str
    base_url: str
    answered_by_provider: str
    answered_by_model: str
    def __init__(self, company_id: _Optional[str] = ..., provider: _Optional[str] = ..., model: _Optional[str] = ..., temperature: _Optional[float] = ..., max_tokens: _Optional[int] = ..., system_prompt: _Optional[str] = ..., base_url: _Optional[str] = ..., answered_by_provider: _Optional[str] = ..., answered_by_model: _Optional[str] = ...) -> None: ...

class Company(_message.Message):
    __slots__ = ("id", "name", "timezone")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    timezone: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., timezone: _Optional[str] = ...) -> None: ...

class SearchKnowledgeBaseRequest(_message.Message):
    __slots__ = ("company_id", "query", "limit")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    query: str
    limit: int
    def __init__(self, company_id: _Optional[str] = ..., query: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class SearchKnowledgeBaseResponse(_message.Message):
    __slots__ = ("matches",)
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[KnowledgeMatch]
    def __init__(self, matches: _Optional[_Iterable[_Union[KnowledgeMatch, _Mapping]]] = ...) -> None: ...

class UpsertKnowledgeDocumentRequest(_message.Message):
    __slots__ = ("document_id", "company_id", "title", "content", "tags")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    company_id: str
    title: str
    content: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, document_id: _Optional[str] = ..., company_id: _Optional[str] = ..., title: _Optional[str] = ..., content: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class UpsertKnowledgeDocumentResponse(_message.Message):
    __slots__ = ("document", "created")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    document: KnowledgeDocument
    created: bool
    def __init__(self, document: _Optional[_Union[KnowledgeDocument, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class DeleteKnowledgeDocumentRequest(_message.Message):
    __slots__ = ("document_id",)
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    def __init__(self, document_id: _Optional[str] = ...) -> None: ...

class DeleteKnowledgeDocumentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListKnowledgeDocumentsRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class ListKnowledgeDocumentsResponse(_message.Message):
    __slots__ = ("documents",)
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[KnowledgeDocument]
    def __init__(self, documents: _Optional[_Iterable[_Union[KnowledgeDocument, _Mapping]]] = ...) -> None: ...

class GetAiModelRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class GetAiModelResponse(_message.Message):
    __slots__ = ("ai_model",)
    AI_MODEL_FIELD_NUMBER: _ClassVar[int]
    ai_model: AiModel
    def __init__(self, ai_model: _Optional[_Union[AiModel, _Mapping]] = ...) -> None: ...

class UpdateAiModelRequest(_message.Message):
    __slots__ = ("ai_model",)
    AI_MODEL_FIELD_NUMBER: _ClassVar[int]
    ai_model: AiModel
    def __init__(self, ai_model: _Optional[_Union[AiModel, _Mapping]] = ...) -> None: ...

class UpdateAiModelResponse(_message.Message):
    __slots__ = ("ai_model",)
    AI_MODEL_FIELD_NUMBER: _ClassVar[int]
    ai_model: AiModel
    def __init__(self, ai_model: _Optional[_Union[AiModel, _Mapping]] = ...) -> None: ...

class AiTurn(_message.Message):
    __slots__ = ("provider", "model", "prompt_tokens", "completion_tokens", "latency_ms", "intent", "knowledge_document_ids", "inbound_message_id")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    INBOUND_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    intent: str
    knowledge_document_ids: _containers.RepeatedScalarFieldContainer[str]
    inbound_message_id: str
    def __init__(self, provider: _Optional[str] = ..., model: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., latency_ms: _Optional[int] = ..., intent: _Optional[str] = ..., knowledge_document_ids: _Optional[_Iterable[str]] = ..., inbound_message_id: _Optional[str] = ...) -> None: ...

class ReserveOutboundMessageRequest(_message.Message):
    __slots__ = ("lead_id", "channel", "text", "subject", "idempotency_key", "job_id", "ai_turn", "purpose")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    AI_TURN_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    channel: _channel_pb2.Channel
    text: str
    subject: str
    idempotency_key: str
    job_id: str
    ai_turn: AiTurn
    purpose: _resources_pb2.SendPurpose
    def __init__(self, lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., text: _Optional[str] = ..., subject: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., job_id: _Optional[str] = ..., ai_turn: _Optional[_Union[AiTurn, _Mapping]] = ..., purpose: _Optional[_Union[_resources_pb2.SendPurpose, str]] = ...) -> None: ...

class ReserveOutboundMessageResponse(_message.Message):
    __slots__ = ("message", "created")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    created: bool
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class MarkMessageSentRequest(_message.Message):
    __slots__ = ("message_id", "external_id", "complete_job_id")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    external_id: str
    complete_job_id: str
    def __init__(self, message_id: _Optional[str] = ..., external_id: _Optional[str] = ..., complete_job_id: _Optional[str] = ...) -> None: ...

class MarkMessageSentResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ...) -> None: ...

class MarkMessageFailedRequest(_message.Message):
    __slots__ = ("message_id", "error_message", "address_invalid")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_INVALID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    error_message: str
    address_invalid: bool
    def __init__(self, message_id: _Optional[str] = ..., error_message: _Optional[str] = ..., address_invalid: _Optional[bool] = ...) -> None: ...

class MarkMessageFailedResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ...) -> None: ...

class GetReplyContextRequest(_message.Message):
    __slots__ = ("lead_id", "message_id", "history_limit", "knowledge_limit", "policy_purpose")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    HISTORY_LIMIT_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    POLICY_PURPOSE_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    message_id: str
    history_limit: int
    knowledge_limit: int
    policy_purpose: _resources_pb2.SendPurpose
    def __init__(self, lead_id: _Optional[str] = ..., message_id: _Optional[str] = ..., history_limit: _Optional[int] = ..., knowledge_limit: _Optional[int] = ..., policy_purpose: _Optional[_Union[_resources_pb2.SendPurpose, str]] = ...) -> None: ...

class GetPreviewContextRequest(_message.Message):
    __slots__ = ("company_id", "question", "course", "channel", "knowledge_limit")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    question: str
    course: str
    channel: _channel_pb2.Channel
    knowledge_limit: int
    def __init__(self, company_id: _Optional[str] = ..., question: _Optional[str] = ..., course: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., knowledge_limit: _Optional[int] = ...) -> None: ...

class GetPreviewContextResponse(_message.Message):
    __slots__ = ("context",)
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    context: GetReplyContextResponse
    def __init__(self, context: _Optional[_Union[GetReplyContextResponse, _Mapping]] = ...) -> None: ...

class GetReplyContextResponse(_message.Message):
    __slots__ = ("lead", "company", "ai_model", "history", "pending", "knowledge", "answered_by_message_id", "replied_before", "now", "policy")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    AI_MODEL_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REPLIED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    NOW_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    company: Company
    ai_model: AiModel
    history: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Message]
    pending: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Message]
    knowledge: _containers.RepeatedCompositeFieldContainer[KnowledgeMatch]
    answered_by_message_id: str
    replied_before: bool
    now: _timestamp_pb2.Timestamp
    policy: _resources_pb2.CheckSendPolicyResponse
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., ai_model: _Optional[_Union[AiModel, _Mapping]] = ..., history: _Optional[_Iterable[_Union[_resources_pb2.Message, _Mapping]]] = ..., pending: _Optional[_Iterable[_Union[_resources_pb2.Message, _Mapping]]] = ..., knowledge: _Optional[_Iterable[_Union[KnowledgeMatch, _Mapping]]] = ..., answered_by_message_id: _Optional[str] = ..., replied_before: _Optional[bool] = ..., now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., policy: _Optional[_Union[_resources_pb2.CheckSendPolicyResponse, _Mapping]] = ...) -> None: ...

class TurnOutcome(_message.Message):
    __slots__ = ("answered_message_ids", "suggested_stage", "hand_off", "enrolled", "hot", "unanswered_question", "summarize_every_messages")
    ANSWERED_MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_STAGE_FIELD_NUMBER: _ClassVar[int]
    HAND_OFF_FIELD_NUMBER: _ClassVar[int]
    ENROLLED_FIELD_NUMBER: _ClassVar[int]
    HOT_FIELD_NUMBER: _ClassVar[int]
    UNANSWERED_QUESTION_FIELD_NUMBER: _ClassVar[int]
    SUMMARIZE_EVERY_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    answered_message_ids: _containers.RepeatedScalarFieldContainer[str]
    suggested_stage: str
    hand_off: bool
    enrolled: bool
    hot: bool
    unanswered_question: str
    summarize_every_messages: int
    def __init__(self, answered_message_ids: _Optional[_Iterable[str]] = ..., suggested_stage: _Optional[str] = ..., hand_off: _Optional[bool] = ..., enrolled: _Optional[bool] = ..., hot: _Optional[bool] = ..., unanswered_question: _Optional[str] = ..., summarize_every_messages: _Optional[int] = ...) -> None: ...

class ReserveReplyRequest(_message.Message):
    __slots__ = ("message", "outcome")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    message: ReserveOutboundMessageRequest
    outcome: TurnOutcome
    def __init__(self, message: _Optional[_Union[ReserveOutboundMessageRequest, _Mapping]] = ..., outcome: _Optional[_Union[TurnOutcome, _Mapping]] = ...) -> None: ...

class ReserveReplyResponse(_message.Message):
    __slots__ = ("message", "created", "lead", "policy")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    LEAD_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    created: bool
    lead: _resources_pb2.Lead
    policy: _resources_pb2.CheckSendPolicyResponse
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., created: _Optional[bool] = ..., lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., policy: _Optional[_Union[_resources_pb2.CheckSendPolicyResponse, _Mapping]] = ...) -> None: ...

class KnowledgeDocumentRef(_message.Message):
    __slots__ = ("id", "title")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class AiTurnRecord(_message.Message):
    __slots__ = ("id", "reply_message_id", "answered_message_ids", "provider", "model", "prompt_tokens", "completion_tokens", "latency_ms", "intent", "suggested_stage", "hand_off", "unanswered", "knowledge_documents", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_STAGE_FIELD_NUMBER: _ClassVar[int]
    HAND_OFF_FIELD_NUMBER: _ClassVar[int]
    UNANSWERED_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    reply_message_id: str
    answered_message_ids: _containers.RepeatedScalarFieldContainer[str]
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    intent: str
    suggested_stage: str
    hand_off: bool
    unanswered: bool
    knowledge_documents: _containers.RepeatedCompositeFieldContainer[KnowledgeDocumentRef]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., reply_message_id: _Optional[str] = ..., answered_message_ids: _Optional[_Iterable[str]] = ..., provider: _Optional[str] = ..., model: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., latency_ms: _Optional[int] = ..., intent: _Optional[str] = ..., suggested_stage: _Optional[str] = ..., hand_off: _Optional[bool] = ..., unanswered: _Optional[bool] = ..., knowledge_documents: _Optional[_Iterable[_Union[KnowledgeDocumentRef, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListAiTurnsRequest(_message.Message):
    __slots__ = ("lead_id", "limit")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    limit: int
    def __init__(self, lead_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListAiTurnsResponse(_message.Message):
    __slots__ = ("turns",)
    TURNS_FIELD_NUMBER: _ClassVar[int]
    turns: _containers.RepeatedCompositeFieldContainer[AiTurnRecord]
    def __init__(self, turns: _Optional[_Iterable[_Union[AiTurnRecord, _Mapping]]] = ...) -> None: ...

class UnansweredQuestion(_message.Message):
    __slots__ = ("id", "company_id", "lead_id", "message_id", "question", "created_at", "resolved_at", "resolution")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    lead_id: str
    message_id: str
    question: str
    created_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    resolution: str
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., message_id: _Optional[str] = ..., question: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolution: _Optional[str] = ...) -> None: ...

class ListUnansweredQuestionsRequest(_message.Message):
    __slots__ = ("company_id", "include_resolved", "limit")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    include_resolved: bool
    limit: int
    def __init__(self, company_id: _Optional[str] = ..., include_resolved: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class ListUnansweredQuestionsResponse(_message.Message):
    __slots__ = ("questions",)
    QUESTIONS_FIELD_NUMBER: _ClassVar[int]
    questions: _containers.RepeatedCompositeFieldContainer[UnansweredQuestion]
    def __init__(self, questions: _Optional[_Iterable[_Union[UnansweredQuestion, _Mapping]]] = ...) -> None: ...

class ResolveUnansweredQuestionRequest(_message.Message):
    __slots__ = ("question_id", "resolution")
    QUESTION_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    question_id: str
    resolution: str
    def __init__(self, question_id: _Optional[str] = ..., resolution: _Optional[str] = ...) -> None: ...

class ResolveUnansweredQuestionResponse(_message.Message):
    __slots__ = ("question",)
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    question: UnansweredQuestion
    def __init__(self, question: _Optional[_Union[UnansweredQuestion, _Mapping]] = ...) -> None: ...

class UpdateLeadSummaryRequest(_message.Message):
    __slots__ = ("lead_id", "summary", "usage")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    summary: str
    usage: AiTurn
    def __init__(self, lead_id: _Optional[str] = ..., summary: _Optional[str] = ..., usage: _Optional[_Union[AiTurn, _Mapping]] = ...) -> None: ...

class UpdateLeadSummaryResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ...) -> None: ...
