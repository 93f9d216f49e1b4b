import hashlib
from collections import defaultdict

from odoo import models

from odoo.addons.logistics_canonical.models.logistics_shipment import FINAL_STATUSES

from ..lib.positions import read_position


class LogisticsProcessorTelematics(models.AbstractModel):
    """A batch of truck positions: stored in one statement, then each truck's
    shipments follow their track (geofence milestones, last position, ETA)."""

    _name = "logistics.processor.telematics"
    _inherit = "logistics.processor"
    _description = "Telematics Positions Processor"
    _processor_for = (("telematics", "positions"),)

    def _admit(self, item, document=None):
        """``{"positions": [...]}``, each readable; one lane, so a truck's
        batches are followed in the order they came."""
        document = self._json_document(item, document)
        positions = document.get("positions") if isinstance(document, dict) else None
        if not isinstance(positions, list) or not positions:
            return [{"field": "positions", "message": "a non-empty list of positions is expected"}]
        for index, raw in enumerate(positions):
            _position, problem = read_position(raw)
            if problem:
                return [{"field": f"positions/{index}", "message": problem}]
        digest = hashlib.sha256(item["payload"].encode()).hexdigest()
        item["idempotency_key"] = item.get("idempotency_key") or f"positions:{digest}"
        item["subject_ref"] = "positions"
        return []

    def _decode(self, message):
        return [self._json_payload(message)]

    def _map(self, message, document):
        return {"positions": [read_position(raw)[0] for raw in document["positions"]]}

    def _apply_many(self, items):
        return [self._apply_positions(message, mapped["positions"]) for message, mapped in items]

    def _apply_positions(self, message, positions):
        """Store the positions; return the shipments whose trucks moved."""
        self.env["logistics.vehicle.position"]._store(message, positions)
        tracks = defaultdict(list)
        for position in sorted(positions, key=lambda p: p["time"]):
            tracks[("vehicle", position["vehicle"])].append(position)
            if position.get("shipment_ref"):
                tracks[("ref", position["shipment_ref"])].append(position)
        followed = self.env["logistics.shipment"]
        for shipment, track in self._shipments_of(message.backend_id, tracks):
            shipment._telematics_follow(message, track)
            followed |= shipment
        return followed

    def _shipments_of(self, backend, tracks):
        """``(shipment, track)`` of each open shipment of the backend's company
        and environment on a reporting truck (by its vehicle, or named by ref)."""
        Shipment = self.env["logistics.shipment"]
        vehicles = [value for kind, value in tracks if kind == "vehicle"]
        on_trucks = Shipment.search(
            [
                ("vehicle", "in", vehicles),
                ("status", "not in", FINAL_STATUSES),
                ("company_id", "=", backend.company_id.id),
                ("environment", "=", backend.environment),
            ]
        )
        found = [(shipment, tracks[("vehicle", shipment.vehicle)]) for shipment in on_trucks]
        for kind, ref in tracks:
            if kind == "ref":
                shipment = Shipment._by_name(ref, backend.company_id)
                if shipment and shipment not in on_trucks:
                    found.append((shipment, tracks[(kind, ref)]))
        return found

    def _subject_of(self, record):
        return super()._subject_of(record[:1])
