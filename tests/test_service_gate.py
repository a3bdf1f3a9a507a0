"""require_service skips on a laptop without the server, and fails on CI."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import services
from tests.combinations import TEMPLATE_ROOT

pytestmark = pytest.mark.gates


@pytest.fixture
def closed_port() -> int:
    # A port that was just free: nothing listens on it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_missing_service_skips_locally(monkeypatch, closed_port: int) -> None:
    monkeypatch.setitem(services.SERVICES, "redis", ("127.0.0.1", closed_port))
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)

    with pytest.raises(
        pytest.skip.Exception, match=f"redis not reachable at 127.0.0.1:{closed_port}"
    ):
        services.require_service("redis")


def test_missing_service_fails_when_services_are_required(monkeypatch, closed_port: int) -> None:
    monkeypatch.setitem(services.SERVICES, "mariadb", ("127.0.0.1", closed_port))
    monkeypatch.setenv("REQUIRE_SERVICES", "1")

    # The alias used by the `database` answer reaches the same server.
    with pytest.raises(
        pytest.fail.Exception, match=f"mysql not reachable at 127.0.0.1:{closed_port}"
    ):
        services.require_service("mysql")


def test_reachable_service_passes(monkeypatch, listening_port: int) -> None:
    monkeypatch.setitem(services.SERVICES, "postgresql", ("127.0.0.1", listening_port))
    monkeypatch.setenv("REQUIRE_SERVICES", "1")

    assert services.is_reachable("postgresql")
    services.require_service("postgresql")


# A README whose test command only reports what .ci/run handed it.
REPORTING_README = """\
<!-- test-command -->
```sh
echo "REQUIRE_SERVICES=${REQUIRE_SERVICES-unset}"
```
<!-- /test-command -->
"""


def test_ci_requires_every_service(monkeypatch, tmp_path: Path, closed_port: int) -> None:
    # CI's entry point, beside that README, run where nothing sets the variable.
    (tmp_path / ".ci").mkdir()
    script = Path(shutil.copy2(TEMPLATE_ROOT / ".ci" / "run", tmp_path / ".ci" / "run"))
    (tmp_path / "README.md").write_text(REPORTING_README, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "REQUIRE_SERVICES"}

    result = subprocess.run(
        ["bash", str(script)], env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    reported = re.search(r"^REQUIRE_SERVICES=(.*)$", result.stdout, re.MULTILINE)
    assert reported, result.stdout
    # What CI exports is what require_service reads as "fail, never skip".
    monkeypatch.setenv("REQUIRE_SERVICES", reported.group(1))
    monkeypatch.setitem(services.SERVICES, "redis", ("127.0.0.1", closed_port))
    with pytest.raises((pytest.fail.Exception, pytest.skip.Exception)) as outcome:
        services.require_service("redis")
    assert outcome.type is pytest.fail.Exception, f"CI would skip: {outcome.value}"
