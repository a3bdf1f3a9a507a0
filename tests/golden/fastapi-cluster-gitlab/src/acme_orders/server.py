"""The HTTP server: uvicorn workers, and what a production stop needs.

On SIGTERM each worker first drains (readiness answers 503 for
SHUTDOWN_DRAIN_SECONDS while requests are still served), then stops
listening, then finishes in-flight requests, then exits. With several
workers a small supervisor holds them: it closes its own copy of the
listening socket at once (a copy left open would queue new connections
that nobody accepts), and when a worker fails to start, it stops the
others and exits non-zero, so an orchestrator sees a failed start.
"""

import asyncio
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from acme_orders import lifecycle, observability
from acme_orders.http_errors import request_timeout_response
from acme_orders.logs import configure_logging
from acme_orders.settings import Settings, get_settings

logger = logging.getLogger(__name__)

# Seconds a worker gets to finish in-flight requests once it stopped
# listening; with the drain, keep the sum below the orchestrator's grace
# period (Kubernetes: 30 s by default).
GRACEFUL_SHUTDOWN_SECONDS = 20
# Exit statuses of a worker that could not start (app import, lifespan).
FAILED_START = frozenset({1, STARTUP_FAILURE})


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol with deadlines for slow clients.

    A client gets REQUEST_HEADER_TIMEOUT_SECONDS to send a request's headers
    (counted from the connection or the request's first byte) and then
    REQUEST_BODY_TIMEOUT_SECONDS for its body; otherwise it gets a 408 and
    the connection is closed. Idle keep-alive connections are uvicorn's
    own business (timeout_keep_alive).
    """

    _deadline: asyncio.TimerHandle | None = None

    # Narrower than asyncio.Protocol's signature, as in uvicorn itself.
    def connection_made(  # type: ignore[override]
        self, transport: asyncio.Transport
    ) -> None:
        super().connection_made(transport)
        # Read once per connection, not once per request.
        settings = get_settings()
        self._header_timeout = settings.request_header_timeout_seconds
        self._body_timeout = settings.request_body_timeout_seconds
        self._arm(self._header_timeout)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(self._header_timeout)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self._body_timeout)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(request_timeout_response())
        self.transport.close()


class DrainingServer(uvicorn.Server):
    """A uvicorn server that drains before it stops on SIGTERM."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        drain = get_settings().shutdown_drain_seconds
        if sig != signal.SIGTERM or drain == 0 or lifecycle.is_draining():
            super().handle_exit(sig, frame)
            return
        logger.info("draining before shutdown", extra={"seconds": drain})
        lifecycle.start_draining()
        timer = threading.Timer(drain, super().handle_exit, (sig, None))
        timer.daemon = True
        timer.start()


def _run_worker(config: uvicorn.Config, sockets: list[socket.socket]) -> None:
    configure_logging(get_settings().log_level)
    DrainingServer(config).run(sockets=sockets)


def server_config(settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        "acme_orders.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        # uvloop (C-accelerated event loop) whenever installed, as on Linux.
        loop="auto",
        # httptools' C parser, with the slow-client deadlines above.
        http=GuardedHttpProtocol,
        # Logging is configured by the app (JSON); uvicorn must not replace it.
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def listening_sockets(
    config: uvicorn.Config, settings: Settings
) -> list[socket.socket]:
    """The API's socket, and one per integration that serves apart (metrics)."""
    sockets = [config.bind_socket()]
    for listen_port in observability.LISTEN_PORTS:
        # log_config=None: a Config with uvicorn's default would replace the
        # JSON logging set up by the app.
        extra = uvicorn.Config(
            config.app, host=config.host, port=listen_port(settings), log_config=None
        )
        sockets.append(extra.bind_socket())
    return sockets


def serve(settings: Settings) -> int:
    """Serve until stopped; the exit status: 0, or non-zero for a failed start."""
    config = server_config(settings)
    sockets = listening_sockets(config, settings)
    if settings.web_concurrency == 1:
        server = DrainingServer(config)
        server.run(sockets=sockets)
        return 0 if server.started else STARTUP_FAILURE
    return Supervisor(config, sockets, settings.shutdown_drain_seconds).run()


class Supervisor:
    """Runs the worker processes; restarts one that dies after it started."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], drain_seconds: float
    ) -> None:
        self.config = config
        self.sockets = sockets
        self.drain_seconds = drain_seconds
        self.context = multiprocessing.get_context("spawn")
        # Created here, so every worker inherits the same one.
        lifecycle.run_key()
        self.stop_signal: int | None = None

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._request_stop)
        workers = [self._start() for _ in range(self.config.workers)]
        status = 0
        while self.stop_signal is None and status == 0:
            time.sleep(0.2)
            for index, worker in enumerate(workers):
                if worker.is_alive() or self.stop_signal is not None:
                    continue
                if worker.exitcode in FAILED_START:
                    logger.error("a worker failed to start; stopping")
                    status = STARTUP_FAILURE
                    break
                logger.warning("worker died", extra={"exitcode": worker.exitcode})
                workers[index] = self._start()
        # Workers keep their own copies open while they drain.
        for sock in self.sockets:
            sock.close()
        # SIGTERM is passed on (each worker drains); after SIGINT or a
        # failed start, workers stop at once.
        draining = self.stop_signal == signal.SIGTERM
        forwarded = signal.SIGTERM if draining else signal.SIGINT
        for worker in workers:
            if worker.is_alive() and worker.pid is not None:
                os.kill(worker.pid, forwarded)
        grace = GRACEFUL_SHUTDOWN_SECONDS + self.drain_seconds
        deadline = time.monotonic() + grace + 5
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
                worker.join()
        return status

    def _start(self) -> multiprocessing.process.BaseProcess:
        worker = self.context.Process(
            target=_run_worker, args=(self.config, self.sockets)
        )
        worker.start()
        return worker

    def _request_stop(self, sig: int, _frame: FrameType | None) -> None:
        self.stop_signal = sig
