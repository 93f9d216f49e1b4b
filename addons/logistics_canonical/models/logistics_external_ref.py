from odoo import api, fields, models
from odoo.tools import SQL


class LogisticsExternalRef(models.Model):
    """How one backend names one of our records: the cross-reference that lets
    many systems (TMS load id, carrier PRO, EDI shipment id) name one shipment."""

    _name = "logistics.external.ref"
    _description = "External Reference"
    _order = "backend_id, external_id"
    _rec_name = "external_id"

    backend_id = fields.Many2one("logistics.backend", required=True, ondelete="cascade", index=True)
    res_model = fields.Char(string="Model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", required=True, index=True
    )
    external_id = fields.Char(string="External ID", required=True)
    kind = fields.Char(help="What the identifier is for the backend: load id, PRO, BOL…")
    company_id = fields.Many2one(related="backend_id.company_id", store=True)

    _sql_constraints = [
        (
            "backend_model_external_unique",
            "UNIQUE (backend_id, res_model, external_id)",
            "This backend already uses that identifier for another record.",
        ),
    ]

    @api.model
    def _find(self, backend, model_name, external_id):
        """Return the record ``backend`` names ``external_id``, or an empty recordset."""
        ref = self.search(
            [
                ("backend_id", "=", backend.id),
                ("res_model", "=", model_name),
                ("external_id", "=", external_id),
            ],
            limit=1,
        )
        return self.env[model_name].browse(ref.res_id).exists()

    @api.model
    def _bind(self, backend, record, external_id, kind=None):
        """Record that ``backend`` calls ``record`` ``external_id`` (idempotent).

        Two transactions may learn the same name at once (a TMS's answer to a
        tender and its webhook saying the same): the second waits for the
        first and inserts nothing, rather than failing on the unique index."""
        existing = self._find(backend, record._name, external_id)
        if existing:
            return existing
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO logistics_external_ref
                    (backend_id, company_id, res_model, res_id, external_id, kind,
                     create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s,
                        now() at time zone 'UTC', now() at time zone 'UTC')
                ON CONFLICT (backend_id, res_model, external_id) DO NOTHING
                """,
                backend.id,
                backend.company_id.id,
                record._name,
                record.id,
                external_id,
                kind,
                self.env.uid,
                self.env.uid,
            )
        )
        self.invalidate_model()
        return self._find(backend, record._name, external_id)
