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

class SendOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_OUTCOME_UNSPECIFIED: _ClassVar[SendOutcome]
    SEND_OUTCOME_SENT: _ClassVar[SendOutcome]
    SEND_OUTCOME_RETRY_LATER: _ClassVar[SendOutcome]
    SEND_OUTCOME_REJECTED: _ClassVar[SendOutcome]
    SEND_OUTCOME_ACCOUNT_BLOCKED: _ClassVar[SendOutcome]
    SEND_OUTCOME_DEFERRED: _ClassVar[SendOutcome]

class LoginState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOGIN_STATE_UNSPECIFIED: _ClassVar[LoginState]
    LOGIN_STATE_STARTING: _ClassVar[LoginState]
    LOGIN_STATE_NEEDS_QR: _ClassVar[LoginState]
    LOGIN_STATE_LOGGED_IN: _ClassVar[LoginState]
    LOGIN_STATE_LOGGED_OUT: _ClassVar[LoginState]
    LOGIN_STATE_BLOCKED: _ClassVar[LoginState]
SEND_OUTCOME_UNSPECIFIED: SendOutcome
SEND_OUTCOME_SENT: SendOutcome
SEND_OUTCOME_RETRY_LATER: SendOutcome
SEND_OUTCOME_REJECTED: SendOutcome
SEND_OUTCOME_ACCOUNT_BLOCKED: SendOutcome
SEND_OUTCOME_DEFERRED: SendOutcome
LOGIN_STATE_UNSPECIFIED: LoginState
LOGIN_STATE_STARTING: LoginState
LOGIN_STATE_NEEDS_QR: LoginState
LOGIN_STATE_LOGGED_IN: LoginState
LOGIN_STATE_LOGGED_OUT: LoginState
LOGIN_STATE_BLOCKED: LoginState

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
    __slots__ = ("outcome", "external_id", "retry_after_seconds", "reason", "error_code", "duplicate", "address_invalid")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_INVALID_FIELD_NUMBER: _ClassVar[int]
    outcome: SendOutcome
    external_id: str
    retry_after_seconds: float
    reason: str
    error_code: str
    duplicate: bool
    address_invalid: bool
    def __init__(self, outcome: _Optional[_Union[SendOutcome, str]] = ..., external_id: _Optional[str] = ..., retry_after_seconds: _Optional[float] = ..., reason: _Optional[str] = ..., error_code: _Optional[str] = ..., duplicate: _Optional[bool] = ..., address_invalid: _Optional[bool] = ...) -> None: ...

class DescribeChannelRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DescribeChannelResponse(_message.Message):
    __slots__ = ("channel", "ready", "detail", "configured")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    channel: _channel_pb2.Channel
    ready: bool
    detail: str
    configured: bool
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., ready: _Optional[bool] = ..., detail: _Optional[str] = ..., configured: _Optional[bool] = ...) -> None: ...

class AccountStatus(_message.Message):
    __slots__ = ("channel", "account", "stopped", "stop_reason", "stop_code", "stopped_at", "login_state", "login_detail", "login_state_since", "sent_today", "daily_cap", "next_send_at")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    STOP_REASON_FIELD_NUMBER: _ClassVar[int]
    STOP_CODE_FIELD_NUMBER: _ClassVar[int]
    STOPPED_AT_FIELD_NUMBER: _ClassVar[int]
    LOGIN_STATE_FIELD_NUMBER: _ClassVar[int]
    LOGIN_DETAIL_FIELD_NUMBER: _ClassVar[int]
    LOGIN_STATE_SINCE_FIELD_NUMBER: _ClassVar[int]
    SENT_TODAY_FIELD_NUMBER: _ClassVar[int]
    DAILY_CAP_FIELD_NUMBER: _ClassVar[int]
    NEXT_SEND_AT_FIELD_NUMBER: _ClassVar[int]
    channel: _channel_pb2.Channel
    account: str
    stopped: bool
    stop_reason: str
    stop_code: str
    stopped_at: _timestamp_pb2.Timestamp
    login_state: LoginState
    login_detail: str
    login_state_since: _timestamp_pb2.Timestamp
    sent_today: int
    daily_cap: int
    next_send_at: _timestamp_pb2.Timestamp
    def __init__(self, channel: _Optional[_Union[_channel_pb2.Channel, str]] = ..., account: _Optional[str] = ..., stopped: _Optional[bool] = ..., stop_reason: _Optional[str] = ..., stop_code: _Optional[str] = ..., stopped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., login_state: _Optional[_Union[LoginState, str]] = ..., login_detail: _Optional[str] = ..., login_state_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_today: _Optional[int] = ..., daily_cap: _Optional[int] = ..., next_send_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetAccountStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetAccountStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: AccountStatus
    def __init__(self, status: _Optional[_Union[AccountStatus, _Mapping]] = ...) -> None: ...

class GetLoginQrRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetLoginQrResponse(_message.Message):
    __slots__ = ("png", "captured_at")
    PNG_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    png: bytes
    captured_at: _timestamp_pb2.Timestamp
    def __init__(self, png: _Optional[bytes] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResumeAccountRequest(_message.Message):
    __slots__ = ("reason",)
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: str
    def __init__(self, reason: _Optional[str] = ...) -> None: ...

class ResumeAccountResponse(_message.Message):
    __slots__ = ("status", "resumed")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESUMED_FIELD_NUMBER: _ClassVar[int]
    status: AccountStatus
    resumed: bool
    def __init__(self, status: _Optional[_Union[AccountStatus, _Mapping]] = ..., resumed: _Optional[bool] = ...) -> None: ...

class ReportDeliveryErrorRequest(_message.Message):
    __slots__ = ("error_code", "error_message", "external_id")
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    error_code: str
    error_message: str
    external_id: str
    def __init__(self, error_code: _Optional[str] = ..., error_message: _Optional[str] = ..., external_id: _Optional[str] = ...) -> None: ...

class ReportDeliveryErrorResponse(_message.Message):
    __slots__ = ("status", "stopped")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    status: AccountStatus
    stopped: bool
    def __init__(self, status: _Optional[_Union[AccountStatus, _Mapping]] = ..., stopped: _Optional[bool] = ...) -> None: ...
