"""``odoo-bin logistics-amqp``: consume the message-broker queues of AMQP backends.

    odoo-bin --addons-path=<paths> logistics-amqp -c <odoo.conf> -d <database>

One consumer thread per backend with *Consume a Queue* ticked. Each takes
its queue's messages in batches of at most the backend's prefetch, hands a
batch to the one door (which commits it) and only then acknowledges it to
the broker. It reconnects with back-off when the broker goes away, and the
backends are read again every ``--refresh`` seconds, so a backend added,
changed or archived is picked up without a restart. SIGTERM or Ctrl-C stops
the consumers after the batch in hand.

It runs beside Odoo rather than inside it: HTTP workers are recycled
(request and memory limits) and killed after ``limit_time_real``, which
would drop the broker connection again and again; a process of its own is
supervised, restarted and placed (one per deployment, or several for more
throughput: competing consumers share a queue) independently of the web
nodes. (Odoo finds an addon's commands only when ``--addons-path`` comes first.)
"""

import argparse
import logging
import signal
import threading

import odoo
from odoo.cli import Command

from ..lib import amqp

_logger = logging.getLogger(__name__)


class LogisticsAmqp(Command):
    """Consume the message-broker queues of the logistics backends"""

    name = "logistics-amqp"

    def run(self, args):
        parser = argparse.ArgumentParser(prog="odoo-bin logistics-amqp", description=__doc__)
        parser.add_argument("-c", "--config", help="the Odoo configuration file")
        parser.add_argument("-d", "--database", required=True)
        parser.add_argument(
            "--refresh", type=float, default=30, help="seconds between reads of the backends"
        )
        options = parser.parse_args(args)
        odoo.tools.config.parse_config([*(["-c", options.config] if options.config else [])])
        odoo.netsvc.init_logger()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        Supervisor(options.database, stop).run(options.refresh)


class Supervisor:
    """Keeps one consumer thread per configured backend, as configured now."""

    def __init__(self, database, stop):
        self.database, self.stop = database, stop
        self.running = {}  # backend id -> (its configuration, stop event, thread)

    def run(self, refresh):
        while not self.stop.is_set():
            try:
                self.reconcile(self.configured())
            except Exception:  # the database away for a moment: keep what runs
                _logger.exception("logistics-amqp: could not read the backends")
            self.stop.wait(refresh)
        for _config, stop, _thread in self.running.values():
            stop.set()
        for _config, _stop, thread in self.running.values():
            thread.join(timeout=30)

    def configured(self):
        """``{backend id: (url, user, password, queue, prefetch, dead-letter exchange)}``."""
        registry = odoo.modules.registry.Registry(self.database).check_signaling()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            backends = env["logistics.backend"].search([("amqp_consume", "=", True)])
            return {
                backend.id: (
                    backend.amqp_url,
                    backend.amqp_username,
                    backend._secret("amqp_password"),
                    backend.amqp_queue,
                    backend.amqp_prefetch,
                    backend.amqp_dead_letter_exchange or "logistics.dead",
                )
                for backend in backends
            }

    def reconcile(self, configured):
        for backend_id, (config, stop, _thread) in list(self.running.items()):
            if configured.get(backend_id) != config:
                _logger.info("logistics-amqp: stopping the consumer of backend %s", backend_id)
                stop.set()
                del self.running[backend_id]
        for backend_id, config in configured.items():
            if backend_id not in self.running:
                self.start(backend_id, config)

    def start(self, backend_id, config):
        url, username, password, queue, prefetch, dead_letter_exchange = config
        stop = threading.Event()
        consumer = amqp.Consumer(
            amqp.parameters(url, username, password),
            queue,
            lambda deliveries: self.handle(backend_id, deliveries),
            prefetch=prefetch,
            dead_letter_exchange=dead_letter_exchange,
            stop=stop,
        )
        thread = threading.Thread(
            target=consumer.run, name=f"logistics-amqp-{backend_id}", daemon=True
        )
        thread.start()
        self.running[backend_id] = (config, stop, thread)
        _logger.info("logistics-amqp: consuming %s for backend %s", queue, backend_id)

    def handle(self, backend_id, deliveries):
        """A batch through the door; committed when this returns."""
        registry = odoo.modules.registry.Registry(self.database).check_signaling()
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            backend = env["logistics.backend"].browse(backend_id)
            return env["logistics.amqp.intake"]._receive_deliveries(backend, deliveries)
