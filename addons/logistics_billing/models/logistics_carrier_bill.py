from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from odoo.addons.logistics_canonical.models.logistics_freight_charge import (
    CHARGE_TYPE_SELECTION,
)

LINE_HOLDS = [
    ("over_tolerance", "Outside tolerance"),
    ("no_expected_cost", "No expected cost (no carrier rate card or lane)"),
]


class LogisticsCarrierBill(models.Model):
    """A carrier's freight bill (an EDI 210, a carrier API's invoice), matched
    line by line to the shipments it charges and what their carrier rate
    cards expect. Within tolerance everywhere, it is approved by itself and
    drafted as a vendor bill; otherwise its lines say why it is held."""

    _name = "logistics.carrier.bill"
    _description = "Carrier Freight Bill"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Bill Number", required=True, readonly=True, index=True)
    carrier_id = fields.Many2one("res.partner", required=True, readonly=True, index=True)
    backend_id = fields.Many2one("logistics.backend", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    line_ids = fields.One2many("logistics.carrier.bill.line", "bill_id", readonly=True)
    state = fields.Selection(
        [("held", "Held"), ("approved", "Approved")],
        required=True,
        default="held",
        readonly=True,
        index=True,
        tracking=True,
    )
    auto_approved = fields.Boolean(
        readonly=True, help="Approved without a person: every line within tolerance."
    )
    approval_note = fields.Text(help="Why a held bill was approved anyway.")
    vendor_bill_id = fields.Many2one("account.move", readonly=True, copy=False)
    amount_total = fields.Monetary(compute="_compute_totals", store=True)
    expected_total = fields.Monetary(compute="_compute_totals", store=True)
    variance = fields.Monetary(compute="_compute_totals", store=True)
    held_line_count = fields.Integer(compute="_compute_totals", store=True)
    bill_count = fields.Integer(default=1, readonly=True, help="1 per bill, for KPIs.")
    auto_approved_share = fields.Float(
        string="Auto-approved (%)",
        compute="_compute_auto_approved_share",
        aggregator="max",  # computed as a ratio of sums by _read_group_select
        store=True,
    )

    _sql_constraints = [
        (
            "number_unique",
            "UNIQUE (company_id, carrier_id, name)",
            "A carrier's bill number is unique.",
        )
    ]

    @api.depends("line_ids.amount", "line_ids.expected_amount", "line_ids.hold_reason")
    def _compute_totals(self):
        for bill in self:
            bill.amount_total = sum(bill.line_ids.mapped("amount"))
            bill.expected_total = sum(bill.line_ids.mapped("expected_amount"))
            bill.variance = bill.amount_total - bill.expected_total
            bill.held_line_count = len(bill.line_ids.filtered("hold_reason"))

    @api.depends("auto_approved")
    def _compute_auto_approved_share(self):
        for bill in self:
            bill.auto_approved_share = 100.0 if bill.auto_approved else 0.0

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        # a share is the group's auto-approved bills over its bills, never an
        # average of the sub-groups' shares
        if parse_read_group_spec(aggregate_spec)[0] == "auto_approved_share":
            return SQL(
                "100.0 * COUNT(*) FILTER (WHERE %s) / NULLIF(COUNT(*), 0)",
                self._field_to_sql(self._table, "auto_approved", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    # --- from the charges a carrier billed ----------------------------------------------

    @api.model
    def _sync(self, shipments):
        """Bring the bills of the cost charges that came on one (a bill number)
        up to date with the audit of their shipments."""
        charges = shipments.charge_ids.filtered(
            lambda c: c.side == "cost" and c.bill_ref and c.validation_state != "rejected"
        )
        groups = {}
        for charge in charges:
            carrier = charge.backend_id.partner_id or charge.shipment_id.carrier_id
            if carrier:
                key = (charge.company_id, carrier.commercial_partner_id, charge.bill_ref)
                groups.setdefault(key, self.env["logistics.freight.charge"])
                groups[key] |= charge
        for (company, carrier, number), bill_charges in groups.items():
            bill = self.search(
                [
                    ("company_id", "=", company.id),
                    ("carrier_id", "=", carrier.id),
                    ("name", "=", number),
                ]
            ) or self.create(
                {
                    "name": number,
                    "carrier_id": carrier.id,
                    "company_id": company.id,
                    "backend_id": bill_charges.backend_id[:1].id,
                    "currency_id": bill_charges.currency_id[:1].id,
                }
            )
            bill._match(bill_charges)

    def _match(self, charges):
        self.ensure_one()
        Line = self.env["logistics.carrier.bill.line"]
        for charge in charges:
            vals = Line._vals_for(charge)
            line = self.line_ids.filtered(lambda candidate, c=charge: candidate.charge_id == c)
            if not line:
                Line.create({**vals, "bill_id": self.id, "charge_id": charge.id})
            elif any(line[name] != value for name, value in vals.items()):
                line.write(vals)
        if self.state == "held" and not self.line_ids.filtered("hold_reason"):
            self._approve(auto=True)

    def action_approve(self):
        for bill in self.filtered(lambda b: b.state == "held"):
            if not bill.approval_note:
                raise UserError(
                    self.env._("Say why %s is approved although lines are held.", bill.name)
                )
            bill.message_post(body=self.env._("Approved anyway: %s", bill.approval_note))
            bill._approve(auto=False)

    def _approve(self, auto):
        """Approve and draft the vendor bill (taxes and expense accounts from
        the freight products, as on any vendor bill)."""
        self.ensure_one()
        Product = self.env["product.product"]
        move = (
            self.env["account.move"]
            .with_context(default_move_type="in_invoice")
            .create(
                {
                    "move_type": "in_invoice",
                    "partner_id": self.carrier_id.id,
                    "company_id": self.company_id.id,
                    "currency_id": self.currency_id.id,
                    "ref": self.name,
                    "invoice_date": fields.Date.context_today(self),
                    "logistics_shipment_ids": [Command.set(self.line_ids.shipment_id.ids)],
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": Product._logistics_product_for(line.charge_type).id,
                                "name": f"{line.shipment_id.name}: {line.description}",
                                "quantity": 1,
                                "price_unit": line.amount,
                                "logistics_shipment_id": line.shipment_id.id,
                            }
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        self.write({"state": "approved", "auto_approved": auto, "vendor_bill_id": move.id})

    def action_view_vendor_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.vendor_bill_id.id,
            "view_mode": "form",
        }


class LogisticsCarrierBillLine(models.Model):
    _name = "logistics.carrier.bill.line"
    _description = "Carrier Freight Bill Line"
    _order = "bill_id, shipment_id, id"

    bill_id = fields.Many2one(
        "logistics.carrier.bill", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="bill_id.currency_id")
    charge_id = fields.Many2one(
        "logistics.freight.charge", required=True, ondelete="cascade", index=True
    )
    shipment_id = fields.Many2one("logistics.shipment", required=True, index=True)
    charge_type = fields.Selection(CHARGE_TYPE_SELECTION, required=True)
    description = fields.Char()
    amount = fields.Monetary()
    expected_amount = fields.Monetary()
    hold_reason = fields.Selection(LINE_HOLDS)

    @api.model
    def _vals_for(self, charge):
        shipment = charge.shipment_id
        if shipment.cost_audit == "no_card":
            hold = "no_expected_cost"
        elif charge.audit_status == "mismatched":
            hold = "over_tolerance"
        else:
            hold = False
        return {
            "shipment_id": shipment.id,
            "charge_type": charge.charge_type,
            "description": charge.description or charge.charge_type,
            "amount": charge.amount,
            "expected_amount": charge.expected_amount,
            "hold_reason": hold,
        }
