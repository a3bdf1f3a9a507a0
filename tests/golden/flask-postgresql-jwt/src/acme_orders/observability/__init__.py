"""Observability seam: each chosen integration configures itself here.

JSON logs with request ids are always on (see logs.py); metrics, traces and
error reports are the modules imported below. ``setup`` runs once per
process and knows no web framework; the web layer then hooks the app into
them (observability/web.py).
"""

from collections.abc import Callable

from acme_orders.observability import metrics, tracing
from acme_orders.settings import Settings

Integration = Callable[[Settings], None]
ListenPort = Callable[[Settings], int]

INTEGRATIONS: list[Integration] = [metrics.setup, tracing.setup]

# Ports the server opens besides PORT, one per integration that serves apart
# from the API (see server.py).
LISTEN_PORTS: list[ListenPort] = [metrics.listen_port]


def setup(settings: Settings) -> None:
    for integration in INTEGRATIONS:
        integration(settings)
