"""Command line: ``acme-orders serve | migrate | healthcheck``, plus the
framework's own where it has them (Django: ``manage``).

A command that cannot start says why in one line per problem on stderr and
exits non-zero; it never prints a traceback or a setting's value.
"""

import argparse
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

from acme_orders.logs import configure_logging
from acme_orders.settings import SettingsError, get_settings

# Exit statuses besides 0 (and the server's own for a failed start).
UNUSABLE_SETTINGS = 2
DATABASE_UNREACHABLE = 4


def serve() -> int:
    # Imported here: the server stack is not needed to migrate or probe.
    from acme_orders import server

    settings = get_settings()
    configure_logging(settings.log_level)
    return server.serve(settings)


def migrate() -> int:
    # Imported here: the migration machinery (Alembic costs about 6 MiB and
    # 0.4 s of start-up) is of no use to the server.
    from acme_orders.migrations import outage_of, upgrade_to_head

    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        upgrade_to_head()
    except Exception as error:
        dependency = outage_of(error)
        if dependency is None:
            raise
        sys.stderr.write(
            f"{dependency} unreachable ({type(error).__name__}): is it running, and"
            " does DATABASE_URL point at it? (with compose: docker compose up -d)\n"
        )
        return DATABASE_UNREACHABLE
    return 0


def healthcheck() -> int:
    """Exit status 0 when the local server answers its liveness probe."""
    url = f"http://127.0.0.1:{get_settings().port}/health/live"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError):
        return 1


def worker() -> int:
    # The worker's processes count into files that its /metrics adds up
    # (observability/task_metrics.py); set before anything counts.
    import os
    import tempfile

    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="worker-metrics-")
    )
    # Imported here: the queue's worker machinery is of no use to the server.
    from acme_orders import worker as task_worker

    settings = get_settings()
    configure_logging(settings.log_level)
    return task_worker.serve(settings)


def worker_healthcheck() -> int:
    """Exit status 0 while the local worker's heartbeat is recent."""
    from acme_orders.heartbeat import is_beating

    return 0 if is_beating() else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="acme-orders")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP server")
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("healthcheck", help="probe the local server (for Docker)")
    commands.add_parser("worker", help="run the background task worker")
    commands.add_parser(
        "worker-healthcheck", help="probe the local worker's heartbeat (for Docker)"
    )
    args = parser.parse_args(argv)

    commands_by_name: dict[str, Callable[[], int]] = {
        "serve": serve,
        "migrate": migrate,
        "healthcheck": healthcheck,
        "worker": worker,
        "worker-healthcheck": worker_healthcheck,
    }
    try:
        return commands_by_name[args.command]()
    except SettingsError as error:
        sys.stderr.write(f"{parser.prog}: unusable settings:\n")
        for line in str(error).splitlines():
            sys.stderr.write(f"  {line}\n")
        return UNUSABLE_SETTINGS


if __name__ == "__main__":
    sys.exit(main())
