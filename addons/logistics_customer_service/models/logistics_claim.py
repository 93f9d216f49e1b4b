from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

CLAIM_TYPES = [
    ("damage", "Damage"),
    ("shortage", "Shortage"),
    ("loss", "Loss"),
    ("delay", "Delay Penalty"),
]
CLAIM_STATES = [
    ("draft", "Draft"),
    ("filed", "Filed with Carrier"),
    ("accepted", "Accepted by Carrier"),
    ("rejected", "Rejected by Carrier"),
    ("settled", "Settled"),
    ("cancelled", "Cancelled"),
]
# a claim in one of these holds the shipment's invoice
OPEN_STATES = ("draft", "filed", "accepted", "rejected")
# what an exception of this type is a claim for
CLAIM_TYPE_OF_EXCEPTION = {
    "damaged": "damage",
    "lost": "loss",
    "refused": "damage",
    "delayed": "delay",
}


class LogisticsClaim(models.Model):
    """A customer's claim for damage, shortage, loss or delay, filed with the
    carrier within its claim window. Settling it books what we pay the
    customer (a credit note) and what the carrier pays us (a vendor credit
    note) through Odoo's own accounting."""

    _name = "logistics.claim"
    _description = "Freight Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, index=True, tracking=True, check_company=True
    )
    exception_id = fields.Many2one(
        "logistics.exception",
        string="From Exception",
        domain="[('shipment_id', '=', shipment_id)]",
        check_company=True,
    )
    customer_id = fields.Many2one(
        related="shipment_id.customer_id", store=True, index=True, string="Customer"
    )
    carrier_id = fields.Many2one(
        "res.partner",
        compute="_compute_carrier_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('is_logistics_carrier', '=', True)]",
    )
    claim_type = fields.Selection(CLAIM_TYPES, required=True, default="damage", tracking=True)
    description = fields.Text(help="What happened, in the customer's words.")
    state = fields.Selection(
        CLAIM_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    claimed_amount = fields.Monetary(
        required=True, tracking=True, help="What the customer claims from us."
    )
    carrier_liable = fields.Boolean(
        default=True, tracking=True, help="The carrier answers for it: we claim it from them."
    )
    recovery_amount = fields.Monetary(
        string="Claimed from Carrier",
        compute="_compute_recovery_amount",
        store=True,
        readonly=False,
        tracking=True,
    )
    recovered_amount = fields.Monetary(
        string="Carrier Pays", tracking=True, help="What the carrier accepted to pay."
    )
    settled_amount = fields.Monetary(
        string="Customer Receives",
        compute="_compute_settled_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="What the customer is credited when the claim is settled.",
    )
    incident_date = fields.Date(
        compute="_compute_incident_date",
        store=True,
        readonly=False,
        help="The delivery (or the day it should have been): the claim window counts from it.",
    )
    deadline = fields.Date(
        string="File Before",
        compute="_compute_deadline",
        store=True,
        help="The last day to file with the carrier: the incident date plus the carrier's "
        "claim window.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    filed_date = fields.Date(readonly=True, copy=False, tracking=True)
    settled_date = fields.Date(readonly=True, copy=False)
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    recovery_bill_id = fields.Many2one(
        "account.move", string="Carrier Credit Note", readonly=True, copy=False
    )
    pod_attachment_ids = fields.Many2many(
        "ir.attachment",
        compute="_compute_pod_attachment_ids",
        string="Proof of Delivery",
        help="The POD kept on the shipment: evidence of what was signed for.",
    )

    _sql_constraints = [
        ("claimed_positive", "CHECK (claimed_amount > 0)", "A claim is for a positive amount."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("logistics.claim") or "/"
        claims = super().create(vals_list)
        claims.shipment_id._billing_touch()
        return claims

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:  # an open claim holds the invoice, a closed one no longer
            self.shipment_id._billing_touch()
        return result

    @api.depends("shipment_id")
    def _compute_carrier_id(self):
        for claim in self:
            claim.carrier_id = claim.carrier_id or claim.shipment_id.carrier_id

    @api.depends("claimed_amount", "carrier_liable")
    def _compute_recovery_amount(self):
        for claim in self:
            claim.recovery_amount = claim.claimed_amount if claim.carrier_liable else 0.0

    @api.depends("claimed_amount")
    def _compute_settled_amount(self):
        for claim in self:
            claim.settled_amount = claim.claimed_amount

    @api.depends("shipment_id.actual_delivery", "shipment_id.planned_delivery")
    def _compute_incident_date(self):
        for claim in self:
            shipment = claim.shipment_id
            moment = shipment.actual_delivery or shipment.planned_delivery or claim.create_date
            claim.incident_date = claim.incident_date or (moment and moment.date())

    @api.depends("incident_date", "carrier_id.logistics_claim_window_days")
    def _compute_deadline(self):
        for claim in self:
            window = claim.carrier_id.logistics_claim_window_days
            claim.deadline = (
                claim.incident_date + timedelta(days=window)
                if claim.incident_date and window
                else False
            )

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for claim in self:
            claim.is_overdue = bool(
                claim.state == "draft" and claim.deadline and claim.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue claims."))
        overdue = [("state", "=", "draft"), ("deadline", "<", fields.Date.context_today(self))]
        return overdue if (operator == "=") == value else ["!", *overdue]

    def _compute_pod_attachment_ids(self):
        for claim in self:
            claim.pod_attachment_ids = claim.shipment_id._pod_documents()

    # --- life cycle ---------------------------------------------------------------

    def action_file(self):
        """Filed with the carrier: within its claim window, for an amount."""
        for claim in self._in_state("draft"):
            if not claim.carrier_liable:
                raise UserError(
                    self.env._("%s is not the carrier's: settle it without filing.", claim.name)
                )
            if not claim.carrier_id or claim.recovery_amount <= 0:
                raise UserError(
                    self.env._("%s needs a carrier and an amount to claim from it.", claim.name)
                )
            today = fields.Date.context_today(self)
            if claim.deadline and claim.deadline < today:
                raise UserError(
                    self.env._(
                        "%(claim)s: the carrier's claim window closed on %(deadline)s.",
                        claim=claim.name,
                        deadline=claim.deadline,
                    )
                )
            claim.write({"state": "filed", "filed_date": today})

    def action_accept(self):
        for claim in self._in_state("filed"):
            claim.write(
                {
                    "state": "accepted",
                    "recovered_amount": claim.recovered_amount or claim.recovery_amount,
                }
            )

    def action_reject(self):
        self._in_state("filed").write({"state": "rejected", "recovered_amount": 0.0})

    def action_cancel(self):
        self._in_state("draft", "filed").write({"state": "cancelled"})

    def action_settle(self):
        """Book the credit note to the customer and the carrier's credit note,
        post both, and close the exception the claim came from."""
        for claim in self:
            if claim.state not in ("accepted", "rejected") and not (
                claim.state == "draft" and not claim.carrier_liable
            ):
                raise UserError(
                    self.env._(
                        "%s is settled once the carrier has answered (or, when the carrier "
                        "is not liable, from draft).",
                        claim.name,
                    )
                )
            claim.settled_date = fields.Date.context_today(self)
            values = {"state": "settled"}
            if claim.settled_amount > 0:
                values["credit_note_id"] = claim._book(
                    "out_refund", claim.customer_id.commercial_partner_id, claim.settled_amount
                ).id
            if claim.state == "accepted" and claim.recovered_amount > 0:
                values["recovery_bill_id"] = claim._book(
                    "in_refund", claim.carrier_id.commercial_partner_id, claim.recovered_amount
                ).id
            claim.write(values)
            if claim.exception_id.state in ("new", "assigned"):
                claim.exception_id.write(
                    {"resolution": self.env._("Claim %s settled.", claim.name)}
                )
                claim.exception_id.action_resolve()

    def _in_state(self, *states):
        wrong = self.filtered(lambda claim: claim.state not in states)
        if wrong:
            labels = dict(CLAIM_STATES)
            raise UserError(
                self.env._(
                    "%(claims)s cannot do this while %(state)s.",
                    claims=", ".join(wrong.mapped("name")),
                    state=labels[wrong[0].state].lower(),
                )
            )
        return self

    def _book(self, move_type, partner, amount):
        """A posted credit note of ``move_type`` for ``amount``, through the
        claim product's accounts and taxes."""
        self.ensure_one()
        if not partner:
            raise UserError(self.env._("%s: nobody to book it to.", self.name))
        product = self.env.ref("logistics_customer_service.product_claim_settlement")
        labels = dict(CLAIM_TYPES)
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": self.settled_date or fields.Date.context_today(self),
                    "ref": self.name,
                    "invoice_origin": self.shipment_id.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": self.env._(
                                    "%(claim)s: %(type)s claim on %(shipment)s",
                                    claim=self.name,
                                    type=labels[self.claim_type].lower(),
                                    shipment=self.shipment_id.name,
                                ),
                                "quantity": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def action_view_moves(self):
        moves = self.credit_note_id | self.recovery_bill_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claim Accounting"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", moves.ids)],
        }
