"""Secrets leave their plain-text columns: encrypted, then the columns dropped."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["logistics.edi.partner"]._encrypt_plaintext_columns()
