"""``odoo-bin logistics-secrets``: the encryption keys of partner credentials.

    odoo-bin --addons-path=<paths> logistics-secrets new-key
    odoo-bin --addons-path=<paths> logistics-secrets rotate -c <odoo.conf> -d <database>

``rotate`` encrypts every stored secret again with the first key of
``logistics_secret_keys``; list the new key first and the old one after it,
rotate, then remove the old key. (Odoo finds an addon's commands only when
``--addons-path`` comes first.)
"""

import argparse
import sys

import odoo
from odoo.cli import Command

from ..lib import secret_box


class LogisticsSecrets(Command):
    """Create or rotate the encryption key of partner credentials"""

    name = "logistics-secrets"

    def run(self, args):
        parser = argparse.ArgumentParser(prog="odoo-bin logistics-secrets", description=__doc__)
        parser.add_argument("action", choices=("new-key", "rotate"))
        parser.add_argument("-c", "--config", help="the Odoo configuration file")
        parser.add_argument("-d", "--database")
        options = parser.parse_args(args)
        if options.action == "new-key":
            sys.stdout.write(secret_box.new_key() + "\n")
            return
        if not options.database:
            parser.error("rotate needs -d <database>")
        odoo.tools.config.parse_config([*(["-c", options.config] if options.config else [])])
        registry = odoo.modules.registry.Registry(options.database)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            count = env["logistics.secret"]._rotate()
        sys.stdout.write(f"{count} secrets encrypted with the first key of logistics_secret_keys\n")
