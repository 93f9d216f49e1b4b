from datetime import timezone

from odoo import api, fields, models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import taxonomy
from .logistics_carrier_tracking import _naive

MAX_NUMBER = 64


class LogisticsProcessorCarrier(models.AbstractModel):
    """A carrier's answer about one tracking number (a poll result or a
    webhook): its events become milestones in the carrier taxonomy's terms,
    its POD is fetched, its freight costs become charges."""

    _name = "logistics.processor.carrier"
    _inherit = "logistics.processor"
    _description = "Carrier Tracking Processor"
    _processor_for = (("carrier", "carrier_tracking"),)

    def _admit(self, item, document=None):
        """The channel found the tracking number (``subject_ref``) through the
        carrier's mapping; an answer without one cannot be applied."""
        number = item.get("subject_ref") or ""
        if not number:
            return [
                {
                    "field": "number",
                    "message": "no tracking number where the carrier's mapping looks for it",
                }
            ]
        if len(number) > MAX_NUMBER:
            return [
                {
                    "field": "number",
                    "message": f"a tracking number of more than {MAX_NUMBER} characters",
                }
            ]
        return super()._admit(item, document)

    def _decode(self, message):
        document = self._json_payload(message)
        mapping = message.backend_id._carrier_mapping()
        candidates = mapping.documents(document, "webhook") or mapping.documents(document, "poll")
        # a webhook may carry several updates of one number: each applies (events once)
        readings = [
            mapping.parse(found)
            for found in candidates
            if mapping.number_of(found) == message.subject_ref
        ]
        if readings:
            return readings
        raise PermanentError(
            f"no tracking document for {message.subject_ref} in the payload", code="no_document"
        )

    def _map(self, message, reading):
        """The reading with each event's meaning in the carrier taxonomy (no writes)."""
        codes = {event.code for event in reading.events}
        meanings = self.env["logistics.carrier.code"]._meanings(message.backend_id, codes)
        return {"reading": reading, "meanings": meanings}

    def _apply_many(self, items):
        return [self._apply_one(message, mapped) for message, mapped in items]

    def _apply_one(self, message, mapped):
        backend, reading, meanings = message.backend_id, mapped["reading"], mapped["meanings"]
        ship_date = reading.ship_date or min((e.time for e in reading.events), default=None)
        tracking = self.env["logistics.carrier.tracking"]._track(
            backend, reading.number, ship_date.date() if ship_date else None
        )
        events = [event for event in reading.events if event.code in meanings]
        new = self._new_events(tracking, events)
        canonical = [self._canonical_event(tracking, reading, e, meanings[e.code]) for e in new]
        if canonical and reading.eta:
            max(canonical, key=lambda event: event["event_time"])["eta"] = reading.eta.isoformat()
        elif reading.eta and _naive(reading.eta) != tracking.eta:
            canonical.append(self._eta_event(tracking, reading.eta))
        if canonical:
            Events = self.env["logistics.processor.event"]
            Events._apply_many([(message, Events._map(message, event)) for event in canonical])
        unknown = {e.code: e.text for e in reading.events if e.code not in meanings}
        if unknown:
            self.env["logistics.carrier.code"]._note_unmapped(backend, unknown)
            message._open_issue(
                "unmapped_code",
                self.env._(
                    "%(carrier)s sent status code(s) %(codes)s for %(number)s that are not in "
                    "its code table; map them under Carrier Status Codes, then replay.",
                    carrier=backend.name,
                    codes=", ".join(sorted(unknown)),
                    number=reading.number,
                ),
                "code",
            )
        if reading.charges:
            self._apply_charges(tracking, reading.charges, backend)
        tracking._record(reading, [(e.time, meanings[e.code][0]) for e in new])
        if reading.pod_url and tracking.carrier_status == "delivered":
            tracking._want_pod(reading.pod_url, reading.pod_signed_by)
        return tracking.shipment_id

    def _new_events(self, tracking, events):
        """The events not recorded yet: carriers repeat the whole history."""
        ids = {self._event_id(tracking, event): event for event in events}
        known = set(
            self.env["logistics.milestone"]
            .search(
                [
                    ("shipment_id", "=", tracking.shipment_id.id),
                    ("backend_id", "=", tracking.backend_id.id),
                    ("source_event_id", "in", list(ids)),
                ]
            )
            .mapped("source_event_id")
        )
        return [event for event_id, event in ids.items() if event_id not in known]

    @api.model
    def _event_id(self, tracking, event):
        """The event's own id, else its number, code and time (as stored: 128 characters)."""
        return (event.event_id or f"{tracking.number}:{event.code}:{event.time.isoformat()}")[:128]

    def _eta_event(self, tracking, eta):
        """A new ETA the carrier gave without a scan."""
        return {
            "event_id": f"{tracking.number}:eta:{eta.isoformat()}"[:128],
            "shipment_ref": tracking.shipment_ref,
            "code": "ETA_UPDATED",
            "classifier": "estimated",
            "event_time": fields.Datetime.now().replace(tzinfo=timezone.utc).isoformat(),
            "eta": eta.isoformat(),
            "identifiers": [{"type": "tracking", "value": tracking.number}],
        }

    def _canonical_event(self, tracking, reading, event, meaning):
        status, reason = meaning
        location = {
            key: value
            for key, value in (
                ("name", event.location[:256]),
                ("city", event.city[:128]),
                ("country", event.country),
            )
            if value
        }
        canonical = {
            "event_id": self._event_id(tracking, event),
            "shipment_ref": tracking.shipment_ref,
            "code": taxonomy.milestone_for(status, reason),
            "source_code": event.code[:32],
            "source_text": event.text[:512],
            "event_time": event.time.isoformat(),
            "identifiers": [{"type": "tracking", "value": tracking.number}],
        }
        if location:
            canonical["location"] = location
        if reason or event.reason:
            canonical["reason"] = {
                "code": (reason or event.reason)[:32],
                "text": taxonomy.INCIDENT_REASONS.get(reason, event.reason)[:512],
            }
        if status == "delivered" and reading.pod_signed_by:
            canonical["pod"] = {"signed_by": reading.pod_signed_by[:256]}
        return canonical

    def _apply_charges(self, tracking, charges, backend):
        """The carrier's costs of each stage (quoted, final) as freight charges.
        A changed answer replaces the charges not validated yet; a charge
        finance validated stays, and the same charge is not added again."""
        shipment = tracking.shipment_id
        for stage in ("quoted", "final"):
            wanted = [
                self._charge_vals(shipment, backend, charge)
                for charge in charges
                if charge.stage == stage
            ]
            if not wanted:
                continue
            mine = shipment.charge_ids.filtered(
                lambda c, stage=stage: c.backend_id == backend
                and c.source == "carrier"
                and c.charge_stage == stage
            )
            pending = mine.filtered(lambda c: c.validation_state == "pending")
            settled = [_charge_key(vals) for vals in _charge_vals(mine - pending)]
            for key in settled:  # each validated charge stands for one wanted charge
                match = next((vals for vals in wanted if _charge_key(vals) == key), None)
                if match:
                    wanted.remove(match)
            if sorted(map(_charge_key, _charge_vals(pending))) == sorted(map(_charge_key, wanted)):
                continue
            pending.unlink()
            self.env["logistics.freight.charge"].create(wanted)

    def _charge_vals(self, shipment, backend, charge):
        code = charge.currency or shipment.company_id.currency_id.name
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", code)], limit=1)
        )
        description = charge.description or charge.charge_type or charge.stage
        if not currency:
            currency = shipment.company_id.currency_id
            description = f"{description} ({code}?)"
        return {
            "shipment_id": shipment.id,
            "charge_type": self.env["logistics.freight.charge"]._charge_type_of(charge.charge_type),
            "description": description,
            "amount": charge.amount,
            "currency_id": currency.id,
            "source": "carrier",
            "charge_stage": charge.stage,
            "backend_id": backend.id,
            "bill_ref": charge.invoice or False,
        }


def _charge_key(vals):
    """What a charge says, to compare a new answer with the last."""
    return (
        vals["charge_type"],
        round(vals["amount"], 2),
        vals["currency_id"],
        vals["description"] or "",
        vals["bill_ref"] or "",
    )


def _charge_vals(charges):
    return [
        {
            "charge_type": c.charge_type,
            "amount": c.amount,
            "currency_id": c.currency_id.id,
            "description": c.description,
            "bill_ref": c.bill_ref,
        }
        for c in charges
    ]
