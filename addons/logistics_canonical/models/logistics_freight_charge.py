from odoo import api, fields, models

# How partners (carriers, TMSs, EDI) name charge types, and ours.
CHARGE_TYPES = {
    "linehaul": "linehaul",
    "freight": "linehaul",
    "base": "linehaul",
    "lh": "linehaul",
    "transport": "linehaul",
    "fuel": "fuel",
    "fsc": "fuel",
    "fuel_surcharge": "fuel",
    "accessorial": "accessorial",
    "residential": "accessorial",
    "liftgate": "accessorial",
    "signature": "accessorial",
    "detention": "detention",
    "det": "detention",
    "toll": "toll",
    "customs": "customs",
    "duty": "customs",
}

CHARGE_TYPE_SELECTION = [
    ("linehaul", "Linehaul"),
    ("fuel", "Fuel Surcharge"),
    ("accessorial", "Accessorial"),
    ("detention", "Detention"),
    ("toll", "Toll"),
    ("customs", "Customs"),
    ("other", "Other"),
]


class LogisticsFreightCharge(models.Model):
    _name = "logistics.freight.charge"
    _description = "Freight Charge"
    _order = "shipment_id, sequence, id"
    _check_company_auto = True

    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    charge_type = fields.Selection(
        CHARGE_TYPE_SELECTION,
        required=True,
        default="linehaul",
    )
    description = fields.Char()
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    source = fields.Selection(
        [
            ("rate_card", "Rate Card"),
            ("carrier_bill", "Carrier Bill"),
            ("tms", "TMS"),
            ("edi", "EDI"),
            ("manual", "Manual"),
        ],
        required=True,
        default="manual",
    )
    charge_stage = fields.Selection(
        [("quoted", "Quoted"), ("final", "Final")],
        string="Stage",
        required=True,
        default="final",
        help="Quoted: what was agreed before the move; final: what is billed.",
    )
    backend_id = fields.Many2one("logistics.backend", string="Source Backend", ondelete="set null")
    validation_state = fields.Selection(
        [
            ("pending", "To Validate"),
            ("valid", "Valid"),
            ("mismatch", "Mismatch"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="pending",
        index=True,
    )
    validation_note = fields.Char()
    bill_ref = fields.Char(
        string="Carrier Bill",
        index="btree_not_null",
        help="The number of the partner's invoice (freight bill) the charge came on.",
    )

    @api.model
    def _charge_type_of(self, name):
        """Our charge type for a partner's name of it ("FSC", "Linehaul"…)."""
        return CHARGE_TYPES.get((name or "").strip().lower(), "other")
