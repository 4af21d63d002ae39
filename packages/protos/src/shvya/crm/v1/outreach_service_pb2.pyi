import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from shvya.crm.v1 import resources_pb2 as _resources_pb2
from shvya.type.v1 import channel_pb2 as _channel_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

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

class CompanySettings(_message.Message):
    __slots__ = ("company_id", "name", "timezone", "followup_delay_seconds", "max_bumps", "quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end", "followup_template", "max_attempts", "retry_max_seconds")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    FOLLOWUP_DELAY_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_BUMPS_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_START_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_END_FIELD_NUMBER: _ClassVar[int]
    FOLLOWUP_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    RETRY_MAX_SECONDS_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    name: str
    timezone: str
    followup_delay_seconds: int
    max_bumps: int
    quiet_hours_enabled: bool
    quiet_hours_start: str
    quiet_hours_end: str
    followup_template: str
    max_attempts: int
    retry_max_seconds: int
    def __init__(self, company_id: _Optional[str] = ..., name: _Optional[str] = ..., timezone: _Optional[str] = ..., followup_delay_seconds: _Optional[int] = ..., max_bumps: _Optional[int] = ..., quiet_hours_enabled: _Optional[bool] = ..., quiet_hours_start: _Optional[str] = ..., quiet_hours_end: _Optional[str] = ..., followup_template: _Optional[str] = ..., max_attempts: _Optional[int] = ..., retry_max_seconds: _Optional[int] = ...) -> None: ...

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
    lead: _resources_pb2.Lead
    message: _resources_pb2.Message
    sender_name: str
    in_reply_to: str
    references: _containers.RepeatedScalarFieldContainer[str]
    unsubscribe_token: str
    template: OutreachTemplate
    marketing: bool
    def __init__(self, proceed: _Optional[bool] = ..., reason: _Optional[str] = ..., defer_seconds: _Optional[float] = ..., lead: _Optional[_Union[_resources_pb2.Lead, _Mapping]] = ..., message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., sender_name: _Optional[str] = ..., in_reply_to: _Optional[str] = ..., references: _Optional[_Iterable[str]] = ..., unsubscribe_token: _Optional[str] = ..., template: _Optional[_Union[OutreachTemplate, _Mapping]] = ..., marketing: _Optional[bool] = ...) -> None: ...

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
