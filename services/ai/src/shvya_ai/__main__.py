"""The ai entry point: `python -m shvya_ai`."""

from __future__ import annotations

import logging

from shvya_rpc import tracing
from shvya_rpc.logs import configure_logging
from shvya_rpc.metrics import serve_metrics


def main() -> None:
    from shvya_ai.server import serve
    from shvya_ai.settings import AiSettings

    settings = AiSettings()
    configure_logging("ai", settings.log_level)
    logging.getLogger("shvya_ai").info("default provider: %s", settings.provider)
    tracing.start("ai")
    serve_metrics()
    serve(settings)


if __name__ == "__main__":
    main()
