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

class SendPurpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_PURPOSE_UNSPECIFIED: _ClassVar[SendPurpose]
    SEND_PURPOSE_REPLY: _ClassVar[SendPurpose]
    SEND_PURPOSE_OPT_OUT_CONFIRMATION: _ClassVar[SendPurpose]
    SEND_PURPOSE_FOLLOWUP: _ClassVar[SendPurpose]
    SEND_PURPOSE_SEQUENCE: _ClassVar[SendPurpose]
    SEND_PURPOSE_HANDOFF: _ClassVar[SendPurpose]

class SendDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_DECISION_UNSPECIFIED: _ClassVar[SendDecision]
    SEND_DECISION_ALLOW: _ClassVar[SendDecision]
    SEND_DECISION_SUPPRESS: _ClassVar[SendDecision]
    SEND_DECISION_DEFER: _ClassVar[SendDecision]

class ConsentAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_ACTION_UNSPECIFIED: _ClassVar[ConsentAction]
    CONSENT_ACTION_OPT_IN: _ClassVar[ConsentAction]
    CONSENT_ACTION_OPT_OUT: _ClassVar[ConsentAction]

class MessageDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESSAGE_DIRECTION_UNSPECIFIED: _ClassVar[MessageDirection]
    MESSAGE_DIRECTION_INBOUND: _ClassVar[MessageDirection]
    MESSAGE_DIRECTION_OUTBOUND: _ClassVar[MessageDirection]

class MessageStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESSAGE_STATUS_UNSPECIFIED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_RECEIVED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_QUEUED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_SENT: _ClassVar[MessageStatus]
    MESSAGE_STATUS_DELIVERED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_READ: _ClassVar[MessageStatus]
    MESSAGE_STATUS_FAILED: _ClassVar[MessageStatus]

class JobStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_STATUS_UNSPECIFIED: _ClassVar[JobStatus]
    JOB_STATUS_QUEUED: _ClassVar[JobStatus]
    JOB_STATUS_PROCESSING: _ClassVar[JobStatus]
    JOB_STATUS_COMPLETED: _ClassVar[JobStatus]
    JOB_STATUS_FAILED: _ClassVar[JobStatus]
    JOB_STATUS_DLQ: _ClassVar[JobStatus]
    JOB_STATUS_CANCELLED: _ClassVar[JobStatus]
SEND_PURPOSE_UNSPECIFIED: SendPurpose
SEND_PURPOSE_REPLY: SendPurpose
SEND_PURPOSE_OPT_OUT_CONFIRMATION: SendPurpose
SEND_PURPOSE_FOLLOWUP: SendPurpose
SEND_PURPOSE_SEQUENCE: SendPurpose
SEND_PURPOSE_HANDOFF: SendPurpose
SEND_DECISION_UNSPECIFIED: SendDecision
SEND_DECISION_ALLOW: SendDecision
SEND_DECISION_SUPPRESS: SendDecision
SEND_DECISION_DEFER: SendDecision
CONSENT_ACTION_UNSPECIFIED: ConsentAction
CONSENT_ACTION_OPT_IN: ConsentAction
CONSENT_ACTION_OPT_OUT: ConsentAction
MESSAGE_DIRECTION_UNSPECIFIED: MessageDirection
MESSAGE_DIRECTION_INBOUND: MessageDirection
MESSAGE_DIRECTION_OUTBOUND: MessageDirection
MESSAGE_STATUS_UNSPECIFIED: MessageStatus
MESSAGE_STATUS_RECEIVED: MessageStatus
MESSAGE_STATUS_QUEUED: MessageStatus
MESSAGE_STATUS_SENT: MessageStatus
MESSAGE_STATUS_DELIVERED: MessageStatus
MESSAGE_STATUS_READ: MessageStatus
MESSAGE_STATUS_FAILED: MessageStatus
JOB_STATUS_UNSPECIFIED: JobStatus
JOB_STATUS_QUEUED: JobStatus
JOB_STATUS_PROCESSING: JobStatus
JOB_STATUS_COMPLETED: JobStatus
JOB_STATUS_FAILED: JobStatus
JOB_STATUS_DLQ: JobStatus
JOB_STATUS_CANCELLED: JobStatus

