import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from shvya.crm.v1 import resources_pb2 as _resources_pb2
from shvya.type.v1 import channel_pb2 as _channel_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConsentAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_ACTION_UNSPECIFIED: _ClassVar[ConsentAction]
    CONSENT_ACTION_OPT_IN: _ClassVar[ConsentAction]
    CONSENT_ACTION_OPT_OUT: _ClassVar[ConsentAction]

class LeadSort(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEAD_SORT_UNSPECIFIED: _ClassVar[LeadSort]
    LEAD_SORT_CREATED: _ClassVar[LeadSort]
    LEAD_SORT_LAST_MESSAGE: _ClassVar[LeadSort]
    LEAD_SORT_NAME: _ClassVar[LeadSort]

class InboxReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INBOX_REASON_UNSPECIFIED: _ClassVar[InboxReason]
    INBOX_REASON_HANDED_OFF: _ClassVar[InboxReason]
    INBOX_REASON_HOT: _ClassVar[InboxReason]
    INBOX_REASON_UNANSWERED_QUESTION: _ClassVar[InboxReason]
    INBOX_REASON_DELIVERY_FAILED: _ClassVar[InboxReason]
    INBOX_REASON_ASSIGNED: _ClassVar[InboxReason]
CONSENT_ACTION_UNSPECIFIED: ConsentAction
CONSENT_ACTION_OPT_IN: ConsentAction
CONSENT_ACTION_OPT_OUT: ConsentAction
LEAD_SORT_UNSPECIFIED: LeadSort
LEAD_SORT_CREATED: LeadSort
LEAD_SORT_LAST_MESSAGE: LeadSort
LEAD_SORT_NAME: LeadSort
INBOX_REASON_UNSPECIFIED: InboxReason
INBOX_REASON_HANDED_OFF: InboxReason
INBOX_REASON_HOT: InboxReason
INBOX_REASON_UNANSWERED_QUESTION: InboxReason
INBOX_REASON_DELIVERY_FAILED: InboxReason
INBOX_REASON_ASSIGNED: InboxReason

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
    lead: _resources_pb2.Lead
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ...) -> None: ...

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
    messages: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Message]
    def __init__(self, messages: _Optional[_Iterable[_Union[_resources_pb2.Message, _Mapping]]] = ...) -> None: ...

class GetMessageRequest(_message.Message):
    __slots__ = ("message_id",)
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    def __init__(self, message_id: _Optional[str] = ...) -> None: ...

class GetMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ...) -> None: ...

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
    lead: _resources_pb2.Lead
    def __init__(self, consent: _Optional[_Union[ConsentRecord, _Mapping]] = ..., lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ...) -> None: ...

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
    purpose: _resources_pb2.SendPurpose
    def __init__(self, lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., purpose: _Optional[_Union[_resources_pb2.SendPurpose, str]] = ...) -> None: ...

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
    status: _resources_pb2.MessageStatus
    occurred_at: _timestamp_pb2.Timestamp
    error_code: str
    error_message: str
    recipient: str
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., external_id: _Optional[str] = ..., status: _Optional[_Union[_resources_pb2.MessageStatus, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., recipient: _Optional[str] = ...) -> None: ...

class ApplyDeliveryStatusResponse(_message.Message):
    __slots__ = ("message", "applied", "duplicate", "pending")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    applied: bool
    duplicate: bool
    pending: bool
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., applied: _Optional[bool] = ..., duplicate: _Optional[bool] = ..., pending: _Optional[bool] = ...) -> None: ...

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

