from odoo import api, fields, models

# Order fields whose change the TMS must hear about as a revised tender.
REVISED_BY = {"order_line", "partner_shipping_id", "commitment_date", "client_order_ref"}


def _changed(record, values):
    """Of ``values``, those that differ from what ``record`` holds."""
    return {
        name: value
        for name, value in values.items()
        if (record[name].id if isinstance(record[name], models.BaseModel) else record[name])
        != value
    }


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

    @api.model
    def _receive_customer_order(
        self,
        customer,
        company,
        order_ref,
        lines,
        revision=None,
        cancel=False,
        shipment=None,
        **values,
    ):
        """The one door for orders a customer sends (an API order document, an EDI
        tender): the order of that customer and reference is created and confirmed
        when new, changed when ``revision`` is newer than the one it holds (None:
        each word is newer) and only in what differs, cancelled on request. What
        is older than the order, or comes after its cancellation, changes nothing.
        ``lines`` are order line values keyed by ``product_id``; ``shipment`` is
        the shipment the order is for, when it came first (an EDI tender)."""
        order = self.search(
            [
                ("partner_id", "=", customer.id),
                ("client_order_ref", "=", order_ref),
                ("company_id", "=", company.id),
            ],
            limit=1,
        )
        if order.state == "cancel" or (
            order and revision is not None and order.api_order_revision > revision
        ):
            return order
        if cancel:
            order._action_cancel()
            return order
        if order and revision is not None and revision == order.api_order_revision:
            return order  # the same word again
        values["api_order_revision"] = (
            revision if revision is not None else order.api_order_revision + 1
        )
        if not order:
            order = self.create(
                {
                    **values,
                    "partner_id": customer.id,
                    "client_order_ref": order_ref,
                    "company_id": company.id,
                    "order_line": [(0, 0, line) for line in lines],
                    "logistics_shipment_ids": [(4, shipment.id)] if shipment else [],
                }
            )
            order.action_confirm()
            return order
        changes = _changed(order, values)
        commands = order._line_commands(lines)
        if commands:
            changes["order_line"] = commands
        order.write(changes)  # a change of route, date or goods: a revised tender follows
        return order

    def _line_commands(self, lines):
        """Line commands that bring the order to ``lines``: a confirmed order's
        lines are not deleted, a product no longer ordered goes to zero."""
        wanted = {}
        for line in lines:
            before = wanted.get(line["product_id"], {}).get("product_uom_qty", 0)
            wanted[line["product_id"]] = {
                **line,
                "product_uom_qty": before + line["product_uom_qty"],
            }
        commands = []
        for line in self.order_line.filtered(lambda ln: ln.product_id and not ln.display_type):
            want = wanted.pop(line.product_id.id, {"product_uom_qty": 0})
            changes = _changed(line, {k: v for k, v in want.items() if k != "product_id"})
            if changes:
                commands.append((1, line.id, changes))
        return commands + [(0, 0, line) for line in wanted.values()]

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
