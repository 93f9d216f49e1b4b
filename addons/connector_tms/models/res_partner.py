from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _tms_customer_code(self):
        """The code a TMS knows the customer by, in tenders and master data:
        the company's reference, else its id."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        return commercial.ref or str(commercial.id)
