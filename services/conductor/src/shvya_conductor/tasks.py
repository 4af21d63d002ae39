"""Which function runs each task."""

from __future__ import annotations

from shvya_conductor.engage import ai_engage
from shvya_conductor.runner import TaskFn


def task_functions() -> dict[str, TaskFn]:
    return {"ai_engage": ai_engage}
