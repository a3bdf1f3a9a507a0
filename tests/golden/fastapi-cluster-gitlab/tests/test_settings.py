"""Settings refuse unsafe production values and name the variable at fault.

model_validate() checks the given values alone, without the environment;
the command-line tests read the environment as a deployment would.
"""

import secrets
from pathlib import Path

import pytest
from pydantic import ValidationError

from acme_orders import cli
from acme_orders.settings import Settings, get_settings

SAFE_PRODUCTION: dict[str, object] = {
    "environment": "production",
    "cors_origins": "https://app.example.com",
    "secret_key": "a-production-secret-that-is-long-and-random-0123456789",
}


def test_safe_production_settings_are_accepted() -> None:
    settings = Settings.model_validate(SAFE_PRODUCTION)
    assert settings.cors_origins == ["https://app.example.com"]


@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"debug": True}, "DEBUG"),
        ({"cors_origins": "*"}, "CORS_ORIGINS"),
        ({"environment": "test", "debug": True}, "DEBUG"),
        ({"secret_key": "change-me"}, "SECRET_KEY"),
        ({"secret_key": "too-short-but-not-a-placeholder"}, "SECRET_KEY"),
        ({"environment": "test", "secret_key": "change-me"}, "SECRET_KEY"),
    ],
)
def test_unsafe_production_values_are_refused(
    override: dict[str, object], variable: str
) -> None:
    with pytest.raises(ValidationError, match=variable):
        Settings.model_validate({**SAFE_PRODUCTION, **override})


def test_development_tolerates_placeholders() -> None:
    settings = Settings.model_validate({"environment": "development", "debug": True})
    assert settings.debug


# A secret of this run: no piece of it may appear in anything printed.
SECRET = secrets.token_urlsafe(30)
SAFE_ENVIRONMENT = {
    "ENVIRONMENT": "production",
    "CORS_ORIGINS": "https://app.example.com",
    "SECRET_KEY": SECRET * 2,
}


@pytest.mark.parametrize("command", ["serve", "migrate"])
@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"DEBUG": "true"}, "DEBUG"),
        ({"CORS_ORIGINS": "*"}, "CORS_ORIGINS"),
        ({"ENVIRONMENT": None}, "ENVIRONMENT"),
        ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
        ({"DATABASE_URL": f"not a url {SECRET}"}, "DATABASE_URL"),
        ({"DATABASE_URL": f"postgresql://app:{SECRET}@db:port/app"}, "DATABASE_URL"),
        ({"DATABASE_URL": f"http://app:{SECRET}@db/app"}, "DATABASE_URL"),
        ({"SECRET_KEY": SECRET[:20]}, "SECRET_KEY"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY"),
    ],
)
def test_commands_refuse_unusable_settings_without_printing_secrets(
    command: str,
    override: dict[str, str | None],
    variable: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file: only the variables below
    for name, value in {**SAFE_ENVIRONMENT, **override}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        status = cli.main([command])
    finally:
        get_settings.cache_clear()

    assert status == cli.UNUSABLE_SETTINGS
    printed = capsys.readouterr()
    output = printed.out + printed.err + caplog.text
    assert variable in output
    pieces = {SECRET[start : start + 6] for start in range(len(SECRET) - 5)}
    leaked = sorted(piece for piece in pieces if piece in output)
    assert not leaked, f"secret pieces printed: {leaked}"
