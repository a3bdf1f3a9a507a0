"""A throwaway database for one test run (a file in a temporary folder)."""

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def temporary_database(_server_url: str | None) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / uuid.uuid4().hex}.db"
