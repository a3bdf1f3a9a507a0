"""The WSGI application gunicorn serves (server.py), one per worker process."""

import gc

from acme_orders.main import create_app

application = create_app()
# What exists now lives until exit: keep it out of the garbage collector's
# full passes, which would otherwise walk it again and again.
gc.freeze()
