"""Alembic migrations, shipped inside the package so every install can migrate."""

from alembic import command
from alembic.config import Config

from acme_orders.settings import get_settings


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "acme_orders:migrations")
    config.attributes["database_url"] = database_url or get_settings().database_url
    return config


def upgrade_to_head(database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), "head")
