from odoo import api, fields, models
from odoo.tools.sql import create_unique_index

from ..lib import taxonomy


class LogisticsCarrierCode(models.Model):
    """One of a carrier's own status codes and what it means in the carrier
    taxonomy. A code the carrier sends that is not in the table is added to it
    unmapped, so the admin finds it here, maps it and replays the message."""

    _name = "logistics.carrier.code"
    _inherit = ["logistics.four.eyes.mixin"]
    _description = "Carrier Status Code"
    _order = "backend_id, code"
    _rec_name = "code"

    backend_id = fields.Many2one(
        "logistics.backend",
        string="Carrier",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("kind", "=", "carrier")],
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    code = fields.Char(string="Carrier Code", required=True)
    name = fields.Char(string="Carrier's Description", help="As the carrier describes it.")
    status = fields.Selection(
        taxonomy.selection(),
        help="What the code means. Empty: not mapped yet; events carrying it raise "
        "an 'unmapped code' exception instead of being guessed.",
    )
    reason = fields.Selection(
        taxonomy.reason_selection(),
        string="Incident Reason",
        help="Why, for delivery failures, delays and holds.",
    )
    milestone = fields.Char(
        string="Canonical Milestone",
        compute="_compute_milestone",
        help="The milestone this code records on the shipment.",
    )

    def init(self):
        create_unique_index(
            self.env.cr, "logistics_carrier_code_unique", self._table, ["backend_id", "code"]
        )

    @api.depends("status", "reason")
    def _compute_milestone(self):
        Codes = self.env["logistics.milestone.code"]
        for row in self:
            code = taxonomy.milestone_for(row.status, row.reason) if row.status else False
            row.milestone = code and Codes._by_code(code).name

    @api.model
    def _meanings(self, backend, codes):
        """``{code: (status, reason)}`` for the codes of ``backend`` that are
        mapped; a code spelled like a taxonomy status means that status."""
        rows = self.search_fetch(
            [("backend_id", "=", backend.id), ("code", "in", list(codes))],
            ["code", "status", "reason"],
        )
        meanings = {row.code: (row.status, row.reason) for row in rows if row.status}
        for code in codes:
            if code not in meanings and code.lower() in taxonomy.STATUSES:
                meanings[code] = (code.lower(), False)
        return meanings

    @api.model
    def _note_unmapped(self, backend, codes_and_texts):
        """Add the codes not in the table yet, unmapped, with the carrier's text."""
        known = set(
            self.search(
                [("backend_id", "=", backend.id), ("code", "in", list(codes_and_texts))]
            ).mapped("code")
        )
        self.create(
            [
                {"backend_id": backend.id, "code": code, "name": text}
                for code, text in codes_and_texts.items()
                if code not in known
            ]
        )

    def _four_eyes_guarded(self, vals):
        """A production carrier's codes."""
        return self.filtered(lambda record: record.backend_id.environment == "production")
