from datetime import timedelta

from odoo import fields, models

from odoo.addons.logistics_canonical.models.logistics_shipment import FINAL_STATUSES

from .logistics_claim import OPEN_STATES
from .logistics_customer_overview import RECENT_INVOICE_DAYS

OVERVIEW_COUNTS = (
    "open_shipments",
    "late_shipments",
    "open_exceptions",
    "claims_in_progress",
    "returns_in_progress",
    "unbilled_deliveries",
    "billing_holds",
    "recent_invoices",
    "unmatched_payments",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_claim_window_days = fields.Integer(
        string="Claim Window (days)",
        default=270,
        help="How long after delivery a claim can be filed with this carrier (270 days: the "
        "nine months of the US Carmack Amendment). 0: no limit.",
    )
    # the customer's line of the customer service overview, for the smart buttons
    logistics_open_shipments = fields.Integer(
        string="Open Shipments", compute="_compute_logistics_overview"
    )
    logistics_late_shipments = fields.Integer(
        string="Late Shipments", compute="_compute_logistics_overview"
    )
    logistics_open_exceptions = fields.Integer(
        string="Open Exceptions", compute="_compute_logistics_overview"
    )
    logistics_claims_in_progress = fields.Integer(
        string="Claims in Progress", compute="_compute_logistics_overview"
    )
    logistics_returns_in_progress = fields.Integer(
        string="Returns in Progress", compute="_compute_logistics_overview"
    )
    logistics_unbilled_deliveries = fields.Integer(
        string="Unbilled Deliveries", compute="_compute_logistics_overview"
    )
    logistics_billing_holds = fields.Integer(
        string="Billing Holds", compute="_compute_logistics_overview"
    )

    logistics_recent_invoices = fields.Integer(
        string="Recent Invoices", compute="_compute_logistics_overview"
    )
    logistics_unmatched_payments = fields.Integer(
        string="Unmatched Payments", compute="_compute_logistics_overview"
    )

    def _compute_logistics_overview(self):
        Overview = self.env["logistics.customer.overview"]
        totals = {}
        if Overview.has_access("read"):
            groups = Overview._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                [f"{name}:sum" for name in OVERVIEW_COUNTS],
            )
            totals = {partner.id: sums for partner, *sums in groups}
        for partner in self:
            sums = totals.get(partner.commercial_partner_id.id, [0] * len(OVERVIEW_COUNTS))
            for name, value in zip(OVERVIEW_COUNTS, sums, strict=True):
                partner[f"logistics_{name}"] = value

    def action_logistics_view(self):
        """One of the smart buttons: the records behind the count (the button's
        context names which)."""
        self.ensure_one()
        customer = [("customer_id", "child_of", self.commercial_partner_id.id)]
        partner_of_lines = [("partner_id", "child_of", self.commercial_partner_id.id)]
        shipments = [*customer, ("environment", "=", "production"), ("merged_into_id", "=", False)]
        still_open = ("status", "not in", FINAL_STATUSES)
        views = {
            "open_shipments": ("logistics.shipment", [*shipments, still_open]),
            "late_shipments": (
                "logistics.shipment",
                [*shipments, still_open, ("is_late", "=", True)],
            ),
            "returns_in_progress": (
                "logistics.shipment",
                [*shipments, still_open, ("return_of_id", "!=", False)],
            ),
            "unbilled_deliveries": (
                "logistics.shipment",
                [*shipments, ("billing_state", "in", ("billable", "held"))],
            ),
            "billing_holds": ("logistics.shipment", [*shipments, ("billing_state", "=", "held")]),
            "open_exceptions": (
                "logistics.exception",
                [*customer, ("state", "in", ("new", "assigned"))],
            ),
            "claims_in_progress": ("logistics.claim", [*customer, ("state", "in", OPEN_STATES)]),
            "recent_invoices": (
                "account.move",
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    (
                        "invoice_date",
                        ">=",
                        fields.Date.context_today(self) - timedelta(days=RECENT_INVOICE_DAYS),
                    ),
                ],
            ),
            "unmatched_payments": (
                "account.bank.statement.line",
                [
                    *partner_of_lines,
                    ("is_reconciled", "=", False),
                    ("amount", ">", 0),
                    ("state", "=", "posted"),
                ],
            ),
        }
        kind = self.env.context.get("logistics_view")
        model, domain = views[kind]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(customer)s: %(what)s",
                customer=self.commercial_partner_id.name,
                what=self._fields[f"logistics_{kind}"].get_description(self.env)["string"],
            ),
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }
