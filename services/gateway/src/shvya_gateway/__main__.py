"""The gateway entry point: `python -m shvya_gateway` serves the REST API with uvicorn."""

from __future__ import annotations

import uvicorn

from shvya_rpc.gc_tuning import freeze_startup_objects
from shvya_rpc.logs import configure_logging


def main() -> None:
    from shvya_gateway.settings import GatewaySettings

    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    import shvya_gateway.app  # noqa: F401  (the app's imports, frozen below with the rest)

    freeze_startup_objects()
    uvicorn.run(
        "shvya_gateway.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
