from odoo import fields, models


class LogisticsApiScope(models.Model):
    """What an API key may do: each route of the logistics API names the one
    scope it needs, and a key is refused (403, naming it) outside its scopes.
    Modules that add routes add their scopes as data."""

    _name = "logistics.api.scope"
    _description = "API Key Scope"
    _order = "sequence, id"

    code = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [("code_unique", "UNIQUE (code)", "A scope code exists once.")]
