"""Secrets leave their plain-text columns (encrypted, then the columns
dropped); keys made before scopes existed keep doing everything."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["logistics.backend"]._encrypt_plaintext_columns()
    env["logistics.backend.key"].with_context(active_test=False).search([]).full_access = True
