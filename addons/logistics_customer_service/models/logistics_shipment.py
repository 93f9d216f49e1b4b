from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .logistics_claim import CLAIM_TYPE_OF_EXCEPTION, OPEN_STATES

OPEN_CLAIM = [("open_claim", "Claim in progress")]


class LogisticsShipment(models.Model):
    """Claims on a shipment (an open one holds its invoice) and its returns."""

    _inherit = "logistics.shipment"

    billing_hold_reason = fields.Selection(selection_add=OPEN_CLAIM)
    billing_released_reason = fields.Selection(selection_add=OPEN_CLAIM)
    claim_ids = fields.One2many("logistics.claim", "shipment_id", string="Claims")
    claim_count = fields.Integer(compute="_compute_claim_count")
    return_of_id = fields.Many2one(
        "logistics.shipment",
        string="Return Of",
        readonly=True,
        index=True,
        copy=False,
        help="The shipment whose goods this one brings back.",
    )
    return_ids = fields.One2many("logistics.shipment", "return_of_id", string="Returns")
    return_count = fields.Integer(compute="_compute_return_count")

    @api.depends("claim_ids")
    def _compute_claim_count(self):
        for shipment in self:
            shipment.claim_count = len(shipment.claim_ids)

    @api.depends("return_ids")
    def _compute_return_count(self):
        for shipment in self:
            shipment.return_count = len(shipment.return_ids)

    def _hold_reasons(self, pod, revenue_audit):
        if self.claim_ids.filtered(lambda claim: claim.state in OPEN_STATES):
            yield "open_claim"  # what the customer disputes is not invoiced until settled
        yield from super()._hold_reasons(pod, revenue_audit)

    # --- people ----------------------------------------------------------------------

    def action_open_claim(self, exception=None):
        self.ensure_one()
        context = {"default_shipment_id": self.id}
        if exception:
            context.update(
                default_exception_id=exception.id,
                default_description=exception.description or exception.name,
            )
            claim_type = CLAIM_TYPE_OF_EXCEPTION.get(exception.exception_type_id.code)
            if claim_type:
                context["default_claim_type"] = claim_type
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Claim"),
            "res_model": "logistics.claim",
            "view_mode": "form",
            "context": context,
        }

    def action_view_claims(self):
        return self._related_action("logistics.claim", self.claim_ids, self.env._("Claims"))

    def action_view_returns(self):
        return self._related_action(self._name, self.return_ids, self.env._("Returns"))

    def _related_action(self, model, records, name):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", records.ids)],
        }
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        return action

    def action_create_return(self):
        """A shipment bringing the goods back: same customer, carrier and goods,
        origin and destination swapped, stops in reverse order."""
        self.ensure_one()
        if self.return_of_id:
            raise UserError(self.env._("%s is itself a return.", self.name))
        stops = self.stop_ids.sorted("sequence", reverse=True)
        reverse_kind = {"pickup": "delivery", "delivery": "pickup", "transit": "transit"}
        returned = self.create(
            {
                "return_of_id": self.id,
                "company_id": self.company_id.id,
                "customer_id": self.customer_id.id,
                "carrier_id": self.carrier_id.id,
                "mode": self.mode,
                "environment": self.environment,
                "customer_reference": self.env._(
                    "Return of %s", self.customer_reference or self.name
                ),
                "origin_id": self.destination_id.id,
                "destination_id": self.origin_id.id,
                "weight_kg": self.weight_kg,
                "pieces": self.pieces,
                "stop_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "stop_type": reverse_kind[stop.stop_type],
                            "partner_id": stop.partner_id.id,
                            "location_code": stop.location_code,
                        }
                    )
                    for index, stop in enumerate(stops, start=1)
                ],
            }
        )
        returned._link_return_picking()
        self.message_post(body=self.env._("Return %s created.", returned._get_html_link()))
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": returned.id,
            "view_mode": "form",
        }

    def _link_return_picking(self):
        """When the goods left a warehouse in a validated delivery, the return
        receipt into that warehouse, linked to this return shipment."""
        self.ensure_one()
        delivered = self.return_of_id.picking_ids.filtered(
            lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing"
        )
        for picking in delivered:
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            for line in wizard.product_return_moves:
                line.quantity = line.move_id.quantity
            action = wizard.action_create_returns()
            self.env["stock.picking"].browse(action["res_id"]).logistics_shipment_id = self
