from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_WHATSAPP_WEB: _ClassVar[Channel]
    CHANNEL_WHATSAPP_CLOUD: _ClassVar[Channel]
    CHANNEL_EMAIL: _ClassVar[Channel]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_WHATSAPP_WEB: Channel
CHANNEL_WHATSAPP_CLOUD: Channel
CHANNEL_EMAIL: Channel
