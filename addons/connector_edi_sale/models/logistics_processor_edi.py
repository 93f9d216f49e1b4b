from odoo import models


class LogisticsProcessorEdi(models.AbstractModel):
    _inherit = "logistics.processor.edi"

    def _apply_tender(self, message, document):
        """The tender's shipment, and (when the profile says so) its sale order:
        created and confirmed on the first tender, changed by a changed one,
        cancelled by a cancellation. A tender sent again unchanged changes nothing."""
        shipment = super()._apply_tender(message, document)
        profile = self._profile(message)
        if profile.tenders_make_sale_orders:
            tender = document["data"]
            self.env["sale.order"]._receive_customer_order(
                profile.customer_id,
                profile.company_id,
                tender["shipment_id"],
                [
                    {
                        "product_id": profile.freight_product_id.id,
                        "product_uom_qty": 1,
                        "name": self.env._(
                            "Transport %(load)s: %(origin)s to %(destination)s",
                            load=tender["shipment_id"],
                            origin=shipment.origin_id.city or shipment.origin_id.name or "",
                            destination=shipment.destination_id.city
                            or shipment.destination_id.name
                            or "",
                        ),
                    }
                ],
                cancel=tender.get("purpose") == "01",
                shipment=shipment,
                partner_shipping_id=shipment.destination_id.id,
                commitment_date=shipment.planned_delivery or False,
            )
        return shipment
