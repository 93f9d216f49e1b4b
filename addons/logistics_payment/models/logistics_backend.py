from odoo import fields, models


class LogisticsBackend(models.Model):
    """A bank or payment provider that reports payments received."""

    _inherit = "logistics.backend"

    kind = fields.Selection(
        selection_add=[("bank", "Bank or payment provider")], ondelete={"bank": "set default"}
    )
    payment_journal_id = fields.Many2one(
        "account.journal",
        string="Bank Journal",
        domain="[('type', '=', 'bank'), ('company_id', '=', company_id)]",
        help="Payments this backend reports become statement lines of this journal.",
    )
