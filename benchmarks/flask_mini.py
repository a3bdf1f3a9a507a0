"""A one-route Flask app: the floor of the Flask service's /health/live.

Plain Flask with its defaults (no APIFlask, no request hooks, no error
handlers), one synchronous view answering the service's JSON: what the
framework itself costs per request, before the template adds anything.
`application` is its WSGI callable, served like the service's.
"""

from flask import Flask

application = Flask(__name__)


@application.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}
