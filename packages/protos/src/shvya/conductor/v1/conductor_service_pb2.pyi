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
    __slots__ = ("max_jobs",)
    MAX_JOBS_FIELD_NUMBER: _ClassVar[int]
    max_jobs: int
    def __init__(self, max_jobs: _Optional[int] = ...) -> None: ...

class ReplayDeadLettersResponse(_message.Message):
    __slots__ = ("job_ids",)
    JOB_IDS_FIELD_NUMBER: _ClassVar[int]
    job_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, job_ids: _Optional[_Iterable[str]] = ...) -> None: ...
