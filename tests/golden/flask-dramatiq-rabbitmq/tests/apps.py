"""What the shared tests need to change in the Flask app: the session its
requests use, and a route that fails."""

from contextlib import nullcontext

from apiflask import APIFlask
from sqlalchemy.orm import Session

from acme_orders.dependencies import service_of
from acme_orders.main import create_app
from acme_orders.settings import Settings


def app_using(settings: Settings, session: Session) -> APIFlask:
    """The service, with every request working in ``session``."""
    app = create_app(settings)
    service_of(app).sessions = lambda _reading: nullcontext(session)
    return app


def app_failing_at(path: str, error: Exception, settings: Settings) -> APIFlask:
    """The service, with a GET route at ``path`` that raises ``error``."""
    app = create_app(settings)

    def failing() -> str:
        raise error

    app.add_url_rule(path, view_func=failing)
    return app
