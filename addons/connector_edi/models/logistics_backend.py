from odoo import api, fields, models


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    kind = fields.Selection(
        selection_add=[("edi", "EDI trading partner")], ondelete={"edi": "set default"}
    )
    adapter = fields.Selection(
        selection_add=[("edi", "EDI (HTTP, SFTP or folder)")], ondelete={"edi": "set default"}
    )
    edi_partner_ids = fields.One2many("logistics.edi.partner", "backend_id", string="EDI Profile")

    def _edi_partner(self):
        return self.edi_partner_ids[:1]

    @api.model
    def _edi_subscribers(self, shipment, milestone):
        """EDI partners that receive status messages for this shipment's customer."""
        profiles = (
            self.env["logistics.edi.partner"]
            .sudo()
            .search(
                [
                    ("send_status", "=", True),
                    ("customer_id", "=", shipment.customer_id.commercial_partner_id.id),
                    ("backend_id.company_id", "=", shipment.company_id.id),
                    ("backend_id.environment", "=", shipment.environment),
                ]
            )
        )
        return profiles.backend_id
