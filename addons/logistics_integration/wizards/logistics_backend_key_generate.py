from odoo import fields, models


class LogisticsBackendKeyGenerate(models.TransientModel):
    """Generate an API key and show it once: only its hash is kept."""

    _name = "logistics.backend.key.generate"
    _description = "Generate a Backend API Key"

    backend_id = fields.Many2one("logistics.backend", required=True)
    name = fields.Char(required=True, default=lambda self: self.env._("API key"))
    scope_ids = fields.Many2many(
        "logistics.api.scope",
        string="Scopes",
        required=True,
        default=lambda self: self.env["logistics.api.scope"].search([]),
        help="What the key may do. Untick what the partner does not need: a key outside its "
        "scopes is refused with a 403 naming the missing one.",
    )
    key = fields.Char(readonly=True)

    def action_generate(self):
        self.ensure_one()
        _record, key = self.env["logistics.backend.key"]._generate(
            self.backend_id, self.name, scopes=self.scope_ids
        )
        self.key = key
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("logistics_integration.view_backend_key_generate_done").id, "form")
            ],
            "target": "new",
        }