class Lead(_message.Message):
    __slots__ = ("id", "company_id", "contact_name", "phone_number", "email", "stage", "status", "summary", "created_at", "updated_at", "last_inbound_at", "last_outbound_at", "channel")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_INBOUND_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_OUTBOUND_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    contact_name: str
    phone_number: str
    email: str
    stage: str
    status: str
    summary: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    last_inbound_at: _timestamp_pb2.Timestamp
    last_outbound_at: _timestamp_pb2.Timestamp
    channel: _channel_pb2.Channel
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone_number: _Optional[str] = ..., email: _Optional[str] = ..., stage: _Optional[str] = ..., status: _Optional[str] = ..., summary: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_inbound_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_outbound_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("id", "company_id", "lead_id", "channel", "direction", "status", "text", "subject", "external_id", "error_message", "created_at", "sent_at", "delivered_at", "read_at", "failed_at", "job_id", "purpose")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    READ_AT_FIELD_NUMBER: _ClassVar[int]
    FAILED_AT_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    lead_id: str
    channel: _channel_pb2.Channel
    direction: MessageDirection
    status: MessageStatus
    text: str
    subject: str
    external_id: str
    error_message: str
    created_at: _timestamp_pb2.Timestamp
    sent_at: _timestamp_pb2.Timestamp
    delivered_at: _timestamp_pb2.Timestamp
    read_at: _timestamp_pb2.Timestamp
    failed_at: _timestamp_pb2.Timestamp
    job_id: str
    purpose: SendPurpose
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., direction: _Optional[_Union[MessageDirection, str]] = ..., status: _Optional[_Union[MessageStatus, str]] = ..., text: _Optional[str] = ..., subject: _Optional[str] = ..., external_id: _Optional[str] = ..., error_message: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., read_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., failed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., job_id: _Optional[str] = ..., purpose: _Optional[_Union[SendPurpose, str]] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ("id", "company_id", "lead_id", "task_name", "priority", "status", "attempts", "idempotency_key", "payload", "error_message", "run_at", "created_at", "updated_at", "completed_at")
    class PayloadEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_NAME_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RUN_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    lead_id: str
    task_name: str
    priority: int
    status: JobStatus
    attempts: int
    idempotency_key: str
    payload: _containers.ScalarMap[str, str]
    error_message: str
    run_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., task_name: _Optional[str] = ..., priority: _Optional[int] = ..., status: _Optional[_Union[JobStatus, str]] = ..., attempts: _Optional[int] = ..., idempotency_key: _Optional[str] = ..., payload: _Optional[_Mapping[str, str]] = ..., error_message: _Optional[str] = ..., run_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

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

class IngestInboundMessageRequest(_message.Message):
    __slots__ = ("company_id", "phone_number", "contact_name", "message_text", "channel", "email", "idempotency_key", "external_message_id", "source", "consent", "consent_text", "course", "dispatch_lease_seconds")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TEXT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_TEXT_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    phone_number: str
    contact_name: str
    message_text: str
    channel: _channel_pb2.Channel
    email: str
    idempotency_key: str
    external_message_id: str
    source: str
    consent: bool
    consent_text: str
    course: str
    dispatch_lease_seconds: int
    def __init__(self, company_id: _Optional[str] = ..., phone_number: _Optional[str] = ..., contact_name: _Optional[str] = ..., message_text: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., email: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., external_message_id: _Optional[str] = ..., source: _Optional[str] = ..., consent: _Optional[bool] = ..., consent_text: _Optional[str] = ..., course: _Optional[str] = ..., dispatch_lease_seconds: _Optional[int] = ...) -> None: ...

