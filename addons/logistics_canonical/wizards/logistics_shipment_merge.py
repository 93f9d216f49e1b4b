from odoo import api, fields, models


class LogisticsShipmentMerge(models.TransientModel):
    """Merge shipments that turned out to be one: choose the one that stays."""

    _name = "logistics.shipment.merge"
    _description = "Merge Shipments"

    shipment_ids = fields.Many2many("logistics.shipment", string="Shipments", required=True)
    survivor_id = fields.Many2one(
        "logistics.shipment",
        string="Keep",
        required=True,
        domain="[('id', 'in', shipment_ids)]",
        help="The shipment that stays; the others move into it and are archived.",
    )

    differences = fields.Text(
        compute="_compute_differences",
        help="Where the shipments disagree: merging keeps one value, look before you merge.",
    )

    # what two halves of one shipment would agree on
    COMPARED = ("customer_id", "carrier_id", "pro_number", "bol_number", "customer_reference")

    @api.depends("shipment_ids")
    def _compute_differences(self):
        for wizard in self:
            lines = []
            for name in self.COMPARED:
                field = wizard.shipment_ids._fields[name]
                values = {
                    shipment.name: shipment[name].display_name
                    if field.relational
                    else shipment[name]
                    # in the dialog the shipments are new records: order by the real ids
                    for shipment in wizard.shipment_ids.sorted(lambda s: s._origin.id)
                    if shipment[name]
                }
                if len(set(values.values())) > 1:
                    said = ", ".join(f"{value} ({shipment})" for shipment, value in values.items())
                    lines.append(f"{field.get_description(self.env)['string']}: {said}")
            wizard.differences = "\n".join(lines) or False

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "logistics.shipment":
            ids = self.env.context.get("active_ids") or []
            values.setdefault("shipment_ids", [(6, 0, ids)])
        ids = values.get("shipment_ids") and values["shipment_ids"][0][2]
        if ids and "survivor_id" in fields_list:
            values.setdefault("survivor_id", min(ids))  # the oldest keeps its reference
        return values

    def action_merge(self):
        self.ensure_one()
        survivor = self.shipment_ids._merge_into(self.survivor_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.shipment",
            "res_id": survivor.id,
            "view_mode": "form",
            "target": "current",
        }
