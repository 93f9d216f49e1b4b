from odoo import api, fields, models, tools
from odoo.tools.sql import create_unique_index


class LogisticsCodeMapping(models.Model):
    """One source code of a code list and the canonical milestone it means.

    A row without backend is the default for its list; a row with a backend
    overrides it for that counterpart only (a carrier that uses a standard
    code its own way, or proprietary codes sent under agency 87/ZZZ).
    """

    _name = "logistics.code.mapping"
    # read through a per-worker cache (_resolve_id), cleared on any change
    _inherit = ["logistics.four.eyes.mixin", "logistics.cached.config"]
    _description = "Source Code Mapping"
    _order = "scheme_id, backend_id desc, code"
    _rec_name = "code"

    scheme_id = fields.Many2one(
        "logistics.code.scheme", string="Code List", required=True, ondelete="cascade", index=True
    )
    code = fields.Char(string="Source Code", required=True)
    name = fields.Char(string="Meaning", translate=True)
    source = fields.Char(help="Where this code and its meaning come from.")
    milestone_code_id = fields.Many2one(
        "logistics.milestone.code",
        string="Canonical Milestone",
        ondelete="restrict",
        help="Empty: the code is known but not mapped yet; events carrying it "
        "raise an 'unmapped code' exception instead of being guessed.",
    )
    backend_id = fields.Many2one(
        "logistics.backend",
        ondelete="cascade",
        help="Only for this backend. Empty: the default for every backend using the list.",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)

    def init(self):
        # One default row per (list, code), and one override per backend.
        create_unique_index(
            self.env.cr,
            "logistics_code_mapping_unique_code",
            self._table,
            ["scheme_id", "code", "COALESCE(backend_id, 0)"],
        )

    @api.model
    def _resolve(self, scheme_code, code, backend=None):
        """Return the mapping row for ``code`` of list ``scheme_code``: the
        backend's own row if any, else the list's default (may be empty)."""
        return self.browse(self._resolve_id(scheme_code, code, backend.id if backend else False))

    @api.model
    @tools.ormcache("scheme_code", "code", "backend_id")
    def _resolve_id(self, scheme_code, code, backend_id):
        """Cached per worker: every event of every channel resolves its code here."""
        domain = [("scheme_id.code", "=", scheme_code), ("code", "=", code)]
        rows = self.sudo().search([*domain, ("backend_id", "in", [backend_id, False])])
        return rows.sorted(lambda row: not row.backend_id)[:1].id

    def _four_eyes_guarded(self, vals):
        """Mappings a production backend overrides for itself."""
        return self.filtered(lambda record: record.backend_id.environment == "production")
