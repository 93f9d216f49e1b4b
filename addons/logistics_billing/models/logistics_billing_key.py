from odoo import Command, api, fields, models


class LogisticsBillingKey(models.Model):
    """The one right to invoice a shipment: (shipment, attempt) is unique in
    the database, so replays, retries, concurrent jobs and re-runs after a
    credit note all find it taken. Claimed in the transaction that creates
    the invoice: a crash before the commit leaves neither."""

    _name = "logistics.billing.key"
    _description = "Billing Key"
    _order = "id desc"

    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, ondelete="cascade", index=True, readonly=True
    )
    attempt = fields.Integer(required=True, readonly=True)
    pod_milestone_id = fields.Many2one(
        "logistics.milestone", string="Proof of Delivery", readonly=True, ondelete="set null"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    invoice_id = fields.Many2one("account.move", readonly=True, ondelete="set null", index=True)

    _sql_constraints = [
        (
            "shipment_attempt_unique",
            "UNIQUE (shipment_id, attempt)",
            "A shipment is invoiced once per billing attempt.",
        )
    ]

    def _compute_display_name(self):
        for key in self:
            pod = key.pod_milestone_id.source_event_id or key.pod_milestone_id.id or "-"
            key.display_name = f"{key.shipment_id.name}/POD {pod}/{key.attempt}"

    @api.model
    def _claim(self, shipments):
        """Take the billing keys of ``shipments``: {shipment id: key id} for the
        ones this transaction won. A key another transaction holds makes this
        one wait for it, then skip."""
        if not shipments:
            return {}
        shipments.flush_recordset(["billing_attempt", "pod_milestone_id", "company_id"])
        self.env.cr.execute(
            """
            INSERT INTO logistics_billing_key
                   (shipment_id, attempt, pod_milestone_id, company_id,
                    create_uid, write_uid, create_date, write_date)
            SELECT s.id, COALESCE(s.billing_attempt, 0), s.pod_milestone_id, s.company_id,
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM logistics_shipment s
             WHERE s.id = ANY(%(ids)s)
             ORDER BY s.id
                ON CONFLICT (shipment_id, attempt) DO NOTHING
            RETURNING shipment_id, id
            """,
            {"ids": shipments.ids, "uid": self.env.uid},
        )
        claimed = dict(self.env.cr.fetchall())
        self.invalidate_model()
        return claimed

    @api.model
    def _invoice(self, shipments, consolidated=False):
        """Draft customer invoices for billable ``shipments`` whose keys this
        transaction wins: one per shipment, or one per customer and currency."""
        claimed = self._claim(shipments)
        shipments = shipments.filtered(lambda s: s.id in claimed)
        if not shipments:
            return self.env["account.move"]
        groups = {}
        for shipment in shipments:
            lines = shipment._billing_lines()
            customer = shipment.customer_id.commercial_partner_id
            group = (
                (customer, shipment.company_id, lines[:1].currency_id)
                if consolidated
                else (shipment,)
            )
            groups.setdefault(group, []).append((shipment, lines))
        Move = self.env["account.move"]
        vals_list = [Move._logistics_invoice_vals(members) for members in groups.values()]
        moves = Move.with_context(default_move_type="out_invoice").create(vals_list)
        now = fields.Datetime.now()
        for members, move in zip(groups.values(), moves, strict=True):
            for shipment, _lines in members:
                hours = (now - shipment.pod_date).total_seconds() / 3600 if shipment.pod_date else 0
                shipment.write(
                    {
                        "billing_state": "invoiced",
                        "billing_hold_reason": False,
                        "invoice_id": move.id,
                        "invoiced_at": now,
                        "pod_to_invoice_hours": max(hours, 0.0),
                    }
                )
            self.browse([claimed[shipment.id] for shipment, _lines in members]).write(
                {"invoice_id": move.id}
            )
        return moves


def invoice_line(shipment, product, description, amount):
    return Command.create(
        {
            "product_id": product.id,
            "name": f"{shipment.name}: {description}",
            "quantity": 1,
            "price_unit": amount,
            "logistics_shipment_id": shipment.id,
        }
    )
