from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_scac = fields.Char(
        string="SCAC",
        size=4,
        index="btree_not_null",
        help="Standard Carrier Alpha Code: the 2-4 letter code that names a "
        "carrier in EDI and tracking messages.",
    )
    is_logistics_carrier = fields.Boolean(
        string="Is a Carrier",
        help="Offered as carrier on shipments.",
    )

    _sql_constraints = [
        (
            "logistics_scac_upper",
            "CHECK (logistics_scac IS NULL OR logistics_scac = upper(logistics_scac))",
            "A SCAC is written in capital letters.",
        ),
    ]
