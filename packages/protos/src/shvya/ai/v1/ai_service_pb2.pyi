import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from shvya.type.v1 import channel_pb2 as _channel_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Intent(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INTENT_UNSPECIFIED: _ClassVar[Intent]
    INTENT_INTERESTED: _ClassVar[Intent]
    INTENT_QUESTION: _ClassVar[Intent]
    INTENT_PRICE_OBJECTION: _ClassVar[Intent]
    INTENT_WANTS_CALL: _ClassVar[Intent]
    INTENT_ENROLLED: _ClassVar[Intent]
    INTENT_NOT_INTERESTED: _ClassVar[Intent]
    INTENT_OPT_OUT: _ClassVar[Intent]

class Purpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PURPOSE_UNSPECIFIED: _ClassVar[Purpose]
    PURPOSE_REPLY: _ClassVar[Purpose]
    PURPOSE_FOLLOWUP: _ClassVar[Purpose]
INTENT_UNSPECIFIED: Intent
INTENT_INTERESTED: Intent
INTENT_QUESTION: Intent
INTENT_PRICE_OBJECTION: Intent
INTENT_WANTS_CALL: Intent
INTENT_ENROLLED: Intent
INTENT_NOT_INTERESTED: Intent
INTENT_OPT_OUT: Intent
PURPOSE_UNSPECIFIED: Purpose
PURPOSE_REPLY: Purpose
PURPOSE_FOLLOWUP: Purpose

class ConversationMessage(_message.Message):
    __slots__ = ("from_lead", "text", "created_at")
    FROM_LEAD_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    from_lead: bool
    text: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, from_lead: _Optional[bool] = ..., text: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class KnowledgeSnippet(_message.Message):
    __slots__ = ("document_id", "title", "content", "rank")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    title: str
    content: str
    rank: float
    def __init__(self, document_id: _Optional[str] = ..., title: _Optional[str] = ..., content: _Optional[str] = ..., rank: _Optional[float] = ...) -> None: ...

class ModelConfig(_message.Message):
    __slots__ = ("provider", "model", "temperature", "max_tokens", "base_url")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TEMPERATURE_FIELD_NUMBER: _ClassVar[int]
    MAX_TOKENS_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    provider: str
    model: str
    temperature: float
    max_tokens: int
    base_url: str
    def __init__(self, provider: _Optional[str] = ..., model: _Optional[str] = ..., temperature: _Optional[float] = ..., max_tokens: _Optional[int] = ..., base_url: _Optional[str] = ...) -> None: ...

class ComposeReplyRequest(_message.Message):
    __slots__ = ("company_name", "system_prompt", "model", "lead_name", "lead_stage", "channel", "history", "inbound_text", "knowledge", "purpose")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_PROMPT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    LEAD_NAME_FIELD_NUMBER: _ClassVar[int]
    LEAD_STAGE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    INBOUND_TEXT_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    system_prompt: str
    model: ModelConfig
    lead_name: str
    lead_stage: str
    channel: _channel_pb2.Channel
    history: _containers.RepeatedCompositeFieldContainer[ConversationMessage]
    inbound_text: str
    knowledge: _containers.RepeatedCompositeFieldContainer[KnowledgeSnippet]
    purpose: Purpose
    def __init__(self, company_name: _Optional[str] = ..., system_prompt: _Optional[str] = ..., model: _Optional[_Union[ModelConfig, _Mapping]] = ..., lead_name: _Optional[str] = ..., lead_stage: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., history: _Optional[_Iterable[_Union[ConversationMessage, _Mapping]]] = ..., inbound_text: _Optional[str] = ..., knowledge: _Optional[_Iterable[_Union[KnowledgeSnippet, _Mapping]]] = ..., purpose: _Optional[_Union[Purpose, str]] = ...) -> None: ...

class Usage(_message.Message):
    __slots__ = ("provider", "model", "prompt_tokens", "completion_tokens", "latency_ms")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    def __init__(self, provider: _Optional[str] = ..., model: _Optional[str] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., latency_ms: _Optional[int] = ...) -> None: ...

class ComposeReplyResponse(_message.Message):
    __slots__ = ("text", "subject", "intent", "suggested_stage", "hand_off", "opt_out", "knowledge_document_ids", "usage", "unanswered")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_STAGE_FIELD_NUMBER: _ClassVar[int]
    HAND_OFF_FIELD_NUMBER: _ClassVar[int]
    OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_DOCUMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    UNANSWERED_FIELD_NUMBER: _ClassVar[int]
    text: str
    subject: str
    intent: Intent
    suggested_stage: str
    hand_off: bool
    opt_out: bool
    knowledge_document_ids: _containers.RepeatedScalarFieldContainer[str]
    usage: Usage
    unanswered: bool
    def __init__(self, text: _Optional[str] = ..., subject: _Optional[str] = ..., intent: _Optional[_Union[Intent, str]] = ..., suggested_stage: _Optional[str] = ..., hand_off: _Optional[bool] = ..., opt_out: _Optional[bool] = ..., knowledge_document_ids: _Optional[_Iterable[str]] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ..., unanswered: _Optional[bool] = ...) -> None: ...

class SummarizeConversationRequest(_message.Message):
    __slots__ = ("company_name", "model", "lead_name", "lead_stage", "lead_status", "messages", "reason")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    LEAD_NAME_FIELD_NUMBER: _ClassVar[int]
    LEAD_STAGE_FIELD_NUMBER: _ClassVar[int]
    LEAD_STATUS_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    model: ModelConfig
    lead_name: str
    lead_stage: str
    lead_status: str
    messages: _containers.RepeatedCompositeFieldContainer[ConversationMessage]
    reason: str
    def __init__(self, company_name: _Optional[str] = ..., model: _Optional[_Union[ModelConfig, _Mapping]] = ..., lead_name: _Optional[str] = ..., lead_stage: _Optional[str] = ..., lead_status: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[ConversationMessage, _Mapping]]] = ..., reason: _Optional[str] = ...) -> None: ...

class SummarizeConversationResponse(_message.Message):
    __slots__ = ("summary", "usage")
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    summary: str
    usage: Usage
    def __init__(self, summary: _Optional[str] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ...) -> None: ...
