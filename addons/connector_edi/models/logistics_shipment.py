from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.logistics_canonical.lib.timeutil import parse_event_time


class LogisticsShipment(models.Model):
    _inherit = "logistics.shipment"

    edi_tender_backend_id = fields.Many2one(
        "logistics.backend", compute="_compute_edi_tender_backend_id", string="Tendered by (EDI)"
    )
    edi_invoices_customer = fields.Boolean(
        compute="_compute_edi_invoices_customer",
        help="The customer receives freight invoices as EDI 210.",
    )

    def _compute_edi_invoices_customer(self):
        for shipment in self:
            shipment.edi_invoices_customer = bool(shipment._edi_invoice_profile())

    def _compute_edi_tender_backend_id(self):
        for shipment in self:
            refs = shipment.sudo().external_ref_ids.filtered(
                lambda r: r.backend_id.kind == "edi" and r.backend_id._edi_partner().receive_tenders
            )
            shipment.edi_tender_backend_id = refs[:1].backend_id

    def _apply_tender_stops(self, stops):
        """Create or update the stops a tender lists (by stop sequence)."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        for stop in stops:
            partner = Partner.browse()
            if stop.get("location_id"):
                partner = Partner.search([("ref", "=", stop["location_id"])], limit=1)
            if not partner and stop.get("name"):
                country = self.env["res.country"].search(
                    [("code", "=", (stop.get("country") or "")[:2])], limit=1
                )
                partner = Partner.create(
                    {
                        "name": stop["name"],
                        "ref": stop.get("location_id") or False,
                        "street": stop.get("street"),
                        "city": stop.get("city"),
                        "zip": stop.get("postal"),
                        "country_id": country.id,
                        "is_company": True,
                    }
                )
            windows = [parse_event_time(when)[0] for _q, when in stop.get("windows", [])]
            vals = {
                "stop_type": stop["type"],
                "partner_id": partner.id,
                "city": stop.get("city") or partner.city,
                "location_code": stop.get("location_id"),
                "window_start": min(windows) if windows else False,
                "window_end": max(windows) if windows else False,
            }
            existing = self.stop_ids.filtered(lambda s, seq=stop["sequence"]: s.sequence == seq)
            if existing:
                existing.write(vals)
            else:
                self.env["logistics.shipment.stop"].create(
                    {**vals, "shipment_id": self.id, "sequence": stop["sequence"]}
                )
        ordered = self.stop_ids.sorted("sequence")
        first, last = ordered[:1], ordered[-1:]
        self.write(
            {
                "origin_id": first.partner_id.id,
                "destination_id": last.partner_id.id,
                "planned_pickup": first.window_start or first.window_end,
                "planned_delivery": last.window_end or last.window_start,
            }
        )

    def _answer_tender(self, accepted, message=None, reason=None):
        """Answer the EDI partner that tendered this shipment with a 990."""
        self.ensure_one()
        backend = self.edi_tender_backend_id
        if not backend:
            raise UserError(self.env._("%s was not tendered by an EDI partner.", self.name))
        ref = (
            self.sudo().external_ref_ids.filtered(lambda r: r.backend_id == backend)[:1].external_id
        )
        profile = backend._edi_partner()
        response = (
            self.env["logistics.outbox"]
            .sudo()
            ._enqueue(
                backend,
                "tender_response",
                {
                    "scac": profile.scac or "",
                    "shipment_id": ref,
                    "date": fields.Date.today().strftime("%Y%m%d"),
                    "accepted": accepted,
                    "reason": reason or "",
                },
                f"990:{self.id}:{'A' if accepted else 'D'}",
                shipment_id=self.id,
                parent=message,
            )
        )
        if not response:  # this answer was given before (a replay, a second click)
            return
        code = "TENDER_ACCEPTED" if accepted else "TENDER_REJECTED"
        self.env["logistics.milestone"].create(
            {
                "shipment_id": self.id,
                "milestone_code_id": self.env["logistics.milestone.code"]._by_code(code).id,
                "event_time": fields.Datetime.now(),
                "backend_id": backend.id,
                "note": reason,
                "source_text": self.env._("990 sent to %s", backend.name),
            }
        )

    def action_accept_tender(self):
        for shipment in self:
            shipment._answer_tender(True)

    def action_decline_tender(self):
        for shipment in self:
            shipment._answer_tender(False, reason=self.env._("Declined"))

    def _edi_invoice_profile(self):
        return (
            self.env["logistics.edi.partner"]
            .sudo()
            .search(
                [
                    ("send_invoices", "=", True),
                    ("customer_id", "=", self.customer_id.commercial_partner_id.id),
                    ("backend_id.company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )

    def action_send_freight_invoice(self):
        """Send the shipment's valid freight charges to its customer as a 210."""
        for shipment in self:
            charges = shipment.charge_ids.filtered(lambda c: c.validation_state == "valid")
            if not shipment._edi_invoice_profile() or not charges:
                raise UserError(
                    self.env._(
                        "%s needs valid freight charges and a customer EDI partner that receives 210s.",
                        shipment.name,
                    )
                )
            shipment._send_freight_invoice(
                shipment.name,
                [(c.charge_type, c.amount, c.description) for c in charges],
                f"210:{shipment.id}:{len(charges)}",
            )

    def _send_freight_invoice(self, number, lines, key):
        """Queue a 210 of ``lines`` [(charge type, amount, description)] under
        invoice ``number`` for the customer's EDI partner, once per ``key``.
        False when the customer takes no 210."""
        self.ensure_one()
        profile = self._edi_invoice_profile()
        if not profile:
            return False
        ref = self.sudo().external_ref_ids.filtered(
            lambda r, backend=profile.backend_id: r.backend_id == backend
        )[:1]
        invoice = {
            "invoice_number": number,
            "shipment_id": ref.external_id or self.name,
            "date": fields.Date.today().strftime("%Y%m%d"),
            "scac": profile.scac or "",
            "currency": self.currency_id.name,
            "total": f"{sum(amount for _type, amount, _text in lines):.2f}",
            "charges": [
                {
                    "code": {"fuel": "FUE", "linehaul": "400"}.get(charge_type, "ZZZ"),
                    "amount": f"{amount:.2f}",
                    "description": (description or charge_type)[:30],
                }
                for charge_type, amount, description in lines
            ],
        }
        return (
            self.env["logistics.outbox"]
            .sudo()
            ._enqueue(profile.backend_id, "freight_invoice", invoice, key, shipment_id=self.id)
        )
