from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class EraseLeadRequest(_message.Message):
    __slots__ = ("lead_id", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class EraseLeadResponse(_message.Message):
    __slots__ = ("lead_id", "erased", "rows", "send_ledger_keys", "phone_numbers", "email_addresses")
    class RowsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    ERASED_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    SEND_LEDGER_KEYS_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    erased: bool
    rows: _containers.ScalarMap[str, int]
    send_ledger_keys: _containers.RepeatedScalarFieldContainer[str]
    phone_numbers: _containers.RepeatedScalarFieldContainer[str]
    email_addresses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lead_id: _Optional[str] = ..., erased: _Optional[bool] = ..., rows: _Optional[_Mapping[str, int]] = ..., send_ledger_keys: _Optional[_Iterable[str]] = ..., phone_numbers: _Optional[_Iterable[str]] = ..., email_addresses: _Optional[_Iterable[str]] = ...) -> None: ...

class ExportLeadRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class ExportLeadResponse(_message.Message):
    __slots__ = ("lead_id", "document")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    document: str
    def __init__(self, lead_id: _Optional[str] = ..., document: _Optional[str] = ...) -> None: ...
