import datetime

from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Task(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_UNSPECIFIED: _ClassVar[Task]
    TASK_AI_ENGAGE: _ClassVar[Task]
    TASK_FOLLOWUP_BUMPUP: _ClassVar[Task]
    TASK_AI_SUMMARY: _ClassVar[Task]
    TASK_SEQUENCE_STEP: _ClassVar[Task]
    TASK_EMAIL_SEQUENCE: _ClassVar[Task]
    TASK_WEBHOOK_REMINDER: _ClassVar[Task]
    TASK_HUMAN_REPLY: _ClassVar[Task]
    TASK_NOTIFY_COUNSELLOR: _ClassVar[Task]
    TASK_REASSIGN_LEAD: _ClassVar[Task]
    TASK_STAFF_EMAIL: _ClassVar[Task]

class JobStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_STATUS_UNSPECIFIED: _ClassVar[JobStatus]
    JOB_STATUS_QUEUED: _ClassVar[JobStatus]
    JOB_STATUS_PROCESSING: _ClassVar[JobStatus]
    JOB_STATUS_COMPLETED: _ClassVar[JobStatus]
    JOB_STATUS_FAILED: _ClassVar[JobStatus]
    JOB_STATUS_DLQ: _ClassVar[JobStatus]
    JOB_STATUS_CANCELLED: _ClassVar[JobStatus]
TASK_UNSPECIFIED: Task
TASK_AI_ENGAGE: Task
TASK_FOLLOWUP_BUMPUP: Task
TASK_AI_SUMMARY: Task
TASK_SEQUENCE_STEP: Task
TASK_EMAIL_SEQUENCE: Task
TASK_WEBHOOK_REMINDER: Task
TASK_HUMAN_REPLY: Task
TASK_NOTIFY_COUNSELLOR: Task
TASK_REASSIGN_LEAD: Task
TASK_STAFF_EMAIL: Task
JOB_STATUS_UNSPECIFIED: JobStatus
JOB_STATUS_QUEUED: JobStatus
JOB_STATUS_PROCESSING: JobStatus
JOB_STATUS_COMPLETED: JobStatus
JOB_STATUS_FAILED: JobStatus
JOB_STATUS_DLQ: JobStatus
JOB_STATUS_CANCELLED: JobStatus
TASK_PRIORITY_FIELD_NUMBER: _ClassVar[int]
task_priority: _descriptor.FieldDescriptor

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
    __slots__ = ("company_id",)
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    def __init__(self, company_id: _Optional[str] = ...) -> None: ...

class GetJobCountsResponse(_message.Message):
    __slots__ = ("queued", "processing", "completed", "failed", "dlq", "cancelled", "due_now", "scheduled_later", "oldest_due_seconds")
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    PROCESSING_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    DLQ_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    DUE_NOW_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_LATER_FIELD_NUMBER: _ClassVar[int]
    OLDEST_DUE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    queued: int
    processing: int
    completed: int
    failed: int
    dlq: int
    cancelled: int
    due_now: int
    scheduled_later: int
    oldest_due_seconds: float
    def __init__(self, queued: _Optional[int] = ..., processing: _Optional[int] = ..., completed: _Optional[int] = ..., failed: _Optional[int] = ..., dlq: _Optional[int] = ..., cancelled: _Optional[int] = ..., due_now: _Optional[int] = ..., scheduled_later: _Optional[int] = ..., oldest_due_seconds: _Optional[float] = ...) -> None: ...

class RequeueDeadJobsRequest(_message.Message):
    __slots__ = ("max_jobs", "company_id", "job_ids")
    MAX_JOBS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    max_jobs: int
    company_id: str
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, max_jobs: _Optional[int] = ..., company_id: _Optional[str] = ..., job_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RequeueDeadJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

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

class ListDeadJobsRequest(_message.Message):
    __slots__ = ("company_id", "page_size", "page_token")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    page_size: int
    page_token: str
    def __init__(self, company_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class DeadJob(_message.Message):
    __slots__ = ("job", "reason", "dead_at", "lead_name")
    JOB_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DEAD_AT_FIELD_NUMBER: _ClassVar[int]
    LEAD_NAME_FIELD_NUMBER: _ClassVar[int]
    job: Job
    reason: str
    dead_at: _timestamp_pb2.Timestamp
    lead_name: str
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., reason: _Optional[str] = ..., dead_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lead_name: _Optional[str] = ...) -> None: ...

class ListDeadJobsResponse(_message.Message):
    __slots__ = ("jobs", "next_page_token")
    JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[DeadJob]
    next_page_token: str
    def __init__(self, jobs: _Optional[_Iterable[_Union[DeadJob, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
