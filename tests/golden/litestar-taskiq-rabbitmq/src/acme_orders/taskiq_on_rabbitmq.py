"""Taskiq on RabbitMQ: a durable quorum queue of the service's own.

Messages are persistent and sent with publisher confirms, so a task the
service sent is on disk before sending returns; each worker process holds
one unacknowledged task at a time, and the broker hands a dead worker's
task out again as soon as its connection drops.
"""

import logging
from typing import Any

import aio_pika
from aiormq import exceptions as amqp_errors
from taskiq import AsyncBroker
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue

from acme_orders.settings import Settings

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (amqp_errors.AMQPError,)
CONNECT_TIMEOUT_SECONDS = 2
# aiormq logs each failed connection at ERROR, beside the outage the service
# reports once itself (503, and /health/ready).
logging.getLogger("aiormq.connection").setLevel(logging.CRITICAL)


class Connection(aio_pika.RobustConnection):
    """aio-pika's connection, closed at once, on its own loop, when it fails
    to open: aio-pika would close it when collected, which may happen on
    another thread, where the close never runs ("coroutine ... was never
    awaited")."""

    async def connect(self, *args: Any, **kwargs: Any) -> None:
        try:
            await super().connect(*args, **kwargs)
        except BaseException:
            await self.close()
            raise


def make_broker(settings: Settings, *, for_worker: bool) -> AsyncBroker:
    # An exchange and a dead-letter queue of the service's own too: services
    # and test runs may share a broker.
    return AioPikaBroker(
        url=settings.broker_url,
        qos=1,
        exchange=Exchange(name=settings.task_queue),
        task_queues=[Queue(name=settings.task_queue)],
        dead_letter_queue=Queue(name=dead_letter_queue(settings)),
        timeout=CONNECT_TIMEOUT_SECONDS,
        connection_class=Connection,
    )


def dead_letter_queue(settings: Settings) -> str:
    return f"{settings.task_queue}.dead_letter"


async def connected(settings: Settings) -> aio_pika.abc.AbstractConnection:
    return await aio_pika.connect(
        settings.broker_url,
        timeout=CONNECT_TIMEOUT_SECONDS,
        connection_class=Connection,
    )


async def ping(settings: Settings) -> None:
    connection = await connected(settings)
    await connection.close()


async def backlog(settings: Settings) -> int:
    """How many tasks wait in TASK_QUEUE for a worker."""
    connection = await connected(settings)
    async with connection:
        channel = await connection.channel()
        try:
            queue = await channel.declare_queue(settings.task_queue, passive=True)
        except amqp_errors.ChannelNotFoundEntity:
            # No such queue before a worker or a sender declared it.
            return 0
        return queue.declaration_result.message_count or 0


async def delete_queue(settings: Settings) -> None:
    connection = await connected(settings)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(settings.task_queue)
        await channel.queue_delete(dead_letter_queue(settings))
        await channel.exchange_delete(settings.task_queue)
