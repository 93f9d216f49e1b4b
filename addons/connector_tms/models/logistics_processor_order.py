from odoo import models

from odoo.addons.logistics_canonical.lib.timeutil import parse_event_time
from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib.template import SCHEMAS, document_problems

SCHEMA = SCHEMAS / "order-v1.json"


class LogisticsProcessorOrder(models.AbstractModel):
    """A customer's transport order from the API: a confirmed sale order (so a
    shipment and a tender, as for an order typed in Odoo), replaced by a higher
    revision, cancelled on request. Orders are kept apart per customer and
    order number; a revision not newer than the order's changes nothing."""

    _name = "logistics.processor.order"
    _inherit = "logistics.processor"
    _description = "Transport Order Processor"
    _processor_for = (("*", "order"),)

    def _admit(self, item, document=None):
        document = self._json_document(item, document)
        if document is None:
            return [{"field": "", "message": "payload is not JSON"}]
        problems = document_problems(SCHEMA, document)
        if problems:
            return problems
        identity = ":".join(
            [
                "order",
                document["customer_code"],
                document["order_ref"],
                str(document.get("revision", 1)),
                "cancel" if document.get("cancel") else "",
            ]
        )
        item["idempotency_key"] = item.get("idempotency_key") or identity[:255]
        item["subject_ref"] = document["order_ref"]
        return []

    def _decode(self, message):
        return [self._json_payload(message)]

    def _map(self, message, document):
        company = message.backend_id.company_id
        customer = self.env["res.partner"].search(
            [
                ("ref", "=", document["customer_code"]),
                ("company_id", "in", [company.id, False]),
                ("parent_id", "=", False),
            ],
            limit=2,
        )
        if len(customer) != 1:
            raise PermanentError(
                f"{'no' if not customer else 'more than one'} customer with the code "
                f"{document['customer_code']!r}",
                code="unknown_customer",
                field="customer_code",
            )
        lines = []
        for index, line in enumerate(document["lines"]):
            product = self.env["product.product"].search(
                [("default_code", "=", line["product"]), ("company_id", "in", [company.id, False])],
                limit=1,
            )
            if not product:
                raise PermanentError(
                    f"no product with the reference {line['product']!r}",
                    code="unknown_product",
                    field=f"lines/{index}/product",
                )
            lines.append((product, line["quantity"]))
        return {"document": document, "customer": customer, "lines": lines}

    def _apply_many(self, items):
        return [self._apply_one(message, mapped) for message, mapped in items]

    def _apply_one(self, message, mapped):
        document, customer = mapped["document"], mapped["customer"]
        delivery = document.get("requested_delivery")
        order = self.env["sale.order"]._receive_customer_order(
            customer,
            message.backend_id.company_id,
            document["order_ref"],
            [
                {"product_id": product.id, "product_uom_qty": quantity}
                for product, quantity in mapped["lines"]
            ],
            revision=document.get("revision", 1),
            cancel=document.get("cancel", False),
            partner_shipping_id=self._ship_to(customer, document["ship_to"]).id,
            commitment_date=parse_event_time(delivery)[0] if delivery else False,
        )
        return order.logistics_shipment_ids[:1]

    def _ship_to(self, customer, address):
        """The customer's delivery address of that name and city, added when new."""
        found = customer.child_ids.filtered(
            lambda p: (p.name or "").lower() == address["name"].lower()
            and (p.city or "").lower() == address["city"].lower()
        )[:1]
        if found:
            return found
        country = self.env["res.country"].search([("code", "=", address["country"])], limit=1)
        return self.env["res.partner"].create(
            {
                "parent_id": customer.id,
                "type": "delivery",
                "name": address["name"],
                "street": address.get("street"),
                "city": address["city"],
                "zip": address.get("zip"),
                "country_id": country.id,
            }
        )
