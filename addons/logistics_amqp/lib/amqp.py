"""AMQP 0-9-1 (RabbitMQ) through pika, knowing nothing of Odoo.

:class:`Publisher` publishes with publisher confirms: ``publish`` returns only
once the broker has taken the message (persistent), and raises otherwise.
:class:`Consumer` takes deliveries in batches of at most ``prefetch``, hands
each batch to a callback that stores it durably, and acknowledges the batch
only after the callback returned: a consumer that dies before that leaves
the messages to the broker, which delivers them again (at least once; the
callback's idempotency makes the effect once). A delivery the callback
refuses is published to the dead-letter exchange with the reason in its
headers, then acknowledged.
"""

import contextlib
import logging
import re
import threading
from typing import NamedTuple

import pika
from pika.exceptions import AMQPError, ChannelClosedByBroker

_logger = logging.getLogger(__name__)
# pika logs every step of a connection, and a refused one as errors with
# tracebacks; the publisher's and consumer's callers report failures
# themselves. (A level set in Odoo's log_handler option is kept.)
if logging.getLogger("pika").level == logging.NOTSET:
    logging.getLogger("pika").setLevel(logging.CRITICAL)

REFUSAL_HEADER = "x-logistics-refusal"
MESSAGE_ID_HEADER = "x-logistics-message-id"
QUEUE_HEADER = "x-logistics-queue"
# what a lost connection or a broker that will not take a message raises
ERRORS = (AMQPError, OSError)


class Delivery(NamedTuple):
    """One message as the broker delivered it."""

    tag: int
    body: bytes
    properties: pika.BasicProperties
    redelivered: bool = False


class Verdict(NamedTuple):
    """What the callback made of a delivery: stored (``refusal`` empty) or
    refused, and the id of the message that records it."""

    message_id: int = 0
    refusal: str = ""


def parameters(url, username=None, password=None, heartbeat=30):
    """Connection parameters of an ``amqp://host:port/vhost`` URL; a username
    given apart (with its password kept as a secret) wins over one in the URL."""
    params = pika.URLParameters(url)
    if username:
        params.credentials = pika.PlainCredentials(username, password or "")
    params.heartbeat = heartbeat
    params.blocked_connection_timeout = 30  # a broker in memory alarm blocks publishers
    params.socket_timeout = 5
    params.connection_attempts = 1  # the caller retries, with its own back-off
    return params


def routing_key(*words):
    """A topic routing key of ``words``: a dot or a wildcard inside a word
    would split it or match it, so they become underscores."""
    return ".".join(re.sub(r"[.*#\s]+", "_", str(word or "")) or "_" for word in words)


class Publisher:
    """Publishes to one topic exchange over a connection kept between
    messages (opening one costs more than publishing). A connection found
    dead is opened again once before the error reaches the caller."""

    def __init__(self, params, exchange):
        self.params, self.exchange = params, exchange
        self._connection = self._channel = None
        self._lock = threading.Lock()

    def publish(self, key, body, properties):
        with self._lock:
            for attempt in (1, 2):
                try:
                    channel = self._open()
                    channel.basic_publish(self.exchange, key, body, properties)
                    return
                except ERRORS:
                    self.close()
                    if attempt == 2:
                        raise

    def _open(self):
        if self._channel is None or not self._channel.is_open:
            self.close()
            self._connection = pika.BlockingConnection(self.params)
            channel = self._connection.channel()
            channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
            channel.confirm_delivery()
            self._channel = channel
        return self._channel

    def close(self):
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(*ERRORS):
                connection.close()


class Consumer:
    """Consumes one queue until ``stop`` is set, reconnecting with back-off.

    ``handle(deliveries)`` stores a batch durably and returns one
    :class:`Verdict` per delivery; when it raises, nothing is acknowledged
    and the connection is dropped, so the broker delivers the batch again."""

    def __init__(
        self,
        params,
        queue,
        handle,
        prefetch=50,
        dead_letter_exchange="logistics.dead",
        stop=None,
        batch_wait=0.2,
        backoff=(1, 30),
    ):
        self.params, self.queue, self.handle = params, queue, handle
        self.prefetch, self.dead_letter_exchange = max(1, prefetch), dead_letter_exchange
        self.stop = stop or threading.Event()
        self.batch_wait, self.backoff = batch_wait, backoff

    def run(self):
        wait = self.backoff[0]
        while not self.stop.is_set():
            try:
                self._consume()
                wait = self.backoff[0]
            except Exception as error:  # the broker, the network or the callback: retry later
                _logger.warning(
                    "AMQP consumer of %s: %s; reconnecting in %s s",
                    self.queue,
                    str(error) or type(error).__name__,
                    wait,
                )
                self.stop.wait(wait)
                wait = min(wait * 2, self.backoff[1])

    def _consume(self):
        connection = pika.BlockingConnection(self.params)
        try:
            channel = connection.channel()
            channel = self._declare(connection, channel)
            channel.basic_qos(prefetch_count=self.prefetch)
            channel.confirm_delivery()  # a dead-lettered message is acknowledged once kept
            _logger.info("AMQP consumer of %s connected", self.queue)
            batch = []
            for method, properties, body in channel.consume(
                self.queue, inactivity_timeout=self.batch_wait
            ):
                if method is not None:
                    batch.append(
                        Delivery(method.delivery_tag, body, properties, method.redelivered)
                    )
                if batch and (method is None or len(batch) >= self.prefetch):
                    self._settle(channel, batch)
                    batch = []
                if self.stop.is_set() and not batch:
                    break
        finally:
            if connection.is_open:
                with contextlib.suppress(*ERRORS):
                    connection.close()

    def _declare(self, connection, channel):
        """The queue as it is, if it exists (its own arguments stay as they
        are), else a durable one; the dead-letter exchange and its queue."""
        try:
            channel.queue_declare(self.queue, passive=True)
        except ChannelClosedByBroker:  # 404: closing the channel is how the broker says so
            channel = connection.channel()
            channel.queue_declare(self.queue, durable=True)
        dead = f"{self.queue}.dead"
        channel.exchange_declare(self.dead_letter_exchange, exchange_type="direct", durable=True)
        channel.queue_declare(dead, durable=True)
        channel.queue_bind(dead, self.dead_letter_exchange, routing_key=self.queue)
        return channel

    def _settle(self, channel, batch):
        verdicts = self.handle(batch)
        for delivery, verdict in zip(batch, verdicts, strict=True):
            if verdict.refusal:
                self._dead_letter(channel, delivery, verdict)
        self.acknowledge(channel, batch[-1].tag)

    def acknowledge(self, channel, last_tag):
        channel.basic_ack(last_tag, multiple=True)

    def _dead_letter(self, channel, delivery, verdict):
        source = delivery.properties
        headers = {
            **(source.headers or {}),
            REFUSAL_HEADER: verdict.refusal[:1000],
            MESSAGE_ID_HEADER: verdict.message_id,
            QUEUE_HEADER: self.queue,
        }
        properties = pika.BasicProperties(
            content_type=source.content_type,
            content_encoding=source.content_encoding,
            message_id=source.message_id,
            correlation_id=source.correlation_id,
            type=source.type,
            timestamp=source.timestamp,
            delivery_mode=pika.DeliveryMode.Persistent,
            headers=headers,
        )
        channel.basic_publish(self.dead_letter_exchange, self.queue, delivery.body, properties)
