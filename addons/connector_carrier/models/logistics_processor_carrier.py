import json

from odoo import api, models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import taxonomy

# How carriers name charge types, and ours.
CHARGE_TYPES = {
    "linehaul": "linehaul",
    "freight": "linehaul",
    "base": "linehaul",
    "transport": "linehaul",
    "fuel": "fuel",
    "fsc": "fuel",
    "fuel_surcharge": "fuel",
    "accessorial": "accessorial",
    "residential": "accessorial",
    "liftgate": "accessorial",
    "signature": "accessorial",
    "detention": "detention",
    "toll": "toll",
    "customs": "customs",
    "duty": "customs",
}


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
        if not item.get("subject_ref"):
            return [
                {
                    "field": "number",
                    "message": "no tracking number where the carrier's mapping looks for it",
                }
            ]
        return super()._admit(item, document)

    def _decode(self, message):
        try:
            document = json.loads(message.payload)
        except ValueError as error:
            raise PermanentError(f"payload is not JSON: {error}", code="invalid_json") from error
        mapping = message.backend_id._carrier_mapping()
        candidates = mapping.documents(document, "webhook") + mapping.documents(document, "poll")
        for found in candidates:
            if mapping.number_of(found) == message.subject_ref:
                return [mapping.parse(found)]
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
        if canonical:
            latest = max(canonical, key=lambda event: event["event_time"])
            if reading.eta:
                latest["eta"] = reading.eta.isoformat()
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
        return event.event_id or f"{tracking.number}:{event.code}:{event.time.isoformat()}"

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
            "event_id": self._event_id(tracking, event)[:128],
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
        """The carrier's costs of each stage (quoted, final) as freight charges:
        a changed set replaces the charges not validated yet; validated ones stay."""
        shipment = tracking.shipment_id
        currency_by_code = {}
        for stage in ("quoted", "final"):
            wanted = [charge for charge in charges if charge.stage == stage]
            if not wanted:
                continue
            mine = shipment.charge_ids.filtered(
                lambda c, stage=stage: c.backend_id == backend
                and c.source == "carrier"
                and c.charge_stage == stage
            )
            vals_list = []
            for charge in wanted:
                code = charge.currency or shipment.company_id.currency_id.name
                if code not in currency_by_code:
                    currency_by_code[code] = self.env["res.currency"].search(
                        [("name", "=", code)], limit=1
                    )
                currency = currency_by_code[code] or shipment.company_id.currency_id
                vals_list.append(
                    {
                        "shipment_id": shipment.id,
                        "charge_type": CHARGE_TYPES.get(charge.charge_type, "other"),
                        "description": charge.description or charge.charge_type or stage,
                        "amount": charge.amount,
                        "currency_id": currency.id,
                        "source": "carrier",
                        "charge_stage": stage,
                        "backend_id": backend.id,
                    }
                )
            if _charge_set(_charge_vals(mine)) == _charge_set(vals_list):
                continue
            mine.filtered(lambda c: c.validation_state == "pending").unlink()
            self.env["logistics.freight.charge"].create(vals_list)


def _charge_set(vals_list):
    """What a set of charges says, to compare a new answer with the last."""
    return sorted(
        (v["charge_type"], round(v["amount"], 2), v["currency_id"], v["description"] or "")
        for v in vals_list
    )


def _charge_vals(charges):
    return [
        {
            "charge_type": c.charge_type,
            "amount": c.amount,
            "currency_id": c.currency_id.id,
            "description": c.description,
        }
        for c in charges
    ]
