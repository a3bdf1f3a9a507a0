"""The HTTP server: gunicorn with threaded workers, configured from Settings.

Django REST framework's views are synchronous, so a WSGI server runs them
(each worker process serves several requests at once on its threads);
``serve`` starts it in the foreground and returns its exit status.

On SIGTERM the service first drains: readiness answers 503 for
SHUTDOWN_DRAIN_SECONDS while requests are still served, so load balancers
stop sending new ones; then gunicorn stops listening and lets the workers
finish the requests in flight.
"""

import logging
import time
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.config import Config

from acme_orders import lifecycle
from acme_orders.lifecycle import run_key
from acme_orders.observability import LISTEN_PORTS
from acme_orders.settings import Settings

THREADS_PER_WORKER = 4
# Seconds a worker may spend on one request before it is restarted.
WORKER_TIMEOUT_SECONDS = 30


class JsonLogs(glogging.Logger):
    """gunicorn's own lines through the service's JSON handler (logs.py)."""

    def setup(self, cfg: Config) -> None:
        for log in (self.error_log, self.access_log):
            log.handlers.clear()
            log.propagate = True
        self.error_log.setLevel(cfg.loglevel.upper())


logger = logging.getLogger(__name__)


class Server(BaseApplication):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        options: dict[str, Any] = {
            # The API's port, and one per integration that serves apart.
            "bind": [
                f"{settings.host}:{port}"
                for port in (
                    settings.port,
                    *(listen(settings) for listen in LISTEN_PORTS),
                )
            ],
            "workers": settings.web_concurrency,
            "worker_class": "gthread",
            "threads": THREADS_PER_WORKER,
            "timeout": WORKER_TIMEOUT_SECONDS,
            # In-flight requests get this long to finish after SIGTERM.
            "graceful_timeout": WORKER_TIMEOUT_SECONDS,
            "forwarded_allow_ips": settings.forwarded_allow_ips,
            # Access lines come from the request middleware, as JSON.
            "accesslog": None,
            "logger_class": JsonLogs,
            "limit_request_line": 8190,
            # The workers inherit the run's development signing key, so a
            # token one of them signed is accepted by the others.
            "raw_env": [f"SERVICE_RUN_KEY={run_key()}"],
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from acme_orders.config.wsgi import application

        return application


class DrainingArbiter(Arbiter):
    def __init__(self, server: Server) -> None:
        super().__init__(server)
        self.drain_seconds = server.settings.shutdown_drain_seconds

    def handle_term(self) -> None:
        if not lifecycle.is_draining():
            # The workers, forked from this process, see the flag at once.
            lifecycle.start_draining()
            logger.info("draining", extra={"seconds": self.drain_seconds})
            time.sleep(self.drain_seconds)
        super().handle_term()


def serve(settings: Settings) -> int:
    DrainingArbiter(Server(settings)).run()
    return 0
