"""The migrations build exactly the schema the models describe."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from acme_orders.migrations import alembic_config

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def test_models_match_migrations(database_url: str) -> None:
    # `alembic check`: a model change without a migration fails here (the
    # database is at head); generate one with
    # `uv run alembic revision --autogenerate --head 0001@head -m "..."`.
    command.check(alembic_config(database_url))


def test_alembic_ini_finds_the_migrations_that_migrate_runs() -> None:
    # `uv run alembic ...` reads alembic.ini, `migrate` builds its own config:
    # both must see the same histories, or a new revision would miss one.
    from_ini = ScriptDirectory.from_config(Config(ALEMBIC_INI))
    # The URL is never used: only the scripts are read.
    from_package = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert set(from_ini.get_heads()) == set(from_package.get_heads())
