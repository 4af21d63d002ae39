from shvya.type.v1 import channel_pb2 as _channel_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DispatchJobsRequest(_message.Message):
    __slots__ = ("job_ids", "leased_jobs")
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    LEASED_JOBS_FIELD_NUMBER: _ClassVar[int]
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    leased_jobs: _containers.RepeatedCompositeFieldContainer[LeasedJob]
    def __init__(self, job_ids: _Optional[_Iterable[str]] = ..., leased_jobs: _Optional[_Iterable[_Union[LeasedJob, _Mapping]]] = ...) -> None: ...

class LeasedJob(_message.Message):
    __slots__ = ("id", "task_name")
    ID_FIELD_NUMBER: _ClassVar[int]
    TASK_NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    task_name: str
    def __init__(self, id: _Optional[str] = ..., task_name: _Optional[str] = ...) -> None: ...

class DispatchJobsResponse(_message.Message):
    __slots__ = ("dispatched_job_ids",)
    DISPATCHED_JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    dispatched_job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, dispatched_job_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetQueueStatsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LaneDepth(_message.Message):
    __slots__ = ("lane", "depth")
    LANE_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    lane: str
    depth: int
    def __init__(self, lane: _Optional[str] = ..., depth: _Optional[int] = ...) -> None: ...

class GetQueueStatsResponse(_message.Message):
    __slots__ = ("queued", "processing", "completed", "failed", "dlq", "lanes", "cancelled", "due_now", "scheduled_later", "oldest_due_seconds")
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    PROCESSING_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    DLQ_FIELD_NUMBER: _ClassVar[int]
    LANES_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    DUE_NOW_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_LATER_FIELD_NUMBER: _ClassVar[int]
    OLDEST_DUE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    queued: int
    processing: int
    completed: int
    failed: int
    dlq: int
    lanes: _containers.RepeatedCompositeFieldContainer[LaneDepth]
    cancelled: int
    due_now: int
    scheduled_later: int
    oldest_due_seconds: float
    def __init__(self, queued: _Optional[int] = ..., processing: _Optional[int] = ..., completed: _Optional[int] = ..., failed: _Optional[int] = ..., dlq: _Optional[int] = ..., lanes: _Optional[_Iterable[_Union[LaneDepth, _Mapping]]] = ..., cancelled: _Optional[int] = ..., due_now: _Optional[int] = ..., scheduled_later: _Optional[int] = ..., oldest_due_seconds: _Optional[float] = ...) -> None: ...

class ReplayDeadLettersRequest(_message.Message):
    __slots__ = ("max_jobs", "company_id", "job_ids")
    MAX_JOBS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    max_jobs: int
    company_id: str
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, max_jobs: _Optional[int] = ..., company_id: _Optional[str] = ..., job_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ReplayDeadLettersResponse(_message.Message):
    __slots__ = ("job_ids",)
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, job_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class PreviewReplyRequest(_message.Message):
    __slots__ = ("company_id", "question", "course", "channel")
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    COURSE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    question: str
    course: str
    channel: _channel_pb2.Channel
    def __init__(self, company_id: _Optional[str] = ..., question: _Optional[str] = ..., course: _Optional[str] = ..., channel: _Optional[_Union[_channel_pb2.Channel, str]] = ...) -> None: ...

class PreviewDocument(_message.Message):
    __slots__ = ("id", "title")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class PreviewReplyResponse(_message.Message):
    __slots__ = ("text", "subject", "intent", "suggested_stage", "hand_off", "documents", "provider", "model", "unanswered", "opt_out", "latency_ms")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    INTENT_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_STAGE_FIELD_NUMBER: _ClassVar[int]
    HAND_OFF_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    UNANSWERED_FIELD_NUMBER: _ClassVar[int]
    OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    text: str
    subject: str
    intent: str
    suggested_stage: str
    hand_off: bool
    documents: _containers.RepeatedCompositeFieldContainer[PreviewDocument]
    provider: str
    model: str
    unanswered: bool
    opt_out: bool
    latency_ms: int
    def __init__(self, text: _Optional[str] = ..., subject: _Optional[str] = ..., intent: _Optional[str] = ..., suggested_stage: _Optional[str] = ..., hand_off: _Optional[bool] = ..., documents: _Optional[_Iterable[_Union[PreviewDocument, _Mapping]]] = ..., provider: _Optional[str] = ..., model: _Optional[str] = ..., unanswered: _Optional[bool] = ..., opt_out: _Optional[bool] = ..., latency_ms: _Optional[int] = ...) -> None: ...
