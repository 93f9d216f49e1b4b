from odoo import fields, models

KINDS = [("customers", "Customer"), ("locations", "Location")]


class LogisticsTmsMasterRecord(models.Model):
    """What a TMS has of one customer or location: the fingerprint of the
    record last sent, and whether the TMS took it. A record whose fingerprint
    is unchanged is not sent again; a refused one says why."""

    _name = "logistics.tms.master.record"
    _description = "Master Data Sent to a TMS"
    _order = "state desc, sent_at desc, id desc"
    _rec_name = "code"

    backend_id = fields.Many2one(
        "logistics.backend", string="TMS", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Partner", required=True, readonly=True, ondelete="cascade"
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    code = fields.Char(readonly=True, help="The key the TMS knows the customer or location by.")
    state = fields.Selection(
        [("sent", "Taken by the TMS"), ("refused", "Refused")], required=True, readonly=True
    )
    reason = fields.Char(readonly=True, help="Why the record was refused (by the hub or the TMS).")
    fingerprint = fields.Char(readonly=True, help="Of the record as last sent.")
    sent_at = fields.Datetime(string="Sent", readonly=True)

    _sql_constraints = [
        (
            "backend_partner_kind_unique",
            "UNIQUE (backend_id, partner_id, kind)",
            "A partner is one customer or location of a TMS.",
        )
    ]

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id.get_formview_action()
