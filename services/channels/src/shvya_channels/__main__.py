"""The channels entry point: `python -m shvya_channels --channel email|whatsapp_cloud|whatsapp_web`."""

from __future__ import annotations

import argparse
import logging

from shvya_rpc import tracing
from shvya_rpc.logs import configure_logging
from shvya_rpc.metrics import serve_metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shvya_channels", description=__doc__)
    parser.add_argument(
        "--channel",
        choices=["email", "whatsapp_cloud", "whatsapp_web"],
        help="the channel kind this process serves (default: CHANNELS_CHANNEL or email)",
    )
    args = parser.parse_args(argv)

    from shvya_channels.server import serve
    from shvya_channels.settings import ChannelsSettings

    overrides = {"channel": args.channel} if args.channel else {}
    settings = ChannelsSettings(**overrides)
    configure_logging(f"channels-{settings.channel.value}", settings.log_level)
    logging.getLogger("shvya_channels").info(
        "serving the %s channel on port %d", settings.channel.value, settings.listen_port
    )
    tracing.start(f"channels-{settings.channel.value}")
    serve_metrics()
    serve(settings)


if __name__ == "__main__":
    main()
