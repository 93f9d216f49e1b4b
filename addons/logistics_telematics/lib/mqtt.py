"""MQTT (Mosquitto and the like) through paho-mqtt, knowing nothing of Odoo.

:class:`Subscriber` subscribes to a topic in a persistent MQTT 5 session (the
broker keeps QoS 1 messages for a day while the subscriber is away), collects
what arrives, hands it to a callback in batches (when the flow pauses, after
``batch_seconds``, or at ``max_batch`` messages) and acknowledges QoS 1
messages (PUBACK) only after the callback stored them: a subscriber that dies
before that gets them again. Its Receive Maximum lets the broker send a whole
batch before the acknowledgments (with MQTT 3.1.1, Mosquitto sends 20 and
queues the rest, and drops what its queue cannot hold).
"""

import logging
import threading
import time
from typing import NamedTuple
from urllib.parse import urlsplit

import paho.mqtt.client as paho
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

_logger = logging.getLogger(__name__)

IDLE_FLUSH = 0.05  # seconds without a new message that end a batch
SESSION_SECONDS = 24 * 3600  # how long the broker keeps the session of a subscriber away


class Received(NamedTuple):
    mid: int
    qos: int
    topic: str
    payload: bytes


def address(url):
    """``(host, port, tls)`` of ``mqtt://host:1883`` or ``mqtts://host:8883``."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"not an mqtt:// or mqtts:// URL: {url!r}")
    tls = parts.scheme == "mqtts"
    return parts.hostname, parts.port or (8883 if tls else 1883), tls


class Subscriber:
    def __init__(
        self,
        url,
        topic,
        handle,
        client_id,
        username=None,
        password=None,
        stop=None,
        batch_seconds=1.0,
        max_batch=5000,
        backoff=(1, 30),
    ):
        self.host, self.port, self.tls = address(url)
        self.topic, self.handle, self.client_id = topic, handle, client_id
        self.username, self.password = username, password
        self.stop = stop or threading.Event()
        self.batch_seconds, self.max_batch, self.backoff = batch_seconds, max_batch, backoff
        self._buffer, self._lock = [], threading.Lock()
        self._first_at = self._last_at = 0.0
        self._arrived = threading.Event()

    def run(self):
        client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=paho.MQTTv5,
            manual_ack=True,
        )
        if self.username:
            client.username_pw_set(self.username, self.password)
        if self.tls:
            client.tls_set()
        client.on_connect = self._connected
        client.on_disconnect = self._disconnected
        client.on_message = self._received
        client.reconnect_delay_set(*self.backoff)
        session = Properties(PacketTypes.CONNECT)
        session.SessionExpiryInterval = SESSION_SECONDS
        session.ReceiveMaximum = min(self.max_batch, 65535)
        client.connect_async(
            self.host, self.port, keepalive=30, clean_start=False, properties=session
        )
        client.loop_start()
        try:
            while not self.stop.is_set():
                self._arrived.wait(IDLE_FLUSH)
                self._arrived.clear()
                if self._due():
                    self._flush(client)
            self._flush(client)
        finally:
            client.disconnect()
            client.loop_stop()

    def _connected(self, client, _userdata, _flags, reason, _properties):
        if reason.is_failure:
            _logger.warning("MQTT %s:%s refused the connection: %s", self.host, self.port, reason)
            return
        client.subscribe(self.topic, qos=1)
        _logger.info("MQTT subscriber of %s connected", self.topic)

    def _disconnected(self, _client, _userdata, _flags, reason, _properties):
        if not self.stop.is_set():
            _logger.warning("MQTT subscriber of %s: %s; reconnecting", self.topic, reason)

    def _received(self, _client, _userdata, message):
        now = time.monotonic()
        with self._lock:
            if not self._buffer:
                self._first_at = now
            self._last_at = now
            self._buffer.append(Received(message.mid, message.qos, message.topic, message.payload))
        self._arrived.set()

    def _due(self):
        now = time.monotonic()
        with self._lock:
            return bool(self._buffer) and (
                len(self._buffer) >= self.max_batch
                or now - self._last_at >= IDLE_FLUSH
                or now - self._first_at >= self.batch_seconds
            )

    def _flush(self, client):
        with self._lock:
            batch, self._buffer = self._buffer, []
        if not batch:
            return
        try:
            self.handle(batch)
        except Exception:  # the database away: keep the batch, try again shortly
            _logger.exception("MQTT subscriber of %s: batch not stored", self.topic)
            with self._lock:
                self._buffer[:0] = batch
            self.stop.wait(self.backoff[0])
            return
        for message in batch:
            if message.qos:
                client.ack(message.mid, message.qos)
