from odoo import models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import warehouse


class WarehouseContradiction(PermanentError):
    """The WMS reports what cannot be true of the delivery: nothing moves, a
    person decides (the warehouse team)."""

    code = "warehouse_contradiction"
    exception_type = "warehouse_contradiction"


class LogisticsProcessorWms(models.AbstractModel):
    """An external warehouse system's step on one of our deliveries: picked
    (or short), packed, shipped. It moves the delivery order as a warehouse
    user would, or raises an exception when it contradicts it."""

    _name = "logistics.processor.wms"
    _inherit = "logistics.processor"
    _description = "Warehouse Event Processor"
    _processor_for = (("wms", "wms_event"),)

    def _admit(self, item, document=None):
        document = self._json_document(item, document)
        if document is None:
            return [{"field": "", "message": "payload is not JSON"}]
        problems = warehouse.event_problems(document)
        if problems:
            return problems
        item["idempotency_key"] = item.get("idempotency_key") or f"wms:{document['event_id']}"
        item["subject_ref"] = document["picking"]
        return []

    def _decode(self, message):
        return [self._json_payload(message)]

    def _map(self, message, event):
        picking = self.env["stock.picking"].search(
            [
                ("name", "=", event["picking"]),
                ("company_id", "=", message.backend_id.company_id.id),
                ("picking_type_code", "=", "outgoing"),
            ],
            limit=1,
        )
        if not picking:
            raise PermanentError(
                f"no delivery order {event['picking']}", code="unknown_picking", field="picking"
            )
        lines = {}
        for line in event.get("lines") or ():
            lines[line["product"]] = lines.get(line["product"], 0) + line["quantity"]
        return {"event": event, "picking": picking, "lines": lines}

    def _apply_many(self, items):
        return [self._apply_one(message, mapped) for message, mapped in items]

    def _apply_one(self, message, mapped):
        event, picking = mapped["event"], mapped["picking"]
        shipment = picking.logistics_shipment_id
        if picking.state in ("done", "cancel"):
            if event["step"] != "shipped" or picking.state == "cancel":
                raise WarehouseContradiction(
                    f"{picking.name} is {picking.state}: the WMS reports it {event['step']}"
                )
            return shipment  # shipped twice: what is done stays done
        code = picking.picking_type_id.warehouse_id.code
        if code != event["warehouse"]:
            raise WarehouseContradiction(
                f"{picking.name} leaves from warehouse {code}; the WMS reports it "
                f"{event['step']} in {event['warehouse']}",
                field="warehouse",
            )
        moves = {_product_key(move.product_id, mapped["lines"]): move for move in picking.move_ids}
        if event["step"] == "packed":
            picking.move_ids.picked = True
            return shipment
        picked = {key: move.quantity for key, move in moves.items() if move.picked}
        demand = {key: move.product_uom_qty for key, move in moves.items()}
        verdict = warehouse.judge(event["step"], mapped["lines"], demand, picked)
        if verdict.contradictions:
            raise WarehouseContradiction("; ".join(verdict.contradictions), field="lines")
        for key, quantity in verdict.quantities.items():
            moves[key].write({"quantity": quantity, "picked": True})
        if verdict.shortfalls:
            message._open_issue(
                "short_pick",
                self.env._(
                    "%(picking)s short: %(lines)s",
                    picking=picking.name,
                    lines="; ".join(verdict.shortfalls),
                ),
            )
        if event["step"] == "shipped":
            picking._action_done()
        return shipment


def _product_key(product, reported):
    """How the WMS names a product: its internal reference or its barcode."""
    if product.barcode and product.barcode in reported:
        return product.barcode
    return product.default_code or product.barcode or str(product.id)
