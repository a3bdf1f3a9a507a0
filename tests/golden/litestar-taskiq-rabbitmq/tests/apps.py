"""What the shared tests need to change in the Litestar app: the session its
requests use, and a route that fails; both through Litestar's on_app_init
hooks, before the app is built."""

from litestar import get
from litestar.config.app import AppConfig
from litestar.di import Provide
from sqlalchemy.ext.asyncio import AsyncSession

from acme_orders.asgi_middleware import ASGIApp
from acme_orders.main import create_app
from acme_orders.settings import Settings


def app_using(settings: Settings, session: AsyncSession) -> ASGIApp:
    """The service, with every request working in ``session``."""

    def given_session() -> AsyncSession:
        return session

    def use_session(config: AppConfig) -> AppConfig:
        config.dependencies["session"] = Provide(given_session, sync_to_thread=False)
        return config

    return create_app(settings, on_app_init=[use_session])


def app_failing_at(path: str, error: Exception, settings: Settings) -> ASGIApp:
    """The service, with a GET route at ``path`` that raises ``error``."""

    @get(path, sync_to_thread=False)
    def failing() -> None:
        raise error

    def add_route(config: AppConfig) -> AppConfig:
        config.route_handlers.append(failing)
        return config

    return create_app(settings, on_app_init=[add_route])
