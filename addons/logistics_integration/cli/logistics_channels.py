"""``odoo-bin logistics-channels``: the long-lived inbound channels.

    odoo-bin --addons-path=<paths> logistics-channels -c <odoo.conf> -d <database>

Runs one thread per channel the installed modules list
(``logistics.channel.listener``): a message-broker queue of an AMQP backend,
the topic of a telematics backend. Each channel hands what it received to
the one door, which commits it, and only then tells its source it may forget
it (an AMQP acknowledgment, an MQTT PUBACK). Channels reconnect with
back-off by themselves; the list is read again every ``--refresh`` seconds,
so a backend added, changed or archived needs no restart. SIGTERM or Ctrl-C
stops every channel after the batch in hand.

It runs beside Odoo rather than inside it: HTTP workers are recycled
(request and memory limits) and killed after ``limit_time_real``, which
would drop the connections again and again; a process of its own is
supervised, restarted and placed independently of the web nodes (run one
per deployment; several share a broker queue as competing consumers).
(Odoo finds an addon's commands only when ``--addons-path`` comes first.)
"""

import argparse
import contextlib
import logging
import signal
import threading

import odoo
from odoo.cli import Command

_logger = logging.getLogger(__name__)


class LogisticsChannels(Command):
    """Run the long-lived inbound channels (message brokers, telematics)"""

    name = "logistics-channels"

    def run(self, args):
        parser = argparse.ArgumentParser(prog="odoo-bin logistics-channels", description=__doc__)
        parser.add_argument("-c", "--config", help="the Odoo configuration file")
        parser.add_argument("-d", "--database", required=True)
        parser.add_argument(
            "--refresh", type=float, default=30, help="seconds between reads of the channels"
        )
        options = parser.parse_args(args)
        odoo.tools.config.parse_config([*(["-c", options.config] if options.config else [])])
        odoo.netsvc.init_logger()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        Supervisor(options.database, stop).run(options.refresh)


class Supervisor:
    """Keeps one thread per listed channel, as configured now."""

    def __init__(self, database, stop):
        self.database, self.stop = database, stop
        self.running = {}  # key -> (model name, config, stop event, thread)

    @contextlib.contextmanager
    def env(self):
        """An environment on a new cursor, committed at the end of the block."""
        registry = odoo.modules.registry.Registry(self.database).check_signaling()
        with registry.cursor() as cr:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})

    def run(self, refresh):
        while not self.stop.is_set():
            try:
                with self.env() as env:
                    listed = env["logistics.channel.listener"]._listeners()
                self.reconcile(listed)
            except Exception:  # the database away for a moment: keep what runs
                _logger.exception("logistics-channels: could not read the channels")
            self.stop.wait(refresh)
        for _model, _config, stop, _thread in self.running.values():
            stop.set()
        for _model, _config, _stop, thread in self.running.values():
            thread.join(timeout=30)

    def reconcile(self, listed):
        for key, (model, config, stop, _thread) in list(self.running.items()):
            if listed.get(key) != (model, config):
                _logger.info("logistics-channels: stopping %s", key)
                stop.set()
                del self.running[key]
        for key, (model, config) in listed.items():
            if key not in self.running:
                self.start(key, model, config)

    def start(self, key, model, config):
        stop = threading.Event()
        with self.env() as env:
            loop = env[model]._listener_loop(
                config, lambda batch: self.handle(model, config, batch), stop
            )
        thread = threading.Thread(target=loop.run, name=f"logistics-{key}", daemon=True)
        thread.start()
        self.running[key] = (model, config, stop, thread)
        _logger.info("logistics-channels: listening on %s", key)

    def handle(self, model, config, batch):
        """A batch through the door; committed when this returns."""
        with self.env() as env:
            return env[model]._listener_receive(config, batch)
