"""Command line: ``acme-orders serve | migrate | healthcheck``."""

import argparse
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

import uvicorn

from acme_orders.logs import configure_logging
from acme_orders.settings import get_settings

# Seconds a worker gets to finish in-flight requests after SIGTERM; keep it
# below the orchestrator's grace period (Kubernetes: 30 s by default).
GRACEFUL_SHUTDOWN_SECONDS = 20


def serve() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "acme_orders.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        # uvloop and httptools (C-accelerated loop and HTTP parser) whenever
        # installed, as on Linux: the bulk of uvicorn's throughput.
        loop="auto",
        http="auto",
        # Logging is configured by the app (JSON); uvicorn must not replace it.
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def migrate() -> None:
    # Imported here: Alembic costs the server about 6 MiB and 0.4 s of
    # start-up that it never uses.
    from acme_orders.migrations import upgrade_to_head

    configure_logging(get_settings().log_level)
    upgrade_to_head()


def healthcheck() -> int:
    """Exit status 0 when the local server answers its liveness probe."""
    url = f"http://127.0.0.1:{get_settings().port}/health/live"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="acme-orders")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP server")
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("healthcheck", help="probe the local server (for Docker)")
    args = parser.parse_args(argv)

    if args.command == "serve":
        serve()
    elif args.command == "migrate":
        migrate()
    elif args.command == "healthcheck":
        return healthcheck()
    return 0


if __name__ == "__main__":
    sys.exit(main())
