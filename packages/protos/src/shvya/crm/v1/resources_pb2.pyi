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
    SEND_PURPOSE_COUNSELLOR: _ClassVar[SendPurpose]

class SendDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_DECISION_UNSPECIFIED: _ClassVar[SendDecision]
    SEND_DECISION_ALLOW: _ClassVar[SendDecision]
    SEND_DECISION_SUPPRESS: _ClassVar[SendDecision]
    SEND_DECISION_DEFER: _ClassVar[SendDecision]

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
SEND_PURPOSE_UNSPECIFIED: SendPurpose
SEND_PURPOSE_REPLY: SendPurpose
SEND_PURPOSE_OPT_OUT_CONFIRMATION: SendPurpose
SEND_PURPOSE_FOLLOWUP: SendPurpose
SEND_PURPOSE_SEQUENCE: SendPurpose
SEND_PURPOSE_HANDOFF: SendPurpose
SEND_PURPOSE_COUNSELLOR: SendPurpose
SEND_DECISION_UNSPECIFIED: SendDecision
SEND_DECISION_ALLOW: SendDecision
SEND_DECISION_SUPPRESS: SendDecision
SEND_DECISION_DEFER: SendDecision
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

class Lead(_message.Message):
    __slots__ = ("id", "company_id", "contact_name", "phone_number", "email", "stage", "status", "summary", "created_at", "updated_at", "last_inbound_at", "last_outbound_at", "channel", "tags", "course", "source", "last_message_at", "assigned_user_id", "assigned_at", "human_user_id", "taken_over_at", "whatsapp_window_ends_at")
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
    TAGS_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_AT_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    HUMAN_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TAKEN_OVER_AT_FIELD_NUMBER: _ClassVar[int]
    WHATSAPP_WINDOW_ENDS_AT_FIELD_NUMBER: _ClassVar[int]
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
    tags: _containers.RepeatedScalarFieldContainer[str]
    course: str
    source: str
    last_message_at: _timestamp_pb2.Timestamp
    assigned_user_id: str
    assigned_at: _timestamp_pb2.Timestamp
    human_user_id: str
    taken_over_at: _timestamp_pb2.Timestamp
    whatsapp_window_ends_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., contact_name: _Optional[str] = ..., phone_number: _Optional[str] = ..., email: _Optional[str] = ..., stage: _Optional[str] = ..., status: _Optional[str] = ..., summary: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_inbound_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_outbound_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., tags: _Optional[_Iterable[str]] = ..., course: _Optional[str] = ..., source: _Optional[str] = ..., last_message_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., assigned_user_id: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., human_user_id: _Optional[str] = ..., taken_over_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., whatsapp_window_ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("id", "company_id", "lead_id", "channel", "direction", "status", "text", "subject", "external_id", "error_message", "created_at", "sent_at", "delivered_at", "read_at", "failed_at", "job_id", "purpose", "author_user_id", "author")
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
    AUTHOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
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
    author_user_id: str
    author: str
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., direction: _Optional[_Union[MessageDirection, str]] = ..., status: _Optional[_Union[MessageStatus, str]] = ..., text: _Optional[str] = ..., subject: _Optional[str] = ..., external_id: _Optional[str] = ..., error_message: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., read_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., failed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., job_id: _Optional[str] = ..., purpose: _Optional[_Union[SendPurpose, str]] = ..., author_user_id: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

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
