from odoo import fields, models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import payment_event


class LogisticsProcessorPayment(models.AbstractModel):
    """A payment a bank or payment provider reports: a statement line of the
    backend's bank journal (once per payment id), matched to the invoice it
    pays like a line of an imported statement."""

    _name = "logistics.processor.payment"
    _inherit = "logistics.processor"
    _description = "Payment Event Processor"
    _processor_for = (("bank", "payment"),)

    def _admit(self, item, document=None):
        document = self._json_document(item, document)
        if document is None:
            return [{"field": "", "message": "payload is not JSON"}]
        if not isinstance(document, dict):
            return [{"field": "", "message": "a payment is a JSON object"}]
        problems = payment_event.problems(document)
        if problems:
            return problems
        item["idempotency_key"] = item.get("idempotency_key") or f"payment:{document['payment_id']}"
        item["subject_ref"] = document["payment_id"]
        return []

    def _decode(self, message):
        return [self._json_payload(message)]

    def _map(self, message, payment):
        journal = message.backend_id.payment_journal_id
        if not journal:
            raise PermanentError(
                f"backend {message.backend_id.code} has no bank journal for its payments",
                code="no_bank_journal",
            )
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", payment["currency"].upper())], limit=1)
        )
        if currency != (journal.currency_id or journal.company_id.currency_id):
            raise PermanentError(
                f"payment in {payment['currency']} on a journal in "
                f"{(journal.currency_id or journal.company_id.currency_id).name}",
                code="currency_mismatch",
                field="currency",
            )
        payer = payment.get("payer") or {}
        return {
            "journal_id": journal.id,
            "date": fields.Date.to_date(payment["date"]),
            "amount": payment["amount"],
            "payment_ref": payment.get("description") or payment.get("reference") or "/",
            "ref": payment.get("reference") or payment.get("end_to_end_id") or False,
            "end_to_end_id": payment.get("end_to_end_id") or False,
            "partner_name": payer.get("name") or False,
            "account_number": payer.get("iban") or False,
            "unique_import_id": f"{message.backend_id.code}-{payment['payment_id']}",
        }

    def _apply_many(self, items):
        return [self._apply_one(values) for _message, values in items]

    def _apply_one(self, values):
        Line = self.env["account.bank.statement.line"]
        line = Line.search([("unique_import_id", "=", values["unique_import_id"])], limit=1)
        if not line:  # a replay finds the line it made
            line = Line.create(values)
            line._logistics_match()
        return line
