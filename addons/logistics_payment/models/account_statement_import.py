from odoo import models


class AccountStatementImport(models.TransientModel):
    _inherit = "account.statement.import"

    def _create_bank_statements(self, stmts_vals, result):
        """Match the new lines to the invoices they pay as they come in."""
        known = set(result["statement_ids"])
        outcome = super()._create_bank_statements(stmts_vals, result)
        new = self.env["account.bank.statement"].browse(
            [sid for sid in result["statement_ids"] if sid not in known]
        )
        new.line_ids._logistics_match()
        return outcome
