from odoo import api, fields, models
from odoo.tools import SQL

STATES = [
    ("to_tender", "To Tender"),
    ("tendered", "Tendered"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("superseded", "Re-tendered"),
    ("cancelled", "Cancelled"),
]
# States in which a newer revision or a cancellation still has to reach the TMS.
LIVE = ("to_tender", "tendered", "accepted", "rejected")


class LogisticsTender(models.Model):
    """One revision of an order offered to a TMS. Keyed by (order, revision)
    with a unique index: a double confirm, a retry or a replay finds the row
    already there and sends nothing more. A changed order is a new revision
    (the previous one is re-tendered), a cancelled order a cancellation."""

    _name = "logistics.tender"
    _description = "Tender"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, readonly=True)
    sale_order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade", index=True
    )
    part = fields.Integer(
        string="Delivery Part",
        required=True,
        readonly=True,
        default=1,
        help="Which delivery of the order this tender offers: 1 for the order's first, "
        "the next number for each backorder.",
    )
    revision = fields.Integer(required=True, readonly=True, default=1)
    shipment_id = fields.Many2one("logistics.shipment", required=True, readonly=True, index=True)
    backend_id = fields.Many2one(
        "logistics.backend", string="TMS", required=True, readonly=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    customer_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    state = fields.Selection(STATES, default="to_tender", required=True, tracking=True)
    load_id = fields.Char(string="TMS Load", readonly=True, tracking=True)
    reason = fields.Char(string="Rejection Reason", readonly=True, tracking=True)
    confirmed_at = fields.Datetime(string="Order Confirmed", readonly=True)
    sent_at = fields.Datetime(string="Sent", readonly=True)
    answered_at = fields.Datetime(
        string="Answered", readonly=True, help="When the TMS's answer reached the hub."
    )
    message_ids_out = fields.One2many(
        "logistics.integration.message", "tms_tender_id", string="Messages to the TMS"
    )

    _sql_constraints = [
        (
            "order_revision_unique",
            "UNIQUE (sale_order_id, part, revision)",
            "A revision of an order's delivery is tendered once.",
        )
    ]

    # --- intake ---------------------------------------------------------------------

    @api.model
    def _reference(self, order, part):
        """The name the TMS knows a delivery of ``order`` by."""
        return order.name if part == 1 else f"{order.name}-{part}"

    @api.model
    def _tender_order(self, order, backend, revise=False):
        """Offer ``order`` to ``backend``: on confirmation its first delivery,
        with ``revise`` the next revision of each delivery that has not left the
        warehouse. Returns the tenders created now, empty when there is nothing
        new to send (a double confirm, a retry, a cancelled order)."""
        if not revise:
            return self._tender_part(order, backend, 1)
        tenders = self.browse()
        for shipment in order.logistics_shipment_ids.filtered(lambda s: not s._left_warehouse()):
            tenders |= self._tender_part(order, backend, shipment.sale_order_part, revise=True)
        return tenders

    @api.model
    def _tender_backorders(self, picking, backorders):
        """``picking`` left with part of its order, ``backorders`` hold the rest:
        the TMS gets the load revised to what left, and each backorder as a
        delivery (a shipment and a tender) of its own."""
        order, shipment = picking.sale_id, picking.logistics_shipment_id
        backend = shipment.tender_ids[:1].backend_id
        tenders = self._tender_part(order, backend, shipment.sale_order_part, revise=True)
        for backorder in backorders:
            part = max(order.logistics_shipment_ids.mapped("sale_order_part")) + 1
            tenders |= self._tender_part(order, backend, part, deliveries=backorder)
        return tenders

    def _tender_part(self, order, backend, part, revise=False, deliveries=None):
        """One delivery of ``order``: its shipment, its first revision (or, with
        ``revise``, the next one), sent once."""
        last = self.search(
            [("sale_order_id", "=", order.id), ("part", "=", part)],
            order="revision desc",
            limit=1,
        )
        if last.state == "cancelled" or (last and not revise) or (revise and not last):
            return self.browse()
        shipment = self.env["logistics.shipment"]._for_order(order, backend, part, deliveries)
        revision = last.revision + 1 if last else 1
        tender = self._insert_once(order, backend, shipment, part, revision)
        if not tender:
            return tender
        (last - tender).filtered(lambda t: t.state in LIVE)._set_state("superseded")
        tender._send("tms_tender", "tender")
        return tender

    def _insert_once(self, order, backend, shipment, part, revision):
        """INSERT … ON CONFLICT DO NOTHING: of two confirmations racing, the second
        waits for the first's commit and then finds the row taken."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_tender
                    (name, sale_order_id, part, revision, shipment_id, backend_id, company_id,
                     state, confirmed_at, create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, 'to_tender', now() at time zone 'UTC',
                        %s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
                ON CONFLICT (sale_order_id, part, revision) DO NOTHING
                RETURNING id
                """,
                self._reference(order, part),
                order.id,
                part,
                revision,
                shipment.id,
                backend.id,
                backend.company_id.id,
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.browse()
        # written behind the ORM's back: what it cached of the order and shipment is stale
        for record in (order, shipment):
            record.invalidate_recordset(["tender_ids", "tender_state"])
        return self.browse(row[0])

    def _send(self, message_type, section):
        self.ensure_one()
        self.env["logistics.outbox"]._enqueue(
            self.backend_id,
            message_type,
            {"section": section, "document": self._document()},
            f"{section}:{self.sale_order_id.id}:{self.part}:{self.revision}",
            tms_tender_id=self.id,
        )

    def _cancel(self):
        """The order is cancelled: tell the TMS (once) and close the shipment."""
        for tender in self.filtered(lambda t: t.state in LIVE):
            tender._set_state("cancelled")
            tender._send("tms_cancel", "cancel")
            tender.shipment_id._record_cancellation(tender)

    # --- what the TMS answers ----------------------------------------------------------

    def _set_state(self, state, **values):
        self.write({"state": state, **values})

    def _tendered(self, load_id):
        """The TMS took the tender (and named its load)."""
        self.ensure_one()
        values = {"sent_at": fields.Datetime.now()}
        if load_id:
            values["load_id"] = load_id
            self.shipment_id._bind_load_id(self.backend_id, load_id)
        if self.state == "to_tender":
            values["state"] = "tendered"
        self.write(values)

    def _answered(self, accepted, event_time, reason=""):
        self.ensure_one()
        if self.state not in LIVE:
            return  # re-tendered or cancelled since: the answer is history
        self._set_state(
            "accepted" if accepted else "rejected",
            answered_at=event_time,
            reason=False if accepted else reason,
        )

    # --- the document the template writes ----------------------------------------------

    def _document(self):
        """Our tender, in the shape templates read (``tender.body`` expressions)."""
        self.ensure_one()
        order, shipment = self.sale_order_id, self.shipment_id
        return {
            "reference": self.name,
            "revision": self.revision,
            "customer": {
                "code": order.partner_id._tms_customer_code(),
                "name": order.partner_id.commercial_partner_id.name,
            },
            "customer_ref": order.client_order_ref or "",
            "mode": shipment.mode or "ftl",
            "planned_pickup": _iso(shipment.planned_pickup),
            "planned_delivery": _iso(shipment.planned_delivery),
            "weight_kg": shipment.weight_kg,
            "pieces": shipment.pieces,
            "stops": [_stop(stop) for stop in shipment.stop_ids.sorted("sequence")],
            "lines": [
                {"description": name, "quantity": quantity, "weight_kg": round(weight, 3)}
                for name, quantity, weight in shipment._tms_load(order)
            ],
        }


def _iso(moment):
    return moment.isoformat() + "+00:00" if moment else None


def _stop(stop):
    partner = stop.partner_id
    return {
        "sequence": stop.sequence,
        "type": (stop.stop_type or "transit").upper(),
        "name": partner.name or stop.city or "",
        "street": partner.street or "",
        "city": partner.city or stop.city or "",
        "zip": partner.zip or "",
        "country": partner.country_id.code or "",
        "window_start": _iso(stop.window_start),
        "window_end": _iso(stop.window_end),
    }
