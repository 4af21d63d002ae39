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
CONSENT_ACTION_UNSPECIFIED: ConsentAction
CONSENT_ACTION_OPT_IN: ConsentAction
CONSENT_ACTION_OPT_OUT: ConsentAction

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
