"""Create items in a rendered project, each enqueuing its processing task.

Run with the project's own Python (it imports the project), against the
database and broker that DATABASE_URL and BROKER_URL name:

    uv run --no-sync python <this file> <package> <count>

It goes through the same code as POST /items: the items service (the
SQLAlchemy stack) or the Item model (Django, whose receiver enqueues), with
one commit and one task per item. Projects without auth only: no owner.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import sys
from typing import Any


def _module(name: str) -> Any:
    return importlib.import_module(name)


def create_with_sqlalchemy(package: str, count: int) -> None:
    settings = _module(f"{package}.settings").get_settings()
    runtime = _module(f"{package}.runtime").Runtime(
        settings, _module(f"{package}.resources").RESOURCES
    )
    database = _module(f"{package}.db").database
    service = _module(f"{package}.items.service")
    item = _module(f"{package}.items.schemas").ItemCreate

    async def create_async() -> None:
        async with runtime.running(), database(runtime).session() as session:
            for number in range(count):
                await service.create_item(session, {}, item(name=f"item {number}"))

    if asyncio.iscoroutinefunction(service.create_item):
        asyncio.run(create_async())
        return
    with runtime.running(), database(runtime).session() as session:
        for number in range(count):
            service.create_item(session, {}, item(name=f"item {number}"))


def create_with_django(package: str, count: int) -> None:
    _module(f"{package}.config").setup()
    model = _module(f"{package}.items.models").Item
    for number in range(count):
        model.objects.create(name=f"item {number}")


def main(package: str, count: int) -> None:
    if importlib.util.find_spec(f"{package}.items.service") is not None:
        create_with_sqlalchemy(package, count)
    else:
        create_with_django(package, count)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
