"""Alembic migrations, shipped inside the package so every install can migrate.

Two histories, each with its own head: ``versions/`` holds yours (from 0001,
the first migration, onwards) and ``template_versions/`` the template's, for
the tables its features own. `copier update` adds to the second only, so a
template migration never collides with a revision you wrote.
"""

from alembic import command
from alembic.config import Config

from acme_orders.resources import outage_of
from acme_orders.settings import get_settings

# For the migrate command: which resource an error says is unreachable.
__all__ = ["alembic_config", "outage_of", "upgrade_to_head"]

SCRIPT_LOCATION = "acme_orders:migrations"
# alembic.ini lists the same locations for `uv run alembic ...`.
VERSION_LOCATIONS = (
    "acme_orders:migrations/versions",
    "acme_orders:migrations/template_versions",
)


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "space")
    config.set_main_option("version_locations", " ".join(VERSION_LOCATIONS))
    config.attributes["database_url"] = database_url or get_settings().database_url
    return config


def upgrade_to_head(database_url: str | None = None) -> None:
    # "heads": the head of each history, yours and the template's.
    command.upgrade(alembic_config(database_url), "heads")
