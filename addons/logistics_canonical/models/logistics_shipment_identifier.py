from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.identity import Known, normalize

# Identifier kinds whose value the shipment also shows in a field of its own.
SHOWN_IN = {"pro": "pro_number", "bol": "bol_number", "customer_order": "customer_reference"}


class LogisticsShipmentIdentifier(models.Model):
    """A number that names a shipment for someone: a PRO for its carrier, a bill of
    lading for its shipper, a load id for the TMS that assigned it.

    Active identifiers are unique within company, environment, kind and scope; a
    carrier's reused number retires the old one (kept, inactive, for history)."""

    _name = "logistics.shipment.identifier"
    _description = "Shipment Identifier"
    _order = "kind_id, id"
    _rec_name = "value"
    _check_company_auto = True

    shipment_id = fields.Many2one(
        "logistics.shipment", required=True, ondelete="cascade", index=True
    )
    kind_id = fields.Many2one(
        "logistics.identifier.kind", string="Type", required=True, ondelete="restrict"
    )
    value = fields.Char(required=True)
    match_value = fields.Char(
        compute="_compute_match_value", store=True, help="The value as matched."
    )
    scope_backend_id = fields.Many2one(
        "logistics.backend",
        string="Issued By Backend",
        ondelete="cascade",
        help="For numbers a backend assigns (load id, EDI shipment id).",
    )
    scope_partner_id = fields.Many2one(
        "res.partner",
        string="Issued By",
        ondelete="restrict",
        help="The carrier of a PRO, the shipper of a bill of lading, the customer of an "
        "order number; empty when the sender did not say.",
    )
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    environment = fields.Selection(related="shipment_id.environment", store=True)
    backend_id = fields.Many2one(
        "logistics.backend", string="Reported By", ondelete="set null", readonly=True
    )
    last_seen = fields.Datetime(
        readonly=True, help="Event time of the latest message that carried it."
    )
    active = fields.Boolean(default=True, help="Retired when its number was reused.")

    def init(self):
        # One active holder per number and scope. The number leads: resolution
        # looks numbers up by value, and must find them fast even before
        # PostgreSQL's statistics know the table has grown (a bulk import, a
        # fresh database); led by company, the index was scanned whole.
        self.env.cr.execute(
            SQL(
                """
                DROP INDEX IF EXISTS logistics_shipment_identifier_scope_unique;
                DROP INDEX IF EXISTS logistics_shipment_identifier__match_value_index;
                CREATE UNIQUE INDEX IF NOT EXISTS logistics_shipment_identifier_number_unique
                    ON logistics_shipment_identifier (
                        match_value, kind_id, COALESCE(scope_backend_id, 0),
                        COALESCE(scope_partner_id, 0), company_id, environment)
                 WHERE active
                """
            )
        )

    @api.depends("value")
    def _compute_match_value(self):
        for identifier in self:
            identifier.match_value = normalize(identifier.value)

    @api.depends("kind_id", "value")
    def _compute_display_name(self):
        for identifier in self:
            identifier.display_name = f"{identifier.kind_id.name}: {identifier.value}"

    def _as_known(self):
        return [
            Known(
                id=identifier.id,
                shipment=identifier.shipment_id.id,
                kind=identifier.kind_id.id,
                match_value=identifier.match_value,
                backend=identifier.scope_backend_id.id,
                partner=identifier.scope_partner_id.id,
                last_seen=identifier.last_seen,
            )
            for identifier in self
        ]

    def _retire_reused(self):
        """The carrier reused these numbers: the old shipments keep them, retired,
        and say so in their chatter."""
        self.active = False
        self.flush_model(["active"])
        for identifier in self:
            identifier.shipment_id.message_post(
                body=self.env._(
                    "%(kind)s %(value)s was reported again after its reuse window of %(days)s "
                    "days: it names a new shipment now, this one keeps it as retired.",
                    kind=identifier.kind_id.name,
                    value=identifier.value,
                    days=identifier.kind_id.reuse_days,
                )
            )

    def _show_on_shipments(self):
        """A PRO, bill of lading or order number learnt later also fills the
        shipment's own field of that name, when empty."""
        for identifier in self:
            field = SHOWN_IN.get(identifier.kind_id.code)
            if field and not identifier.shipment_id[field]:
                identifier.shipment_id[field] = identifier.value
