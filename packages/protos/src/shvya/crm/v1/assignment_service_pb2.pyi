import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from shvya.crm.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WorkingHours(_message.Message):
    __slots__ = ("days", "start", "end", "timezone")
    DAYS_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    days: _containers.RepeatedScalarFieldContainer[int]
    start: str
    end: str
    timezone: str
    def __init__(self, days: _Optional[_Iterable[int]] = ..., start: _Optional[str] = ..., end: _Optional[str] = ..., timezone: _Optional[str] = ...) -> None: ...

class Counsellor(_message.Message):
    __slots__ = ("id", "company_id", "email", "name", "role", "is_active", "available", "working_hours")
    ID_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    IS_ACTIVE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    WORKING_HOURS_FIELD_NUMBER: _ClassVar[int]
    id: str
    company_id: str
    email: str
    name: str
    role: str
    is_active: bool
    available: bool
    working_hours: WorkingHours
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ..., is_active: _Optional[bool] = ..., available: _Optional[bool] = ..., working_hours: _Optional[_Union[WorkingHours, _Mapping]] = ...) -> None: ...

class AssignmentRule(_message.Message):
    __slots__ = ("course", "user_ids")
    COURSE_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    course: str
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, course: _Optional[str] = ..., user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class AssignmentSettings(_message.Message):
    __slots__ = ("company_id", "reassign_after_minutes", "rules")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    REASSIGN_AFTER_MINUTES_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    reassign_after_minutes: int
    rules: _containers.RepeatedCompositeFieldContainer[AssignmentRule]
    def __init__(self, company_id: _Optional[str] = ..., reassign_after_minutes: _Optional[int] = ..., rules: _Optional[_Iterable[_Union[AssignmentRule, _Mapping]]] = ...) -> None: ...

class AssignLeadRequest(_message.Message):
    __slots__ = ("lead_id", "user_id", "reason", "actor")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    user_id: str
    reason: str
    actor: str
    def __init__(self, lead_id: _Optional[str] = ..., user_id: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class AssignLeadResponse(_message.Message):
    __slots__ = ("lead", "changed")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    changed: bool
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class TakeOverLeadRequest(_message.Message):
    __slots__ = ("lead_id", "user_id", "actor")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    user_id: str
    actor: str
    def __init__(self, lead_id: _Optional[str] = ..., user_id: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class TakeOverLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ...) -> None: ...

class HandBackLeadRequest(_message.Message):
    __slots__ = ("lead_id", "actor")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    actor: str
    def __init__(self, lead_id: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class HandBackLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: _resources_pb2.Lead
    def __init__(self, lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ...) -> None: ...

class SendHumanReplyRequest(_message.Message):
    __slots__ = ("lead_id", "text", "template_name", "template_language", "template_parameters", "idempotency_key", "author_user_id", "subject")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_NAME_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    text: str
    template_name: str
    template_language: str
    template_parameters: _containers.RepeatedScalarFieldContainer[str]
    idempotency_key: str
    author_user_id: str
    subject: str
    def __init__(self, lead_id: _Optional[str] = ..., text: _Optional[str] = ..., template_name: _Optional[str] = ..., template_language: _Optional[str] = ..., template_parameters: _Optional[_Iterable[str]] = ..., idempotency_key: _Optional[str] = ..., author_user_id: _Optional[str] = ..., subject: _Optional[str] = ...) -> None: ...

class SendHumanReplyResponse(_message.Message):
    __slots__ = ("message", "created", "job_id")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    message: _resources_pb2.Message
    created: bool
    job_id: str
    def __init__(self, message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., created: _Optional[bool] = ..., job_id: _Optional[str] = ...) -> None: ...

class GetAssignmentSettingsRequest(_message.Message):
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class GetAssignmentSettingsResponse(_message.Message):
    __slots__ = ("settings", "counsellors")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    COUNSELLORS_FIELD_NUMBER: _ClassVar[int]
    settings: AssignmentSettings
    counsellors: _containers.RepeatedCompositeFieldContainer[Counsellor]
    def __init__(self, settings: _Optional[_Union[AssignmentSettings, _Mapping]] = ..., counsellors: _Optional[_Iterable[_Union[Counsellor, _Mapping]]] = ...) -> None: ...

class UpdateAssignmentSettingsRequest(_message.Message):
    __slots__ = ("settings", "actor")
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    settings: AssignmentSettings
    actor: str
    def __init__(self, settings: _Optional[_Union[AssignmentSettings, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class UpdateAssignmentSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: AssignmentSettings
    def __init__(self, settings: _Optional[_Union[AssignmentSettings, _Mapping]] = ...) -> None: ...

class UpdateUserAvailabilityRequest(_message.Message):
    __slots__ = ("user_id", "available", "working_hours", "actor")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    WORKING_HOURS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    available: bool
    working_hours: WorkingHours
    actor: str
    def __init__(self, user_id: _Optional[str] = ..., available: _Optional[bool] = ..., working_hours: _Optional[_Union[WorkingHours, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class UpdateUserAvailabilityResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: Counsellor
    def __init__(self, user: _Optional[_Union[Counsellor, _Mapping]] = ...) -> None: ...

class NotifyAssigneeRequest(_message.Message):
    __slots__ = ("lead_id", "message_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    message_id: str
    def __init__(self, lead_id: _Optional[str] = ..., message_id: _Optional[str] = ...) -> None: ...

class NotifyAssigneeResponse(_message.Message):
    __slots__ = ("queued",)
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    queued: bool
    def __init__(self, queued: _Optional[bool] = ...) -> None: ...

class PrepareCounsellorNotificationRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class PrepareCounsellorNotificationResponse(_message.Message):
    __slots__ = ("proceed", "reason", "email", "name", "subject", "text", "company_id", "lead_id")
    PROCEED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    proceed: bool
    reason: str
    email: str
    name: str
    subject: str
    text: str
    company_id: str
    lead_id: str
    def __init__(self, proceed: _Optional[bool] = ..., reason: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., company_id: _Optional[str] = ..., lead_id: _Optional[str] = ...) -> None: ...

class ReassignLeadRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class ReassignLeadResponse(_message.Message):
    __slots__ = ("reassigned", "reason", "lead", "next_check_at")
    REASSIGNED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LEAD_FIELD_NUMBER: _ClassVar[int]
    NEXT_CHECK_AT_FIELD_NUMBER: _ClassVar[int]
    reassigned: bool
    reason: str
    lead: _resources_pb2.Lead
    next_check_at: _timestamp_pb2.Timestamp
    def __init__(self, reassigned: _Optional[bool] = ..., reason: _Optional[str] = ..., lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., next_check_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
