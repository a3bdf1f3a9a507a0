"""What the shared tests need to change in the FastAPI app: the session its
requests use, and a route that fails."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.dependencies import get_session
from acme_orders.main import create_app
from acme_orders.settings import Settings


def app_using(settings: Settings, session: AsyncSession) -> FastAPI:
    """The service, with every request working in ``session``."""
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    return app


def app_failing_at(path: str, error: Exception, settings: Settings) -> FastAPI:
    """The service, with a GET route at ``path`` that raises ``error``."""
    app = create_app(settings)

    async def failing() -> None:
        raise error

    app.add_api_route(path, failing)
    return app
