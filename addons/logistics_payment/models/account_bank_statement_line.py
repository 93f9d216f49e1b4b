import re

from odoo import fields, models

OPEN = ("not_paid", "partial")


class AccountBankStatementLine(models.Model):
    """A payment received, matched to the customer invoice it pays: by the
    structured reference or the end-to-end id the payer quoted first, then by
    amount and partner. What matches nothing is finance's exception (and the
    reconciliation widget's to match by hand)."""

    _inherit = "account.bank.statement.line"

    end_to_end_id = fields.Char(string="End-to-End Id", readonly=True, index="btree_not_null")
    logistics_match = fields.Selection(
        [
            ("reference", "By reference"),
            ("amount_partner", "By amount and partner"),
            ("unmatched", "Unmatched"),
        ],
        string="Invoice Match",
        readonly=True,
        copy=False,
    )

    def _logistics_match(self):
        for line in self.filtered(lambda s: s.amount > 0 and not s.is_reconciled):
            invoice, how = line._invoice_by_reference(), "reference"
            if not invoice:
                invoice, how = line._invoice_by_amount_and_partner(), "amount_partner"
            if invoice:
                line._reconcile_with(invoice)
            else:
                how = "unmatched"
                line._raise_unmatched()
            line.logistics_match = how

    def _open_invoices(self, domain):
        return self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", OPEN),
                ("company_id", "=", self.company_id.id),
                *domain,
            ]
        )

    def _invoice_by_reference(self):
        """The open invoice whose payment reference or number the payer quoted."""
        self.ensure_one()
        quoted = {self.ref, self.end_to_end_id, *_tokens(self.payment_ref)} - {False, None, ""}
        if not quoted:
            return self.env["account.move"]
        found = self._open_invoices(
            ["|", ("payment_reference", "in", list(quoted)), ("name", "in", list(quoted))]
        )
        return found if len(found) == 1 else self.env["account.move"]

    def _invoice_by_amount_and_partner(self):
        """The one open invoice of the payer for exactly this amount."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return self.env["account.move"]
        found = self._open_invoices([("commercial_partner_id", "=", partner.id)]).filtered(
            lambda invoice: invoice.currency_id.compare_amounts(
                invoice.amount_residual, self.amount
            )
            == 0
        )
        return found if len(found) == 1 else self.env["account.move"]

    def _reconcile_with(self, invoice):
        """Odoo's own way without the widget: the statement's suspense line
        becomes the receivable it pays, reconciled with the invoice's."""
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        _liquidity, suspense, _other = self.with_context(
            skip_account_move_synchronization=True
        )._seek_for_lines()
        suspense.with_context(skip_account_move_synchronization=True).write(
            {"account_id": receivable[:1].account_id.id, "partner_id": invoice.partner_id.id}
        )
        (suspense | receivable).reconcile()
        if not self.partner_id:
            self.partner_id = invoice.commercial_partner_id

    def _raise_unmatched(self):
        self.ensure_one()
        unmatched = self.env.ref("logistics_payment.exception_type_payment_unmatched")
        self.env["logistics.exception"].sudo().create(
            {
                "name": self.env._(
                    "Payment of %(amount)s %(currency)s from %(payer)s matches no invoice",
                    amount=self.amount,
                    currency=(self.currency_id or self.company_id.currency_id).name,
                    payer=self.partner_id.name
                    or self.partner_name
                    or self.env._("an unknown payer"),
                ),
                "exception_type_id": unmatched.id,
                "company_id": self.company_id.id,
                "description": self.env._(
                    "Date: %(date)s\nReference: %(ref)s\nEnd-to-end id: %(e2e)s\n"
                    "Text: %(text)s\nAccount: %(account)s\n\n"
                    "Match it by hand in the bank reconciliation of journal %(journal)s.",
                    date=self.date,
                    ref=self.ref or "-",
                    e2e=self.end_to_end_id or "-",
                    text=self.payment_ref or "-",
                    account=self.account_number or "-",
                    journal=self.journal_id.name,
                ),
            }
        )


def _tokens(text):
    """Words of the remittance text that may be an invoice number or reference."""
    return set(re.findall(r"[A-Za-z0-9][A-Za-z0-9/._-]{3,}", text or ""))
