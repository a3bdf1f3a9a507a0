"""The HTTP server: gunicorn with threaded workers, configured from Settings.

It serves the WSGI application of ``acme_orders.config.wsgi``, whose
views are synchronous: each worker process serves several requests at once
on its threads. ``serve`` starts it in the foreground and returns its exit
status.

On SIGTERM the service first drains: readiness answers 503 for
SHUTDOWN_DRAIN_SECONDS while requests are still served, so load balancers
stop sending new ones; then gunicorn stops listening and lets the workers
finish the requests in flight.
"""

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.config import Config
from gunicorn.http.message import Request
from gunicorn.workers.gthread import TConn, ThreadWorker

from acme_orders import lifecycle
from acme_orders.http_errors import (
    RequestSentTooSlowlyError,
    request_timeout_response,
)
from acme_orders.lifecycle import run_key
from acme_orders.observability import LISTEN_PORTS
from acme_orders.settings import Settings, get_settings

THREADS_PER_WORKER = 4
# Seconds a worker's main loop may go without a heartbeat before the arbiter
# restarts the worker (it does not bound a request running in a thread).
WORKER_TIMEOUT_SECONDS = 30
# Seconds the workers get to finish in-flight requests once they stopped
# listening; with the drain, keep the sum below the orchestrator's grace
# period (Kubernetes: 30 s by default), as the FastAPI server does.
GRACEFUL_SHUTDOWN_SECONDS = 20


class JsonLogs(glogging.Logger):
    """gunicorn's own lines through the service's JSON handler (logs.py)."""

    def setup(self, cfg: Config) -> None:
        for log in (self.error_log, self.access_log):
            log.handlers.clear()
            log.propagate = True
        self.error_log.setLevel(cfg.loglevel.upper())


logger = logging.getLogger(__name__)


class GuardedThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, with deadlines for slow clients and a
    listener that closes as soon as the worker stops.

    A client gets REQUEST_HEADER_TIMEOUT_SECONDS, from the moment a thread
    takes its connection, to send a request's headers: past that it gets a
    408 and the connection is closed, so a client that trickles its headers
    cannot hold a thread. Then it gets REQUEST_BODY_TIMEOUT_SECONDS for the
    whole body (BodyDeadline); the web layer answers a read that timed out
    with a 408. Writing the response is not bounded.
    """

    def init_process(self) -> None:
        settings = get_settings()
        self.header_seconds = settings.request_header_timeout_seconds
        self.body_seconds = settings.request_body_timeout_seconds
        # Connections whose thread waits for a request's headers, with the
        # moment it stops waiting, and those past it: the main loop moves
        # them from one to the other, the thread answers them.
        self.awaiting_headers: dict[TConn, float] = {}
        self.too_slow: set[TConn] = set()
        self.deadlines = threading.Lock()
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        app, seconds = self.wsgi, self.body_seconds

        def with_body_deadline(
            environ: MutableMapping[str, Any],
            start_response: Callable[[str, Iterable[tuple[str, str]]], None],
        ) -> Iterable[bytes]:
            environ["wsgi.input"] = BodyDeadline(
                environ["wsgi.input"], environ["gunicorn.socket"], seconds
            )
            return app(environ, start_response)

        self.wsgi = with_body_deadline

    def handle(self, conn: TConn) -> bool:
        with self.deadlines:
            self.awaiting_headers[conn] = time.monotonic() + self.header_seconds
        try:
            keep_alive = super().handle(conn)
        finally:
            with self.deadlines:
                self.awaiting_headers.pop(conn, None)
                too_slow = conn in self.too_slow
                self.too_slow.discard(conn)
        if too_slow:
            # Written here, not by the main loop: a client that reads
            # nothing can only block this thread, for a second at most.
            with contextlib.suppress(OSError):  # or the client left already
                conn.sock.settimeout(1.0)
                conn.sock.sendall(request_timeout_response())
            return False
        return keep_alive

    def handle_request(self, req: Request, conn: TConn) -> bool:
        with self.deadlines:
            if self.awaiting_headers.pop(conn, None) is None:
                return False  # too late: handle() answers 408
        return bool(super().handle_request(req, conn))

    def murder_pending(self) -> None:
        """Also end the wait of the threads past their header deadline."""
        super().murder_pending()
        now = time.monotonic()
        with self.deadlines:
            late = [c for c, end in self.awaiting_headers.items() if end <= now]
            for conn in late:
                del self.awaiting_headers[conn]
                self.too_slow.add(conn)
        for conn in late:
            # The thread blocked reading the rest sees the end of the input,
            # lets go, and answers 408 (handle above); or the client left.
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RD)

    def set_accept_enabled(self, enabled: bool | None) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive:
            # Stopping: while in-flight requests finish, a listener left open
            # would queue new connections that nobody accepts. Closed in
            # every process, it refuses them at once.
            for listener in self.sockets:
                listener.close()


class BodyDeadline:
    """A request body whose reads all end by one deadline.

    Each read waits at most for what is left of ``seconds`` (a timeout on the
    connection's socket, put back afterwards, so the response's writes are
    not bounded); past the deadline a read raises RequestSentTooSlowlyError,
    which the web layer answers 408.
    """

    def __init__(self, body: Any, sock: socket.socket, seconds: float) -> None:
        self.body = body
        self.sock = sock
        self.deadline = time.monotonic() + seconds

    def _bounded(self, read: Any, *args: Any) -> Any:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RequestSentTooSlowlyError("request body sent too slowly")
        self.sock.settimeout(left)
        try:
            return read(*args)
        except TimeoutError as waited:
            raise RequestSentTooSlowlyError("request body sent too slowly") from waited
        finally:
            self.sock.settimeout(None)

    def read(self, size: int | None = None) -> bytes:
        return bytes(self._bounded(self.body.read, size))

    def readline(self, size: int | None = None) -> bytes:
        return bytes(self._bounded(self.body.readline, size))

    def readlines(self, hint: int | None = None) -> list[bytes]:
        return list(self._bounded(self.body.readlines, hint))

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


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
            "worker_class": GuardedThreadWorker,
            "threads": THREADS_PER_WORKER,
            "timeout": WORKER_TIMEOUT_SECONDS,
            "graceful_timeout": GRACEFUL_SHUTDOWN_SECONDS,
            "forwarded_allow_ips": settings.forwarded_allow_ips,
            # Access lines come from the request middleware, as JSON.
            "accesslog": None,
            "logger_class": JsonLogs,
            "limit_request_line": 8190,
            # gunicorn's control socket (one path per user, shared by every
            # gunicorn the user runs) would let one service's commands reach
            # another's; signals manage this one.
            "control_socket_disable": True,
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
