from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

BILLING_STATES = [
    ("waiting", "Not Delivered Yet"),
    ("held", "Held"),
    ("billable", "Ready to Invoice"),
    ("invoiced", "Invoiced"),
    ("not_billable", "Not Billable"),
]
HOLD_REASONS = [
    ("no_customer", "No customer"),
    ("credit_hold", "Customer on credit hold"),
    ("blocking_exception", "Blocking exception open"),
    ("pod_missing", "POD missing"),
    ("pod_late", "POD late"),
    ("charges_missing", "No charges to bill"),
    ("charge_mismatch", "Charges do not match the rate card"),
]
AUDIT_STATUSES = [
    ("none", "Nothing to Audit"),
    ("no_card", "No Rate Card"),
    ("matched", "Matched"),
    ("within_variance", "Within Variance"),
    ("mismatched", "Mismatched"),
]
# a proof of delivery cannot be waived: no POD, no invoice
UNRELEASABLE = ("pod_missing", "pod_late")
BILLING_CODES = ("DELIVERED", "POD_RECEIVED", "CANCELLED")


class LogisticsShipment(models.Model):
    """Billing readiness: a shipment is invoiced once its POD is in, its
    charges pass the audit and nothing blocks it; otherwise it is held with
    the reason a person can act on."""

    _inherit = "logistics.shipment"

    # what rating needs beyond the canonical shipment
    volume_m3 = fields.Float(string="Volume (m³)")
    distance_km = fields.Float(string="Distance (km)")
    expected_charge_ids = fields.One2many(
        "logistics.expected.charge", "shipment_id", string="Expected Charges"
    )
    revenue_audit = fields.Selection(AUDIT_STATUSES, default="none", readonly=True, index=True)
    cost_audit = fields.Selection(AUDIT_STATUSES, default="none", readonly=True, index=True)
    revenue_variance = fields.Monetary(readonly=True, currency_field="currency_id")
    cost_variance = fields.Monetary(readonly=True, currency_field="currency_id")

    billing_state = fields.Selection(
        BILLING_STATES, default="waiting", required=True, readonly=True, index=True, tracking=True
    )
    billing_hold_reason = fields.Selection(
        HOLD_REASONS, string="Hold Reason", readonly=True, index=True, tracking=True
    )
    billing_released_reason = fields.Selection(
        HOLD_REASONS,
        string="Released Hold",
        readonly=True,
        copy=False,
        help="The hold a manager released: it no longer stops this shipment.",
    )
    billing_dirty = fields.Boolean(
        readonly=True, copy=False, index="btree_not_null", help="To be evaluated again."
    )
    pod_milestone_id = fields.Many2one(
        "logistics.milestone", string="Proof of Delivery", readonly=True, copy=False
    )
    pod_date = fields.Datetime(string="POD Received", readonly=True, copy=False)
    billing_attempt = fields.Integer(
        default=0,
        readonly=True,
        copy=False,
        help="Raised on purpose to invoice again after a credit note (a new billing key).",
    )
    billing_key_ids = fields.One2many("logistics.billing.key", "shipment_id", readonly=True)
    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True, copy=False)
    invoice_state = fields.Selection(related="invoice_id.state", string="Invoice Status")
    invoice_payment_state = fields.Selection(related="invoice_id.payment_state")
    invoiced_at = fields.Datetime(readonly=True, copy=False)
    pod_to_invoice_hours = fields.Float(
        string="POD to Invoice (h)", readonly=True, copy=False, aggregator="avg"
    )
    billing_amount = fields.Monetary(
        compute="_compute_billing_amount",
        string="To Invoice",
        currency_field="currency_id",
        help="What the invoice will bill: the revenue charges reported, else the rate card's.",
    )
    billing_age_days = fields.Integer(compute="_compute_billing_age_days", string="Days Unbilled")

    def _compute_billing_amount(self):
        for shipment in self:
            shipment.billing_amount = sum(shipment._billing_lines().mapped("amount"))

    def _compute_billing_age_days(self):
        today = fields.Datetime.now()
        for shipment in self:
            since = shipment.actual_delivery or shipment.pod_date
            unbilled = shipment.billing_state in ("held", "billable") and since
            # an event time the partner reports ahead of our clock is not a negative age
            shipment.billing_age_days = max((today - since).days, 0) if unbilled else 0

    # --- what makes a shipment worth a look -------------------------------------------

    def _billing_touch(self):
        """Something billing depends on changed: evaluate again, in a job (an
        invoiced shipment too: its carrier's bill may come after)."""
        shipments = self.filtered(lambda s: not s.billing_dirty)
        if shipments:
            shipments.write({"billing_dirty": True})
            self.env["logistics.billing.run"]._schedule()

    # --- rating ----------------------------------------------------------------------

    def _rating_day(self):
        self.ensure_one()
        pickup = self.actual_pickup or self.planned_pickup or self.create_date
        return fields.Date.to_date(pickup) if pickup else fields.Date.context_today(self)

    def _card_partner(self, side):
        """Whose rate card prices this side: the customer's, or the carrier's."""
        self.ensure_one()
        return self.customer_id if side == "revenue" else self.carrier_id

    def _charges_of(self, side):
        """The charges partners reported on this side and finance has not rejected."""
        self.ensure_one()
        return self.charge_ids.filtered(
            lambda c: c.side == side and c.validation_state != "rejected"
        )

    # --- readiness -------------------------------------------------------------------

    def _proof_of_delivery(self):
        """The first actual, standing POD: a POD_RECEIVED milestone, or a
        delivery that carries a signed document."""
        self.ensure_one()
        candidates = self.milestone_ids.filtered(
            lambda m: m.classifier == "actual"
            and not m.is_retracted
            and (
                m.milestone_code_id.code == "POD_RECEIVED"
                or (m.milestone_code_id.code == "DELIVERED" and m.document_ref)
            )
        )
        return candidates.sorted(lambda m: (m.event_time, m.id))[:1]

    def _evaluate_billing(self):
        """Rate, audit, and set the billing state and hold reason."""
        Audit = self.env["logistics.freight.audit"]
        Audit._rate(self)
        audited = Audit._audit(self)
        for shipment in self:
            audit = audited[shipment.id]
            vals = {
                **audit,
                **shipment._billing_verdict(audit["revenue_audit"]),
                "billing_dirty": False,
            }
            changed = {
                name: value
                for name, value in vals.items()
                if shipment._fields[name].convert_to_write(shipment[name], shipment) != value
            }
            if changed:
                shipment.write(changed)
        self.env["logistics.carrier.bill"]._sync(self)

    def _billing_verdict(self, revenue_audit):
        self.ensure_one()
        if self.billing_state == "invoiced":
            return {}
        pod = self._proof_of_delivery()
        pod_vals = {"pod_milestone_id": pod.id, "pod_date": pod.event_time if pod else False}
        if self.merged_into_id or self.status == "cancelled":
            return {**pod_vals, "billing_state": "not_billable", "billing_hold_reason": False}
        if not pod and self.status != "delivered":
            return {**pod_vals, "billing_state": "waiting", "billing_hold_reason": False}
        for reason in self._hold_reasons(pod, revenue_audit):
            if reason != self.billing_released_reason:
                return {**pod_vals, "billing_state": "held", "billing_hold_reason": reason}
        return {**pod_vals, "billing_state": "billable", "billing_hold_reason": False}

    def _hold_reasons(self, pod, revenue_audit):
        """Every reason that holds this shipment now, the most pressing first."""
        self.ensure_one()
        customer = self.customer_id.commercial_partner_id
        if not customer:
            yield "no_customer"
        elif customer.logistics_credit_hold:
            yield "credit_hold"
        if self.exception_ids.filtered(
            lambda e: e.state in ("new", "assigned") and e.exception_type_id.blocks_billing
        ):
            yield "blocking_exception"
        if not pod:
            grace = timedelta(hours=self.company_id.logistics_pod_grace_hours)
            delivered = self.actual_delivery
            late = delivered and delivered + grace < fields.Datetime.now()
            yield "pod_late" if late else "pod_missing"
        if revenue_audit == "mismatched":
            yield "charge_mismatch"
        if not self._billing_lines():
            yield "charges_missing"

    def _billing_lines(self):
        """What the customer is billed: the revenue charges reported (a
        mismatch holds the shipment until they pass or a manager accepts
        them), or, when none were reported, what the customer's card says."""
        self.ensure_one()
        return self._charges_of("revenue") or self.expected_charge_ids.filtered(
            lambda e: e.side == "revenue"
        )

    # --- people ----------------------------------------------------------------------

    def action_release_hold(self):
        self.ensure_one()
        if self.billing_state != "held":
            raise UserError(self.env._("%s is not held.", self.name))
        if self.billing_hold_reason in UNRELEASABLE:
            raise UserError(
                self.env._("%s waits for its proof of delivery: a POD cannot be waived.", self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Billing Hold"),
            "res_model": "logistics.billing.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_shipment_id": self.id},
        }

    def _release_hold(self, note):
        self.ensure_one()
        reason = dict(self._fields["billing_hold_reason"]._description_selection(self.env))[
            self.billing_hold_reason
        ]
        self.write({"billing_released_reason": self.billing_hold_reason})
        self.message_post(
            body=self.env._(
                "Billing hold released (%(reason)s) by %(user)s: %(note)s",
                reason=reason,
                user=self.env.user.name,
                note=note,
            )
        )
        self._evaluate_billing()
        self._invoice_ready()

    def action_evaluate_billing(self):
        self._evaluate_billing()
        self._invoice_ready()

    def action_invoice_again(self):
        """After the invoice was reversed by a credit note (or cancelled): a new
        billing key, on purpose, so the shipment can be invoiced once more."""
        for shipment in self:
            invoice = shipment.invoice_id
            if invoice and invoice.state != "cancel" and invoice.payment_state != "reversed":
                raise UserError(
                    self.env._(
                        "%(shipment)s is invoiced on %(invoice)s: reverse it with a credit "
                        "note first.",
                        shipment=shipment.name,
                        invoice=invoice.name,
                    )
                )
            shipment.message_post(
                body=self.env._(
                    "To be invoiced again (billing key %s).", shipment.billing_attempt + 1
                )
            )
            shipment.write(
                {
                    "billing_attempt": shipment.billing_attempt + 1,
                    "billing_state": "waiting",
                    "invoice_id": False,
                    "invoiced_at": False,
                    "pod_to_invoice_hours": 0.0,
                }
            )
        self._evaluate_billing()
        self._invoice_ready()

    @api.model
    def _invoice_policy_of(self, partner):
        return partner.commercial_partner_id.logistics_invoice_policy or "per_shipment"

    def _invoice_ready(self, consolidated=False):
        """Invoice the billable shipments whose customers want it now: one
        invoice per shipment, or (``consolidated``) one per customer."""
        billable = self.filtered(lambda s: s.billing_state == "billable")
        wanted = billable.filtered(
            lambda s: (self._invoice_policy_of(s.customer_id) == "consolidated") == consolidated
        )
        return self.env["logistics.billing.key"]._invoice(wanted, consolidated)

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "view_mode": "form",
        }
