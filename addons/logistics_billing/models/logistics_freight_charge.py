from odoo import api, fields, models

from .logistics_expected_charge import SIDES

# what a carrier reports is what we owe it; the rest is what the customer pays
COST_SOURCES = ("carrier", "carrier_bill")


class LogisticsFreightCharge(models.Model):
    _inherit = "logistics.freight.charge"

    side = fields.Selection(
        SIDES,
        compute="_compute_side",
        store=True,
        readonly=False,
        index=True,
        help="Revenue: billed to the customer and audited against its rate card. "
        "Cost: owed to the carrier and audited against the carrier's card.",
    )
    audit_status = fields.Selection(
        [
            ("no_card", "No Rate Card"),
            ("matched", "Matched"),
            ("within_variance", "Within Variance"),
            ("mismatched", "Mismatched"),
        ],
        readonly=True,
        index="btree_not_null",
        help="What the freight audit found; finance's own decision is the validation state.",
    )
    audit_key = fields.Char(readonly=True, help="The expected charge it was compared with.")
    expected_amount = fields.Monetary(readonly=True, currency_field="currency_id")

    @api.depends("source")
    def _compute_side(self):
        for charge in self:
            charge.side = "cost" if charge.source in COST_SOURCES else "revenue"

    @api.model_create_multi
    def create(self, vals_list):
        charges = super().create(vals_list)
        charges.shipment_id._billing_touch()
        return charges

    def write(self, vals):
        result = super().write(vals)
        if {"amount", "currency_id", "side", "charge_type", "description", "shipment_id"} & set(
            vals
        ):
            self.shipment_id._billing_touch()
        return result

    def unlink(self):
        shipments = self.shipment_id
        result = super().unlink()
        shipments.exists()._billing_touch()
        return result

    def _mark_audited(self, vals):
        """Write an audit's outcome on the charges it changes. It never touches
        the validation state: a charge finance validated is settled for the
        connectors, one the audit passed is not."""
        for charge in self:
            changed = {name: value for name, value in vals.items() if charge[name] != value}
            if changed:
                charge.write(changed)