class LeadFilter(_message.Message):
    __slots__ = ("company_id", "stages", "statuses", "course", "channels", "tags", "source", "created_after", "created_before", "last_message_after", "last_message_before", "query", "assignee_user_id")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_AFTER_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_BEFORE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    stages: _containers.RepeatedScalarFieldContainer[str]
    statuses: _containers.RepeatedScalarFieldContainer[str]
    course: str
    channels: _containers.RepeatedScalarFieldContainer[_channel_pb2.Channel]
    tags: _containers.RepeatedScalarFieldContainer[str]
    source: str
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    last_message_after: _timestamp_pb2.Timestamp
    last_message_before: _timestamp_pb2.Timestamp
    query: str
    assignee_user_id: str
    def __init__(self, company_id: _Optional[str] = ..., stages: _Optional[_Iterable[str]] = ..., statuses: _Optional[_Iterable[str]] = ..., course: _Optional[str] = ..., channels: _Optional[_Iterable[_Union[_channel_pb2.Channel, str]]] = ..., tags: _Optional[_Iterable[str]] = ..., source: _Optional[str] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_message_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_message_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., query: _Optional[str] = ..., assignee_user_id: _Optional[str] = ...) -> None: ...

class ListLeadsRequest(_message.Message):
    __slots__ = ("filter", "sort", "reverse", "page_size", "page_token")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    REVERSE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    filter: LeadFilter
    sort: LeadSort
    reverse: bool
    page_size: int
    page_token: str
    def __init__(self, filter: _Optional[_Union[LeadFilter, _Mapping]] = ..., sort: _Optional[_Union[LeadSort, str]] = ..., reverse: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListLeadsResponse(_message.Message):
    __slots__ = ("leads", "next_page_token", "previous_page_token")
    LEADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    leads: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Lead]
    next_page_token: str
    previous_page_token: str
    def __init__(self, leads: _Optional[_Iterable[_Union[_resources_pb2.Lead, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., previous_page_token: _Optional[str] = ...) -> None: ...

class CountLeadsRequest(_message.Message):
    __slots__ = ("filter", "count_limit")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    COUNT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    filter: LeadFilter
    count_limit: int
    def __init__(self, filter: _Optional[_Union[LeadFilter, _Mapping]] = ..., count_limit: _Optional[int] = ...) -> None: ...

class StageCount(_message.Message):
    __slots__ = ("stage", "name", "count", "at_least")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    AT_LEAST_FIELD_NUMBER: _ClassVar[int]
    stage: str
    name: str
    count: int
    at_least: bool
    def __init__(self, stage: _Optional[str] = ..., name: _Optional[str] = ..., count: _Optional[int] = ..., at_least: _Optional[bool] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ("status", "count", "at_least")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    AT_LEAST_FIELD_NUMBER: _ClassVar[int]
    status: str
    count: int
    at_least: bool
    def __init__(self, status: _Optional[str] = ..., count: _Optional[int] = ..., at_least: _Optional[bool] = ...) -> None: ...

class CountLeadsResponse(_message.Message):
    __slots__ = ("by_stage", "by_status", "total", "total_at_least")
    BY_STAGE_FIELD_NUMBER: _ClassVar[int]
    BY_STATUS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AT_LEAST_FIELD_NUMBER: _ClassVar[int]
    by_stage: _containers.RepeatedCompositeFieldContainer[StageCount]
    by_status: _containers.RepeatedCompositeFieldContainer[StatusCount]
    total: int
    total_at_least: bool
    def __init__(self, by_stage: _Optional[_Iterable[_Union[StageCount, _Mapping]]] = ..., by_status: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ..., total: _Optional[int] = ..., total_at_least: _Optional[bool] = ...) -> None: ...

class ListRecentConversationsRequest(_message.Message):
    __slots__ = ("company_id", "page_size", "page_token")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    page_size: int
    page_token: str
    def __init__(self, company_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class Conversation(_message.Message):
    __slots__ = ("lead", "last_message")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    last_message: _resources_pb2.Message
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., last_message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ...) -> None: ...

class ListRecentConversationsResponse(_message.Message):
    __slots__ = ("conversations", "next_page_token")
    CONVERSATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    conversations: _containers.RepeatedCompositeFieldContainer[Conversation]
    next_page_token: str
    def __init__(self, conversations: _Optional[_Iterable[_Union[Conversation, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MoveLeadStageRequest(_message.Message):
    __slots__ = ("lead_id", "stage", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    stage: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., stage: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MoveLeadStageResponse(_message.Message):
    __slots__ = ("lead", "changed")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    changed: bool
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class MarkLeadEnrolledRequest(_message.Message):
    __slots__ = ("lead_id", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MarkLeadEnrolledResponse(_message.Message):
    __slots__ = ("lead", "changed")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    changed: bool
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class MarkLeadLostRequest(_message.Message):
    __slots__ = ("lead_id", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MarkLeadLostResponse(_message.Message):
    __slots__ = ("lead", "changed")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    changed: bool
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class LeadNote(_message.Message):
    __slots__ = ("id", "lead_id", "text", "author", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    lead_id: str
    text: str
    author: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., lead_id: _Optional[str] = ..., text: _Optional[str] = ..., author: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddLeadNoteRequest(_message.Message):
    __slots__ = ("lead_id", "text", "author")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    text: str
    author: str
    def __init__(self, lead_id: _Optional[str] = ..., text: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class AddLeadNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: LeadNote
    def __init__(self, note: _Optional[_Union[LeadNote, _Mapping]] = ...) -> None: ...

class ListLeadNotesRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class ListLeadNotesResponse(_message.Message):
    __slots__ = ("notes",)
    NOTES_FIELD_NUMBER: _ClassVar[int]
    notes: _containers.RepeatedCompositeFieldContainer[LeadNote]
    def __init__(self, notes: _Optional[_Iterable[_Union[LeadNote, _Mapping]]] = ...) -> None: ...

class UpdateLeadTagsRequest(_message.Message):
    __slots__ = ("lead_id", "add", "remove")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    ADD_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    add: _containers.RepeatedScalarFieldContainer[str]
    remove: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lead_id: _Optional[str] = ..., add: _Optional[_Iterable[str]] = ..., remove: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateLeadTagsResponse(_message.Message):
    __slots__ = ("lead", "changed")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    changed: bool
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class CorrectLeadContactRequest(_message.Message):
    __slots__ = ("lead_id", "contact_name", "phone_number", "email")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    contact_name: str
    phone_number: str
    email: str
    def __init__(self, lead_id: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone_number: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class CorrectLeadContactResponse(_message.Message):
    __slots__ = ("lead", "changed", "restored")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    RESTORED_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    changed: _containers.RepeatedScalarFieldContainer[str]
    restored: _containers.RepeatedScalarFieldContainer[_channel_pb2.Channel]
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., changed: _Optional[_Iterable[str]] = ..., restored: _Optional[_Iterable[_Union[_channel_pb2.Channel, str]]] = ...) -> None: ...

class ImportLeadsRequest(_message.Message):
    __slots__ = ("company_id", "csv", "dry_run")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CSV_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    csv: bytes
    dry_run: bool
    def __init__(self, company_id: _Optional[str] = ..., csv: _Optional[bytes] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class ImportRowError(_message.Message):
    __slots__ = ("row", "field", "reason")
    ROW_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    row: int
    field: str
    reason: str
    def __init__(self, row: _Optional[int] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ImportDuplicate(_message.Message):
    __slots__ = ("row", "matched_on", "lead_id", "same_as_row")
    ROW_FIELD_NUMBER: _ClassVar[int]
    MATCHED_ON_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    SAME_AS_ROW_FIELD_NUMBER: _ClassVar[int]
    row: int
    matched_on: str
    lead_id: str
    same_as_row: int
    def __init__(self, row: _Optional[int] = ..., matched_on: _Optional[str] = ..., lead_id: _Optional[str] = ..., same_as_row: _Optional[int] = ...) -> None: ...

class ImportLeadsResponse(_message.Message):
    __slots__ = ("rows", "created", "duplicates", "errors", "applied", "lead_ids")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    LEAD_IDS_FIELD_NUMBER: _ClassVar[int]
    rows: int
    created: int
    duplicates: _containers.RepeatedCompositeFieldContainer[ImportDuplicate]
    errors: _containers.RepeatedCompositeFieldContainer[ImportRowError]
    applied: bool
    lead_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, rows: _Optional[int] = ..., created: _Optional[int] = ..., duplicates: _Optional[_Iterable[_Union[ImportDuplicate, _Mapping]]] = ..., errors: _Optional[_Iterable[_Union[ImportRowError, _Mapping]]] = ..., applied: _Optional[bool] = ..., lead_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListInboxRequest(_message.Message):
    __slots__ = ("company_id", "page_size", "page_token", "assignee_user_id")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    page_size: int
    page_token: str
    assignee_user_id: str
    def __init__(self, company_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., assignee_user_id: _Optional[str] = ...) -> None: ...

class InboxItem(_message.Message):
    __slots__ = ("lead", "last_message", "reasons")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    last_message: _resources_pb2.Message
    reasons: _containers.RepeatedScalarFieldContainer[InboxReason]
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., last_message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., reasons: _Optional[_Iterable[_Union[InboxReason, str]]] = ...) -> None: ...

class ListInboxResponse(_message.Message):
    __slots__ = ("items", "next_page_token", "previous_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[InboxItem]
    next_page_token: str
    previous_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[InboxItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., previous_page_token: _Optional[str] = ...) -> None: ...

class GetActivityRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class GetActivityResponse(_message.Message):
    __slots__ = ("watermark", "changed_at")
    WATERMARK_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    watermark: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, watermark: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetLeadStatsRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class CourseCount(_message.Message):
    __slots__ = ("course", "count")
    COURSE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    course: str
    count: int
    def __init__(self, course: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class ChannelCount(_message.Message):
    __slots__ = ("channel", "count")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    channel: _channel_pb2.Channel
    count: int
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., count: _Optional[int] = ...) -> None: ...

class GetLeadStatsResponse(_message.Message):
    __slots__ = ("timezone", "leads_today", "leads_this_week", "first_reply_p50_seconds", "first_reply_p90_seconds", "first_reply_samples", "by_stage", "by_course", "by_channel", "total", "computed_at")
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    LEADS_TODAY_FIELD_NUMBER: _ClassVar[int]
    LEADS_THIS_WEEK_FIELD_NUMBER: _ClassVar[int]
    FIRST_REPLY_P50_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FIRST_REPLY_P90_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FIRST_REPLY_SAMPLES_FIELD_NUMBER: _ClassVar[int]
    BY_STAGE_FIELD_NUMBER: _ClassVar[int]
    BY_COURSE_FIELD_NUMBER: _ClassVar[int]
    BY_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    timezone: str
    leads_today: int
    leads_this_week: int
    first_reply_p50_seconds: float
    first_reply_p90_seconds: float
    first_reply_samples: int
    by_stage: _containers.RepeatedCompositeFieldContainer[StageCount]
    by_course: _containers.RepeatedCompositeFieldContainer[CourseCount]
    by_channel: _containers.RepeatedCompositeFieldContainer[ChannelCount]
    total: int
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, timezone: _Optional[str] = ..., leads_today: _Optional[int] = ..., leads_this_week: _Optional[int] = ..., first_reply_p50_seconds: _Optional[float] = ..., first_reply_p90_seconds: _Optional[float] = ..., first_reply_samples: _Optional[int] = ..., by_stage: _Optional[_Iterable[_Union[StageCount, _Mapping]]] = ..., by_course: _Optional[_Iterable[_Union[CourseCount, _Mapping]]] = ..., by_channel: _Optional[_Iterable[_Union[ChannelCount, _Mapping]]] = ..., total: _Optional[int] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
