"""The console entry point: `python -m shvya_console` serves the web app with uvicorn."""

from __future__ import annotations

import uvicorn

from shvya_rpc.logs import configure_logging


def main() -> None:
    from shvya_console.settings import ConsoleSettings

    settings = ConsoleSettings()
    configure_logging("console", settings.log_level)
    uvicorn.run(
        "shvya_console.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