class IngestInboundMessageResponse(_message.Message):
    __slots__ = ("company_id", "lead_id", "message_id", "job_id", "duplicate", "lead_created", "task_name", "job_leased", "dispatch_until")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    LEAD_CREATED_FIELD_NUMBER: _ClassVar[int]
    TASK_NAME_FIELD_NUMBER: _ClassVar[int]
    JOB_LEASED_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_UNTIL_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    lead_id: str
    message_id: str
    job_id: str
    duplicate: bool
    lead_created: bool
    task_name: str
    job_leased: bool
    dispatch_until: _timestamp_pb2.Timestamp
    def __init__(self, company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., message_id: _Optional[str] = ..., job_id: _Optional[str] = ..., duplicate: _Optional[bool] = ..., lead_created: _Optional[bool] = ..., task_name: _Optional[str] = ..., job_leased: _Optional[bool] = ..., dispatch_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetLeadRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class GetLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class ListLeadMessagesRequest(_message.Message):
    __slots__ = ("lead_id", "limit")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    limit: int
    def __init__(self, lead_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListLeadMessagesResponse(_message.Message):
    __slots__ = ("messages",)
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ...) -> None: ...

class GetMessageRequest(_message.Message):
    __slots__ = ("message_id",)
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    def __init__(self, message_id: _Optional[str] = ...) -> None: ...

class GetMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class GetTurnContextRequest(_message.Message):
    __slots__ = ("lead_id", "message_id", "history_limit", "knowledge_limit")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    HISTORY_LIMIT_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    message_id: str
    history_limit: int
    knowledge_limit: int
    def __init__(self, lead_id: _Optional[str] = ..., message_id: _Optional[str] = ..., history_limit: _Optional[int] = ..., knowledge_limit: _Optional[int] = ...) -> None: ...

class GetTurnContextResponse(_message.Message):
    __slots__ = ("lead", "company", "ai_model", "history", "knowledge", "message")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    AI_MODEL_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    KNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    company: Company
    ai_model: AiModel
    history: _containers.RepeatedCompositeFieldContainer[Message]
    knowledge: _containers.RepeatedCompositeFieldContainer[KnowledgeMatch]
    message: Message
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., ai_model: _Optional[_Union[AiModel, _Mapping]] = ..., history: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., knowledge: _Optional[_Iterable[_Union[KnowledgeMatch, _Mapping]]] = ..., message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

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

class ClaimJobsRequest(_message.Message):
    __slots__ = ("job_ids", "lease_seconds")
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    lease_seconds: int
    def __init__(self, job_ids: _Optional[_Iterable[str]] = ..., lease_seconds: _Optional[int] = ...) -> None: ...

class ClaimJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

class ReleaseJobsRequest(_message.Message):
    __slots__ = ("job_ids", "leased_until")
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    LEASED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    leased_until: _timestamp_pb2.Timestamp
    def __init__(self, job_ids: _Optional[_Iterable[str]] = ..., leased_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReleaseJobsResponse(_message.Message):
    __slots__ = ("released_job_ids",)
    RELEASED_JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    released_job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, released_job_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ClaimDueJobsRequest(_message.Message):
    __slots__ = ("limit", "lease_seconds", "task_names")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TASK_NAMES_FIELD_NUMBER: _ClassVar[int]
    limit: int
    lease_seconds: int
    task_names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, limit: _Optional[int] = ..., lease_seconds: _Optional[int] = ..., task_names: _Optional[_Iterable[str]] = ...) -> None: ...

class ClaimDueJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

class StartJobRequest(_message.Message):
    __slots__ = ("job_id", "lease_seconds")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    lease_seconds: int
    def __init__(self, job_id: _Optional[str] = ..., lease_seconds: _Optional[int] = ...) -> None: ...

class StartJobResponse(_message.Message):
    __slots__ = ("job", "proceed", "reason")
    JOB_FIELD_NUMBER: _ClassVar[int]
    PROCEED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    job: Job
    proceed: bool
    reason: str
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., proceed: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class CompleteJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class CompleteJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class FailJobRequest(_message.Message):
    __slots__ = ("job_id", "error_message", "retry_at", "retry_after_seconds")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    error_message: str
    retry_at: _timestamp_pb2.Timestamp
    retry_after_seconds: float
    def __init__(self, job_id: _Optional[str] = ..., error_message: _Optional[str] = ..., retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., retry_after_seconds: _Optional[float] = ...) -> None: ...

class FailJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class GetJobCountsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetJobCountsResponse(_message.Message):
    __slots__ = ("queued", "processing", "completed", "failed", "dlq", "cancelled")
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    PROCESSING_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    DLQ_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    queued: int
    processing: int
    completed: int
    failed: int
    dlq: int
    cancelled: int
    def __init__(self, queued: _Optional[int] = ..., processing: _Optional[int] = ..., completed: _Optional[int] = ..., failed: _Optional[int] = ..., dlq: _Optional[int] = ..., cancelled: _Optional[int] = ...) -> None: ...

class RequeueDeadJobsRequest(_message.Message):
    __slots__ = ("max_jobs",)
    MAX_JOBS_FIELD_NUMBER: _ClassVar[int]
    max_jobs: int
    def __init__(self, max_jobs: _Optional[int] = ...) -> None: ...

class RequeueDeadJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

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
    purpose: SendPurpose
    def __init__(self, lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., text: _Optional[str] = ..., subject: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., job_id: _Optional[str] = ..., ai_turn: _Optional[_Union[AiTurn, _Mapping]] = ..., purpose: _Optional[_Union[SendPurpose, str]] = ...) -> None: ...

class ReserveOutboundMessageResponse(_message.Message):
    __slots__ = ("message", "created")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    message: Message
    created: bool
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

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
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

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
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class DeferJobRequest(_message.Message):
    __slots__ = ("job_id", "delay_seconds", "reason")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    DELAY_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    delay_seconds: float
    reason: str
    def __init__(self, job_id: _Optional[str] = ..., delay_seconds: _Optional[float] = ..., reason: _Optional[str] = ...) -> None: ...

class DeferJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class GetClockRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetClockResponse(_message.Message):
    __slots__ = ("now", "controllable")
    NOW_FIELD_NUMBER: _ClassVar[int]
    CONTROLLABLE_FIELD_NUMBER: _ClassVar[int]
    now: _timestamp_pb2.Timestamp
    controllable: bool
    def __init__(self, now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., controllable: _Optional[bool] = ...) -> None: ...

class SetClockRequest(_message.Message):
    __slots__ = ("advance_seconds", "at")
    ADVANCE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    advance_seconds: float
    at: _timestamp_pb2.Timestamp
    def __init__(self, advance_seconds: _Optional[float] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetClockResponse(_message.Message):
    __slots__ = ("now",)
    NOW_FIELD_NUMBER: _ClassVar[int]
    now: _timestamp_pb2.Timestamp
    def __init__(self, now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ScheduleJobRequest(_message.Message):
    __slots__ = ("task_name", "priority", "company_id", "lead_id", "payload", "delay_seconds", "run_at", "idempotency_key")
    class PayloadEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TASK_NAME_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    DELAY_SECONDS_FIELD_NUMBER: _ClassVar[int]
    RUN_AT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    task_name: str
    priority: int
    company_id: str
    lead_id: str
    payload: _containers.ScalarMap[str, str]
    delay_seconds: float
    run_at: _timestamp_pb2.Timestamp
    idempotency_key: str
    def __init__(self, task_name: _Optional[str] = ..., priority: _Optional[int] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., payload: _Optional[_Mapping[str, str]] = ..., delay_seconds: _Optional[float] = ..., run_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ScheduleJobResponse(_message.Message):
    __slots__ = ("job", "created")
    JOB_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    job: Job
    created: bool
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class CancelLeadJobsRequest(_message.Message):
    __slots__ = ("lead_id", "task_names", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_NAMES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    task_names: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., task_names: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelLeadJobsResponse(_message.Message):
    __slots__ = ("cancelled",)
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    cancelled: int
    def __init__(self, cancelled: _Optional[int] = ...) -> None: ...

class ConsentRecord(_message.Message):
    __slots__ = ("id", "lead_id", "channel", "action", "source", "text_shown", "created_at", "evidence")
    class EvidenceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TEXT_SHOWN_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    id: str
    lead_id: str
    channel: _channel_pb2.Channel
    action: ConsentAction
    source: str
    text_shown: str
    created_at: _timestamp_pb2.Timestamp
    evidence: _containers.ScalarMap[str, str]
    def __init__(self, id: _Optional[str] = ..., lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., action: _Optional[_Union[ConsentAction, str]] = ..., source: _Optional[str] = ..., text_shown: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., evidence: _Optional[_Mapping[str, str]] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("lead_id", "action", "channel", "source", "text_shown", "evidence", "company_id", "phone_number", "idempotency_key")
    class EvidenceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TEXT_SHOWN_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    action: ConsentAction
    channel: _channel_pb2.Channel
    source: str
    text_shown: str
    evidence: _containers.ScalarMap[str, str]
    company_id: str
    phone_number: str
    idempotency_key: str
    def __init__(self, lead_id: _Optional[str] = ..., action: _Optional[_Union[ConsentAction, str]] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., source: _Optional[str] = ..., text_shown: _Optional[str] = ..., evidence: _Optional[_Mapping[str, str]] = ..., company_id: _Optional[str] = ..., phone_number: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RecordConsentResponse(_message.Message):
    __slots__ = ("consent", "lead")
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    LEAD_FIELD_NUMBER: _ClassVar[int]
    consent: ConsentRecord
    lead: Lead
    def __init__(self, consent: _Optional[_Union[ConsentRecord, _Mapping]] = ..., lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class ListConsentsRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class ListConsentsResponse(_message.Message):
    __slots__ = ("consents",)
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[ConsentRecord]
    def __init__(self, consents: _Optional[_Iterable[_Union[ConsentRecord, _Mapping]]] = ...) -> None: ...

class CheckSendPolicyRequest(_message.Message):
    __slots__ = ("lead_id", "channel", "purpose")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    channel: _channel_pb2.Channel
    purpose: SendPurpose
    def __init__(self, lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., purpose: _Optional[_Union[SendPurpose, str]] = ...) -> None: ...

class CheckSendPolicyResponse(_message.Message):
    __slots__ = ("decision", "reason", "defer_seconds", "lead_status", "lead_wrote_first", "opted_in", "window_open", "last_inbound_at")
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DEFER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    LEAD_STATUS_FIELD_NUMBER: _ClassVar[int]
    LEAD_WROTE_FIRST_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_FIELD_NUMBER: _ClassVar[int]
    WINDOW_OPEN_FIELD_NUMBER: _ClassVar[int]
    LAST_INBOUND_AT_FIELD_NUMBER: _ClassVar[int]
    decision: SendDecision
    reason: str
    defer_seconds: float
    lead_status: str
    lead_wrote_first: bool
    opted_in: bool
    window_open: bool
    last_inbound_at: _timestamp_pb2.Timestamp
    def __init__(self, decision: _Optional[_Union[SendDecision, str]] = ..., reason: _Optional[str] = ..., defer_seconds: _Optional[float] = ..., lead_status: _Optional[str] = ..., lead_wrote_first: _Optional[bool] = ..., opted_in: _Optional[bool] = ..., window_open: _Optional[bool] = ..., last_inbound_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("id", "company_id", "name", "channel", "language", "subject", "body", "variables", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    name: str
    channel: _channel_pb2.Channel
    language: str
    subject: str
    body: str
    variables: _containers.RepeatedScalarFieldContainer[str]
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., name: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., language: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., variables: _Optional[_Iterable[str]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UpsertTemplateRequest(_message.Message):
    __slots__ = ("template",)
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: Template
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ...) -> None: ...

class UpsertTemplateResponse(_message.Message):
    __slots__ = ("template", "created")
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    template: Template
    created: bool
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class ListTemplatesRequest(_message.Message):
    __slots__ = ("company_id", "channel")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    channel: _channel_pb2.Channel
    def __init__(self, company_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ...) -> None: ...

class ListTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[Template]
    def __init__(self, templates: _Optional[_Iterable[_Union[Template, _Mapping]]] = ...) -> None: ...

class DeleteTemplateRequest(_message.Message):
    __slots__ = ("template_id",)
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    template_id: str
    def __init__(self, template_id: _Optional[str] = ...) -> None: ...

class DeleteTemplateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ApplyDeliveryStatusRequest(_message.Message):
    __slots__ = ("channel", "external_id", "status", "occurred_at", "error_code", "error_message", "recipient")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    channel: _channel_pb2.Channel
    external_id: str
    status: MessageStatus
    occurred_at: _timestamp_pb2.Timestamp
    error_code: str
    error_message: str
    recipient: str
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., external_id: _Optional[str] = ..., status: _Optional[_Union[MessageStatus, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., recipient: _Optional[str] = ...) -> None: ...

class ApplyDeliveryStatusResponse(_message.Message):
    __slots__ = ("message", "applied", "duplicate", "pending")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    message: Message
    applied: bool
    duplicate: bool
    pending: bool
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ..., applied: _Optional[bool] = ..., duplicate: _Optional[bool] = ..., pending: _Optional[bool] = ...) -> None: ...

class CompanySettings(_message.Message):
    __slots__ = ("company_id", "name", "timezone", "followup_delay_seconds", "max_bumps", "quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end", "followup_template")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    FOLLOWUP_DELAY_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_BUMPS_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_START_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_END_FIELD_NUMBER: _ClassVar[int]
    FOLLOWUP_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    name: str
    timezone: str
    followup_delay_seconds: int
    max_bumps: int
    quiet_hours_enabled: bool
    quiet_hours_start: str
    quiet_hours_end: str
    followup_template: str
    def __init__(self, company_id: _Optional[str] = ..., name: _Optional[str] = ..., timezone: _Optional[str] = ..., followup_delay_seconds: _Optional[int] = ..., max_bumps: _Optional[int] = ..., quiet_hours_enabled: _Optional[bool] = ..., quiet_hours_start: _Optional[str] = ..., quiet_hours_end: _Optional[str] = ..., followup_template: _Optional[str] = ...) -> None: ...

class GetCompanySettingsRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class GetCompanySettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: CompanySettings
    def __init__(self, settings: _Optional[_Union[CompanySettings, _Mapping]] = ...) -> None: ...

class UpdateCompanySettingsRequest(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: CompanySettings
    def __init__(self, settings: _Optional[_Union[CompanySettings, _Mapping]] = ...) -> None: ...

class UpdateCompanySettingsResponse(_message.Message):
    __slots__ = ("settings", "company_created")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_CREATED_FIELD_NUMBER: _ClassVar[int]
    settings: CompanySettings
    company_created: bool
    def __init__(self, settings: _Optional[_Union[CompanySettings, _Mapping]] = ..., company_created: _Optional[bool] = ...) -> None: ...

class SequenceTrigger(_message.Message):
    __slots__ = ("course", "keywords", "channels", "all_new_leads")
    COURSE_FIELD_NUMBER: _ClassVar[int]
    KEYWORDS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    ALL_NEW_LEADS_FIELD_NUMBER: _ClassVar[int]
    course: str
    keywords: _containers.RepeatedScalarFieldContainer[str]
    channels: _containers.RepeatedScalarFieldContainer[_channel_pb2.Channel]
    all_new_leads: bool
    def __init__(self, course: _Optional[str] = ..., keywords: _Optional[_Iterable[str]] = ..., channels: _Optional[_Iterable[_Union[_channel_pb2.Channel, str]]] = ..., all_new_leads: _Optional[bool] = ...) -> None: ...

class SequenceStep(_message.Message):
    __slots__ = ("id", "position", "channel", "template_id", "delay_seconds", "stop_conditions")
    ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    DELAY_SECONDS_FIELD_NUMBER: _ClassVar[int]
    STOP_CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    id: str
    position: int
    channel: _channel_pb2.Channel
    template_id: str
    delay_seconds: int
    stop_conditions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., position: _Optional[int] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., template_id: _Optional[str] = ..., delay_seconds: _Optional[int] = ..., stop_conditions: _Optional[_Iterable[str]] = ...) -> None: ...

class Sequence(_message.Message):
    __slots__ = ("id", "company_id", "name", "active", "trigger", "steps", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    name: str
    active: bool
    trigger: SequenceTrigger
    steps: _containers.RepeatedCompositeFieldContainer[SequenceStep]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., name: _Optional[str] = ..., active: _Optional[bool] = ..., trigger: _Optional[_Union[SequenceTrigger, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[SequenceStep, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Enrolment(_message.Message):
    __slots__ = ("id", "company_id", "sequence_id", "lead_id", "status", "next_position", "source", "stop_reason", "created_at", "updated_at", "completed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NEXT_POSITION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STOP_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    sequence_id: str
    lead_id: str
    status: str
    next_position: int
    source: str
    stop_reason: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., sequence_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., status: _Optional[str] = ..., next_position: _Optional[int] = ..., source: _Optional[str] = ..., stop_reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UpsertSequenceRequest(_message.Message):
    __slots__ = ("sequence",)
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    sequence: Sequence
    def __init__(self, sequence: _Optional[_Union[Sequence, _Mapping]] = ...) -> None: ...

class UpsertSequenceResponse(_message.Message):
    __slots__ = ("sequence", "created")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    sequence: Sequence
    created: bool
    def __init__(self, sequence: _Optional[_Union[Sequence, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetSequenceRequest(_message.Message):
    __slots__ = ("sequence_id",)
    SEQUENCE_ID_FIELD_NUMBER: _ClassVar[int]
    sequence_id: str
    def __init__(self, sequence_id: _Optional[str] = ...) -> None: ...

class GetSequenceResponse(_message.Message):
    __slots__ = ("sequence",)
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    sequence: Sequence
    def __init__(self, sequence: _Optional[_Union[Sequence, _Mapping]] = ...) -> None: ...

class ListSequencesRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class ListSequencesResponse(_message.Message):
    __slots__ = ("sequences",)
    SEQUENCES_FIELD_NUMBER: _ClassVar[int]
    sequences: _containers.RepeatedCompositeFieldContainer[Sequence]
    def __init__(self, sequences: _Optional[_Iterable[_Union[Sequence, _Mapping]]] = ...) -> None: ...

class DeleteSequenceRequest(_message.Message):
    __slots__ = ("sequence_id",)
    SEQUENCE_ID_FIELD_NUMBER: _ClassVar[int]
    sequence_id: str
    def __init__(self, sequence_id: _Optional[str] = ...) -> None: ...

class DeleteSequenceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EnrolLeadRequest(_message.Message):
    __slots__ = ("lead_id", "sequence_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    sequence_id: str
    def __init__(self, lead_id: _Optional[str] = ..., sequence_id: _Optional[str] = ...) -> None: ...

class EnrolLeadResponse(_message.Message):
    __slots__ = ("enrolment", "created")
    ENROLMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    enrolment: Enrolment
    created: bool
    def __init__(self, enrolment: _Optional[_Union[Enrolment, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class ListEnrolmentsRequest(_message.Message):
    __slots__ = ("lead_id", "sequence_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    sequence_id: str
    def __init__(self, lead_id: _Optional[str] = ..., sequence_id: _Optional[str] = ...) -> None: ...

class ListEnrolmentsResponse(_message.Message):
    __slots__ = ("enrolments",)
    ENROLMENTS_FIELD_NUMBER: _ClassVar[int]
    enrolments: _containers.RepeatedCompositeFieldContainer[Enrolment]
    def __init__(self, enrolments: _Optional[_Iterable[_Union[Enrolment, _Mapping]]] = ...) -> None: ...

class StopEnrolmentRequest(_message.Message):
    __slots__ = ("enrolment_id", "reason")
    ENROLMENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    enrolment_id: str
    reason: str
    def __init__(self, enrolment_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StopEnrolmentResponse(_message.Message):
    __slots__ = ("enrolment",)
    ENROLMENT_FIELD_NUMBER: _ClassVar[int]
    enrolment: Enrolment
    def __init__(self, enrolment: _Optional[_Union[Enrolment, _Mapping]] = ...) -> None: ...

class OutreachTemplate(_message.Message):
    __slots__ = ("name", "language", "parameters")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    language: str
    parameters: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., language: _Optional[str] = ..., parameters: _Optional[_Iterable[str]] = ...) -> None: ...

class PrepareOutreachRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class PrepareOutreachResponse(_message.Message):
    __slots__ = ("proceed", "reason", "defer_seconds", "lead", "message", "sender_name", "in_reply_to", "references", "unsubscribe_token", "template", "marketing")
    PROCEED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DEFER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    LEAD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SENDER_NAME_FIELD_NUMBER: _ClassVar[int]
    IN_REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    MARKETING_FIELD_NUMBER: _ClassVar[int]
    proceed: bool
    reason: str
    defer_seconds: float
    lead: Lead
    message: Message
    sender_name: str
    in_reply_to: str
    references: _containers.RepeatedScalarFieldContainer[str]
    unsubscribe_token: str
    template: OutreachTemplate
    marketing: bool
    def __init__(self, proceed: _Optional[bool] = ..., reason: _Optional[str] = ..., defer_seconds: _Optional[float] = ..., lead: _Optional[_Union[Lead, _Mapping]] = ..., message: _Optional[_Union[Message, _Mapping]] = ..., sender_name: _Optional[str] = ..., in_reply_to: _Optional[str] = ..., references: _Optional[_Iterable[str]] = ..., unsubscribe_token: _Optional[str] = ..., template: _Optional[_Union[OutreachTemplate, _Mapping]] = ..., marketing: _Optional[bool] = ...) -> None: ...

class WebhookSubscription(_message.Message):
    __slots__ = ("id", "company_id", "url", "events", "active", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    url: str
    events: _containers.RepeatedScalarFieldContainer[str]
    active: bool
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., url: _Optional[str] = ..., events: _Optional[_Iterable[str]] = ..., active: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UpsertWebhookSubscriptionRequest(_message.Message):
    __slots__ = ("subscription",)
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: WebhookSubscription
    def __init__(self, subscription: _Optional[_Union[WebhookSubscription, _Mapping]] = ...) -> None: ...

class UpsertWebhookSubscriptionResponse(_message.Message):
    __slots__ = ("subscription", "created", "secret")
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    subscription: WebhookSubscription
    created: bool
    secret: str
    def __init__(self, subscription: _Optional[_Union[WebhookSubscription, _Mapping]] = ..., created: _Optional[bool] = ..., secret: _Optional[str] = ...) -> None: ...

class ListWebhookSubscriptionsRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class ListWebhookSubscriptionsResponse(_message.Message):
    __slots__ = ("subscriptions",)
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    subscriptions: _containers.RepeatedCompositeFieldContainer[WebhookSubscription]
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[WebhookSubscription, _Mapping]]] = ...) -> None: ...

class DeleteWebhookSubscriptionRequest(_message.Message):
    __slots__ = ("subscription_id",)
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    def __init__(self, subscription_id: _Optional[str] = ...) -> None: ...

class DeleteWebhookSubscriptionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RotateWebhookSecretRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class RotateWebhookSecretResponse(_message.Message):
    __slots__ = ("secret",)
    SECRET_FIELD_NUMBER: _ClassVar[int]
    secret: str
    def __init__(self, secret: _Optional[str] = ...) -> None: ...

class PrepareWebhookDeliveryRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class PrepareWebhookDeliveryResponse(_message.Message):
    __slots__ = ("proceed", "reason", "url", "body", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROCEED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    proceed: bool
    reason: str
    url: str
    body: str
    headers: _containers.ScalarMap[str, str]
    def __init__(self, proceed: _Optional[bool] = ..., reason: _Optional[str] = ..., url: _Optional[str] = ..., body: _Optional[str] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class DescribeUnsubscribeTokenRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class DescribeUnsubscribeTokenResponse(_message.Message):
    __slots__ = ("company_name", "masked_address", "unsubscribed")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    MASKED_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBED_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    masked_address: str
    unsubscribed: bool
    def __init__(self, company_name: _Optional[str] = ..., masked_address: _Optional[str] = ..., unsubscribed: _Optional[bool] = ...) -> None: ...

class UnsubscribeByTokenRequest(_message.Message):
    __slots__ = ("token", "evidence")
    class EvidenceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    token: str
    evidence: _containers.ScalarMap[str, str]
    def __init__(self, token: _Optional[str] = ..., evidence: _Optional[_Mapping[str, str]] = ...) -> None: ...

class UnsubscribeByTokenResponse(_message.Message):
    __slots__ = ("company_name", "changed")
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    company_name: str
    changed: bool
    def __init__(self, company_name: _Optional[str] = ..., changed: _Optional[bool] = ...) -> None: ...

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
    policy_purpose: SendPurpose
    def __init__(self, lead_id: _Optional[str] = ..., message_id: _Optional[str] = ..., history_limit: _Optional[int] = ..., knowledge_limit: _Optional[int] = ..., policy_purpose: _Optional[_Union[SendPurpose, str]] = ...) -> None: ...

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
    lead: Lead
    company: Company
    ai_model: AiModel
    history: _containers.RepeatedCompositeFieldContainer[Message]
    pending: _containers.RepeatedCompositeFieldContainer[Message]
    knowledge: _containers.RepeatedCompositeFieldContainer[KnowledgeMatch]
    answered_by_message_id: str
    replied_before: bool
    now: _timestamp_pb2.Timestamp
    policy: CheckSendPolicyResponse
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., ai_model: _Optional[_Union[AiModel, _Mapping]] = ..., history: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., pending: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., knowledge: _Optional[_Iterable[_Union[KnowledgeMatch, _Mapping]]] = ..., answered_by_message_id: _Optional[str] = ..., replied_before: _Optional[bool] = ..., now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., policy: _Optional[_Union[CheckSendPolicyResponse, _Mapping]] = ...) -> None: ...

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
    message: Message
    created: bool
    lead: Lead
    policy: CheckSendPolicyResponse
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ..., created: _Optional[bool] = ..., lead: _Optional[_Union[Lead, _Mapping]] = ..., policy: _Optional[_Union[CheckSendPolicyResponse, _Mapping]] = ...) -> None: ...

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
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...
