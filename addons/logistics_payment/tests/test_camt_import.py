from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PaymentCase


@tagged("post_install", "-at_install")
class TestCamtImport(PaymentCase):
    def lines(self):
        return self.env["account.bank.statement.line"].search(
            [("journal_id", "=", self.journal.id)]
        )

    def test_a_statement_imported_twice_creates_its_lines_once(self):
        data = self.camt([(100.0, None, None, "BANK-1"), (200.0, None, None, "BANK-2")])
        self.import_camt(data)
        self.assertEqual(len(self.lines()), 2)
        with self.assertRaises(UserError):
            self.import_camt(data)
        # the bank re-sends an entry under a new statement id: still once
        self.import_camt(
            self.camt([(200.0, None, None, "BANK-2"), (300.0, None, None, "BANK-3")], "STMT-2")
        )
        self.assertEqual(sorted(self.lines().mapped("amount")), [100.0, 200.0, 300.0])

    def test_matched_by_structured_reference_then_amount_and_partner(self):
        by_reference = self.invoice(500.0)
        by_amount = self.invoice(321.0)
        other_open = self.invoice(999.0)
        self.import_camt(
            self.camt(
                [
                    (500.0, by_reference.payment_reference, "E2E-1", "BANK-10"),
                    (321.0, None, None, "BANK-11"),
                ]
            )
        )
        self.assertEqual(by_reference.payment_state, "paid")
        self.assertEqual(by_amount.payment_state, "paid")
        self.assertEqual(other_open.payment_state, "not_paid")
        lines = self.lines().sorted("amount")
        self.assertEqual(lines.mapped("logistics_match"), ["amount_partner", "reference"])
        self.assertEqual(lines[1].end_to_end_id, "E2E-1")

    def test_the_end_to_end_id_matches_when_it_names_the_invoice(self):
        invoice = self.invoice(75.0)
        self.invoice(75.0)  # same amount, same payer: only the reference can tell
        self.import_camt(self.camt([(75.0, None, invoice.name, "BANK-20")]))
        self.assertEqual(invoice.payment_state, "paid")

    def test_an_unmatched_payment_is_finance_s_exception(self):
        self.invoice(10.0)
        self.import_camt(self.camt([(42.0, "NOPE-1", None, "BANK-30")]))
        [line] = self.lines()
        self.assertEqual(line.logistics_match, "unmatched")
        self.assertFalse(line.is_reconciled)
        exception = self.env["logistics.exception"].search(
            [("exception_type_id.code", "=", "payment_unmatched")]
        )
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.team_id, self.env.ref("logistics_canonical.team_finance"))
        self.assertIn("NOPE-1", exception.description)
