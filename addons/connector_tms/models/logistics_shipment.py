from datetime import timedelta

from odoo import fields, models

from .logistics_processor_tms import _utc


class LogisticsShipment(models.Model):
    """A shipment ordered in Odoo and moved by a TMS: its order, its tenders,
    and what dispatch told us (driver, vehicle)."""

    _inherit = "logistics.shipment"

    sale_order_id = fields.Many2one(
        "sale.order", string="Sale Order", readonly=True, index="btree_not_null", copy=False
    )
    sale_order_part = fields.Integer(
        string="Delivery Part",
        default=1,
        readonly=True,
        copy=False,
        help="Which delivery of its order this shipment carries: 1 for the order's first, "
        "the next number for each backorder that ships later.",
    )
    tender_ids = fields.One2many("logistics.tender", "shipment_id", string="Tenders")
    tender_state = fields.Selection(
        related="tender_ids.state", string="Tender", help="State of the latest tender."
    )
    driver_name = fields.Char(string="Driver", tracking=True)
    driver_phone = fields.Char()

    def _for_order(self, order, backend, part=1, deliveries=None):
        """The shipment of one delivery of ``order``: part 1 carries the order's
        deliveries, each backorder is a part of its own (``deliveries``).
        Created on its first tender, brought up to date (dates, load, stops) on
        each revision. An order of transport only, sold against the customer's
        own tender (EDI), keeps the route that tender gave."""
        shipment = self.search(
            [("sale_order_id", "=", order.id), ("sale_order_part", "=", part)], limit=1
        )
        own_route = shipment and not order._tms_goods()
        if not shipment:
            shipment = self.create(
                {
                    "sale_order_id": order.id,
                    "sale_order_part": part,
                    "customer_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "environment": backend.environment,
                }
            )
        self.env["logistics.external.ref"]._bind(
            backend,
            shipment,
            self.env["logistics.tender"]._reference(order, part),
            kind=self.env._("Tender reference"),
        )
        if own_route:
            return shipment
        if deliveries is None and part == 1:
            deliveries = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing"
                and p.state != "cancel"
                and not p.logistics_shipment_id
                and not p.backorder_id
            )
        if deliveries:
            deliveries.logistics_shipment_id = shipment
        values = shipment._order_values(order)
        shipment.write(values)
        for stop in self._order_stops(values):
            # updated in place: milestones already recorded keep their stop
            known = shipment.stop_ids.filtered(lambda s, n=stop["sequence"]: s.sequence == n)
            if known:
                known.write(stop)
            else:
                shipment.stop_ids = [(0, 0, stop)]
        return shipment

    def _order_values(self, order):
        self.ensure_one()
        scheduled = (self.picking_ids or order.picking_ids).mapped("scheduled_date")
        pickup = min(scheduled, default=None) or order.commitment_date or fields.Datetime.now()
        delivery = order.commitment_date or pickup + timedelta(days=1)
        load = self._tms_load(order)
        return {
            "customer_id": order.partner_id.commercial_partner_id.id,
            "customer_reference": order.client_order_ref or order.name,
            "origin_id": order.warehouse_id.partner_id.id,
            "destination_id": order.partner_shipping_id.id,
            "planned_pickup": pickup,
            "planned_delivery": max(delivery, pickup),
            "weight_kg": sum(weight for _name, _quantity, weight in load),
            "pieces": int(sum(quantity for _name, quantity, _weight in load)),
        }

    def _left_warehouse(self):
        """Whether all this shipment carries has left (its deliveries done): the
        load is what it is, a change of the order no longer revises it."""
        self.ensure_one()
        deliveries = self.picking_ids.filtered(lambda p: p.state != "cancel")
        return bool(deliveries) and all(p.state == "done" for p in deliveries)

    def _tms_load(self, order):
        """What this shipment carries, as (description, quantity, weight in kg):
        once the order ships in parts (a delivery of it done, or this one a
        backorder), what its own deliveries carry; until then the order's goods."""
        self.ensure_one()
        deliveries = self.picking_ids.filtered(lambda p: p.state != "cancel")
        if any(p.state == "done" or p.backorder_id for p in deliveries):
            return [
                (
                    (move.sale_line_id.name or move.product_id.display_name).split("\n")[0][:128],
                    move.product_uom_qty,
                    move.product_uom_qty * move.product_id.weight,
                )
                for move in deliveries.move_ids
                if move.state != "cancel"
            ]
        return [
            (
                line.name.split("\n")[0][:128],
                line.product_uom_qty,
                line.product_uom_qty * line.product_id.weight,
            )
            for line in order._tms_goods()
        ]

    def _order_stops(self, values):
        return [
            {
                "sequence": 1,
                "stop_type": "pickup",
                "partner_id": values["origin_id"],
                "window_start": values["planned_pickup"],
                "window_end": values["planned_pickup"] + timedelta(hours=2),
            },
            {
                "sequence": 2,
                "stop_type": "delivery",
                "partner_id": values["destination_id"],
                "window_start": values["planned_delivery"],
                "window_end": values["planned_delivery"] + timedelta(hours=4),
            },
        ]

    def _bind_load_id(self, backend, load_id):
        self.ensure_one()
        self.env["logistics.external.ref"]._bind(
            backend, self, load_id, kind=self.env._("TMS load id")
        )

    def _record_cancellation(self, tender):
        self.ensure_one()
        if "CANCELLED" in self.milestone_ids.mapped("code"):
            return  # the customer's own cancellation (an EDI tender) is on the timeline
        self._record_milestone(
            "CANCELLED",
            fields.Datetime.now(),
            key=f"tender:{tender.id}:cancelled",
            backend_id=tender.backend_id.id,
            source_text=self.env._("Order %s cancelled", tender.sale_order_id.name),
        )

    # --- what the TMS reports ---------------------------------------------------------

    def _tms_charges(self, backend, charges):
        """The TMS's costs by charge type: a new amount replaces the one not
        validated yet; a validated charge stays and is not added again."""
        self.ensure_one()
        Charge = self.env["logistics.freight.charge"]
        for charge in charges:
            charge_type = Charge._charge_type_of(charge.get("type"))
            currency = self._tms_currency(charge.get("currency"))
            mine = self.charge_ids.filtered(
                lambda c, t=charge_type: c.backend_id == backend
                and c.source == "tms"
                and c.charge_type == t
            )
            if any(
                c.validation_state != "pending"
                and c.currency_id == currency
                and currency.compare_amounts(c.amount, charge["amount"]) == 0
                for c in mine
            ):
                continue
            values = {"amount": charge["amount"], "currency_id": currency.id}
            pending = mine.filtered(lambda c: c.validation_state == "pending")
            if pending:
                pending[:1].write(values)
                continue
            Charge.create(
                {
                    **values,
                    "shipment_id": self.id,
                    "charge_type": charge_type,
                    "description": charge.get("description") or charge.get("type") or "",
                    "source": "tms",
                    "charge_stage": "final",
                    "backend_id": backend.id,
                }
            )

    def _tms_currency(self, code):
        found = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", (code or "").upper())], limit=1)
        )
        return found or self.company_id.currency_id

    def _tms_want_pod(self, backend, event):
        """Fetch the TMS's POD once, in a job (the TMS may be slow)."""
        self.ensure_one()
        if not self._has_milestone(f"{event['event_id']}:pod"):
            self.with_delay(
                channel="root.logistics.tms",
                priority=20,
                identity_key=f"tms-pod-{self.id}-{event['event_id']}",
                description=f"Fetch the POD of {self.name}",
            )._tms_fetch_pod(
                backend.id,
                event["pod_url"],
                event.get("signed_by") or "",
                event["event_id"],
                event["event_time"],
            )

    def _tms_fetch_pod(self, backend_id, url, signed_by, event_id, event_time):
        """Job: download the POD, attach it, record POD_RECEIVED at the TMS's time."""
        key = f"{event_id}:pod"
        if self._has_milestone(key):
            return "already received"
        backend = self.env["logistics.backend"].browse(backend_id)
        attachment = self._receive_pod(backend, url, key, _utc(event_time), signed_by)
        return attachment.name if attachment else "refused"
