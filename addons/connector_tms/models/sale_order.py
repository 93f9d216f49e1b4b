from odoo import fields, models

# Order fields whose change the TMS must hear about as a revised tender.
REVISED_BY = {"order_line", "partner_shipping_id", "commitment_date", "client_order_ref"}


class SaleOrder(models.Model):
    """A confirmed order becomes a shipment tendered to the company's TMS; a
    changed order a revised tender; a cancelled order a cancellation."""

    _inherit = "sale.order"

    tender_ids = fields.One2many("logistics.tender", "sale_order_id", string="Tenders")
    logistics_shipment_ids = fields.One2many(
        "logistics.shipment", "sale_order_id", string="Shipments"
    )
    tender_state = fields.Selection(related="tender_ids.state", string="Tender")
    api_order_revision = fields.Integer(
        string="Order Revision",
        readonly=True,
        copy=False,
        help="The customer's revision of an order received through the API.",
    )
    tms_backend_id = fields.Many2one(
        "logistics.backend",
        string="TMS",
        domain="[('kind', '=', 'tms'), ('company_id', '=', company_id)]",
        help="The TMS this order is tendered to when confirmed. Empty: the company's TMS "
        "that takes orders (its TMS page says so).",
    )

    def _action_confirm(self):
        result = super()._action_confirm()
        self._tender(revise=False)
        return result

    def write(self, vals):
        result = super().write(vals)
        if REVISED_BY.intersection(vals):
            self.filtered(lambda o: o.state == "sale" and o.tender_ids)._tender(revise=True)
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.tender_ids._cancel()
        return result

    def _tender(self, revise):
        for order in self:
            backend = order._tms_backend()
            if backend:
                self.env["logistics.tender"].sudo()._tender_order(order, backend, revise=revise)

    def _tms_goods(self):
        """The lines that travel (not services, not the delivery fee)."""
        return self.order_line.filtered(
            lambda line: line.product_id.type == "consu" and not line._is_delivery()
        )

    def _tms_backend(self):
        """The order's TMS, else the active TMS that takes the company's orders
        (one: two is ambiguous, and nothing is guessed)."""
        self.ensure_one()
        if self.tms_backend_id:
            return self.tms_backend_id.sudo()
        backends = (
            self.env["logistics.backend"]
            .sudo()
            .search(
                [
                    ("kind", "=", "tms"),
                    ("tms_tender_orders", "=", True),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=2,
            )
        )
        return backends if len(backends) == 1 else backends.browse()

    def action_view_logistics_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_canonical.action_shipment"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        return action
