"""The AMQP consumer of ``odoo-bin logistics-channels``, made to die (exit code 3)
at its first acknowledgment: after the door committed the batch, before the
broker heard of it. The broker must deliver the batch again and the door
must store it once.

Run:  python amqp_consumer_dies.py <odoo.conf> <database>
"""

import os
import sys

import odoo


def main(conf, database):
    odoo.tools.config.parse_config(["-c", conf])
    odoo.modules.module.initialize_sys_path()
    from odoo.addons.logistics_amqp.lib import amqp
    from odoo.addons.logistics_integration.cli.logistics_channels import LogisticsChannels

    def die(_consumer, _channel, _last_tag):
        sys.stdout.flush()
        os._exit(3)

    amqp.Consumer.acknowledge = die
    LogisticsChannels().run(["-c", conf, "-d", database, "--refresh", "1"])


if __name__ == "__main__":
    main(*sys.argv[1:3])
