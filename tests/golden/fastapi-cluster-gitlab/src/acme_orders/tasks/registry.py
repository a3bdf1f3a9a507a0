"""The tasks a worker runs: every ``tasks.Task`` that a package of the
service defines in its own ``tasks`` module (items/tasks.py, and yours
beside it), found here as ``models.py`` finds the tables. Adding a task
needs no list to edit, and a package without tasks adds none.
"""

import importlib
from pathlib import Path

from acme_orders.tasks import Task

TASKS_MODULE = "tasks.py"


def find_tasks() -> list[Task]:
    """Import ``<package>.tasks`` of every package here; the tasks they define."""
    service = Path(__file__).parent.parent
    found: dict[str, Task] = {}
    for path in sorted(service.glob(f"*/{TASKS_MODULE}")):
        module = importlib.import_module(f"{service.name}.{path.parent.name}.tasks")
        for task in vars(module).values():
            if not isinstance(task, Task):
                continue
            if found.setdefault(task.name, task) is not task:
                msg = f"two tasks are named {task.name!r}: each needs a name of its own"
                raise ValueError(msg)
    return list(found.values())


TASKS = find_tasks()
