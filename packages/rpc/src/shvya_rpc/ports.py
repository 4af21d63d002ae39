"""A listen-port setting that survives Kubernetes service links.

Kubernetes injects `<SERVICE>_PORT=tcp://10.0.0.7:50051` for every Service in
the namespace (unless enableServiceLinks is false), which collides with our
CRM_PORT, AI_PORT, ... settings. The port in such a value is the Service's
port, so it is taken rather than refused.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field


def _port(value: object) -> object:
    if isinstance(value, str) and value.startswith(("tcp://", "udp://")):
        return value.rsplit(":", 1)[-1]
    return value


ListenPort = Annotated[int, BeforeValidator(_port), Field(ge=0, le=65535)]
