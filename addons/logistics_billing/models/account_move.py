from odoo import api, fields, models

from .logistics_billing_key import invoice_line


class AccountMove(models.Model):
    _inherit = "account.move"

    logistics_shipment_ids = fields.Many2many(
        "logistics.shipment",
        "account_move_logistics_shipment_rel",
        string="Shipments",
        readonly=True,
        copy=False,
    )

    @api.model
    def _logistics_invoice_vals(self, members):
        """A draft invoice for [(shipment, billing lines)]: products and prices
        come from the charges; taxes, accounts, fiscal position, journal and
        analytic from Odoo's own invoice preparation."""
        first = members[0][0]
        currency = members[0][1][:1].currency_id or first.company_id.currency_id
        today = fields.Date.context_today(self)
        Product = self.env["product.product"]
        lines = []
        for shipment, billing_lines in members:
            for line in billing_lines:
                amount = line.currency_id._convert(
                    line.amount, currency, shipment.company_id, today
                )
                lines.append(
                    invoice_line(
                        shipment,
                        Product._logistics_product_for(line.charge_type),
                        line.description or line.charge_type,
                        amount,
                    )
                )
        shipments = self.env["logistics.shipment"].union(*(s for s, _l in members))
        return {
            "move_type": "out_invoice",
            "partner_id": first.customer_id.commercial_partner_id.id,
            "company_id": first.company_id.id,
            "currency_id": currency.id,
            "invoice_origin": ", ".join(shipments.mapped("name"))[:256],
            "ref": ", ".join(filter(None, shipments.mapped("customer_reference")))[:256] or False,
            "logistics_shipment_ids": [fields.Command.set(shipments.ids)],
            "invoice_line_ids": lines,
        }

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted.filtered(
            lambda m: m.move_type == "out_invoice" and m.logistics_shipment_ids
        )._logistics_announce()
        return posted

    def _logistics_announce(self):
        """Tell the customer's subscribers an invoice was posted (outbox: kept
        and retried until delivered)."""
        Outbox = self.env["logistics.outbox"]
        for move in self:
            for backend in self.env["logistics.backend"]._invoice_subscribers(move):
                Outbox._enqueue(
                    backend,
                    "invoice",
                    move._logistics_payload(),
                    f"invoice:{move.id}",
                    shipment_id=move.logistics_shipment_ids[:1].id,
                )

    def _logistics_payload(self):
        self.ensure_one()
        return {
            "type": "invoice.posted",
            "invoice_number": self.name,
            "invoice_date": fields.Date.to_string(self.invoice_date),
            "currency": self.currency_id.name,
            "amount_untaxed": self.amount_untaxed,
            "amount_total": self.amount_total,
            "shipments": [
                {
                    "shipment_ref": shipment.name,
                    "customer_ref": shipment.customer_reference or None,
                    "amount": sum(
                        self.invoice_line_ids.filtered(
                            lambda line, s=shipment: line.logistics_shipment_id == s
                        ).mapped("price_subtotal")
                    ),
                }
                for shipment in self.logistics_shipment_ids
            ],
        }


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    logistics_shipment_id = fields.Many2one(
        "logistics.shipment", string="Shipment", index="btree_not_null", readonly=True
    )
