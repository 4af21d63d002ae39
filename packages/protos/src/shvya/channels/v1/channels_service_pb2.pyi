from shvya.type.v1 import channel_pb2 as _channel_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SendOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_OUTCOME_UNSPECIFIED: _ClassVar[SendOutcome]
    SEND_OUTCOME_SENT: _ClassVar[SendOutcome]
    SEND_OUTCOME_RETRY_LATER: _ClassVar[SendOutcome]
    SEND_OUTCOME_REJECTED: _ClassVar[SendOutcome]
    SEND_OUTCOME_ACCOUNT_BLOCKED: _ClassVar[SendOutcome]
    SEND_OUTCOME_DEFERRED: _ClassVar[SendOutcome]
SEND_OUTCOME_UNSPECIFIED: SendOutcome
SEND_OUTCOME_SENT: SendOutcome
SEND_OUTCOME_RETRY_LATER: SendOutcome
SEND_OUTCOME_REJECTED: SendOutcome
SEND_OUTCOME_ACCOUNT_BLOCKED: SendOutcome
SEND_OUTCOME_DEFERRED: SendOutcome

class Recipient(_message.Message):
    __slots__ = ("name", "phone_number", "email")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone_number: str
    email: str
    def __init__(self, name: _Optional[str] = ..., phone_number: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class SendMessageRequest(_message.Message):
    __slots__ = ("channel", "idempotency_key", "message_id", "recipient", "text", "html", "subject", "in_reply_to", "references", "headers", "company_id", "lead_id", "sender_name", "template", "recipient_wrote_first", "recipient_opted_in", "window_open")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    IN_REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_NAME_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_WROTE_FIRST_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_OPTED_IN_FIELD_NUMBER: _ClassVar[int]
    WINDOW_OPEN_FIELD_NUMBER: _ClassVar[int]
    channel: _channel_pb2.Channel
    idempotency_key: str
    message_id: str
    recipient: Recipient
    text: str
    html: str
    subject: str
    in_reply_to: str
    references: _containers.RepeatedScalarFieldContainer[str]
    headers: _containers.ScalarMap[str, str]
    company_id: str
    lead_id: str
    sender_name: str
    template: TemplateMessage
    recipient_wrote_first: bool
    recipient_opted_in: bool
    window_open: bool
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., idempotency_key: _Optional[str] = ..., message_id: _Optional[str] = ..., recipient: _Optional[_Union[Recipient, _Mapping]] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., subject: _Optional[str] = ..., in_reply_to: _Optional[str] = ..., references: _Optional[_Iterable[str]] = ..., headers: _Optional[_Mapping[str, str]] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., sender_name: _Optional[str] = ..., template: _Optional[_Union[TemplateMessage, _Mapping]] = ..., recipient_wrote_first: _Optional[bool] = ..., recipient_opted_in: _Optional[bool] = ..., window_open: _Optional[bool] = ...) -> None: ...

class TemplateMessage(_message.Message):
    __slots__ = ("name", "language", "parameters")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    language: str
    parameters: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., language: _Optional[str] = ..., parameters: _Optional[_Iterable[str]] = ...) -> None: ...

class SendMessageResponse(_message.Message):
    __slots__ = ("outcome", "external_id", "retry_after_seconds", "reason", "error_code", "duplicate")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    outcome: SendOutcome
    external_id: str
    retry_after_seconds: float
    reason: str
    error_code: str
    duplicate: bool
    def __init__(self, outcome: _Optional[_Union[SendOutcome, str]] = ..., external_id: _Optional[str] = ..., retry_after_seconds: _Optional[float] = ..., reason: _Optional[str] = ..., error_code: _Optional[str] = ..., duplicate: _Optional[bool] = ...) -> None: ...

class DescribeChannelRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DescribeChannelResponse(_message.Message):
    __slots__ = ("channel", "ready", "detail")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    channel: _channel_pb2.Channel
    ready: bool
    detail: str
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., ready: _Optional[bool] = ..., detail: _Optional[str] = ...) -> None: ...
