from odoo import fields, models


class LogisticsFreightCharge(models.Model):
    _inherit = "logistics.freight.charge"

    source = fields.Selection(
        selection_add=[("carrier", "Carrier API")], ondelete={"carrier": "set default"}
    )
