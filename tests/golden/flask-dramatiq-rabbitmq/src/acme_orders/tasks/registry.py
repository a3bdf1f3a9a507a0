"""The tasks a worker runs, by name.

This file is yours: `copier update` leaves it alone (and writes it only
where it is missing). List each task (a ``tasks.Task``) here, so that the
worker knows its name.
"""

from acme_orders.items.tasks import PROCESS_ITEM
from acme_orders.tasks import Task

TASKS: list[Task] = [PROCESS_ITEM]
