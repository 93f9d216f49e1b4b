import json

from odoo.tests import tagged

from .common import PaymentCase


@tagged("post_install", "-at_install")
class TestPaymentEvent(PaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env["logistics.backend"].create(
            {
                "name": "Bank API",
                "code": "bank_api",
                "kind": "bank",
                "environment": "production",
                "payment_journal_id": cls.journal.id,
                "rate_limit_per_minute": 0,
            }
        )
        _record, cls.bank_key = cls.env["logistics.backend.key"]._generate(cls.bank)

    def pay(self, payment, key=None):
        return self.url_open(
            "/logistics/v1/payments",
            data=json.dumps(payment),
            headers={
                "Authorization": f"Bearer {key or self.bank_key}",
                "Content-Type": "application/json",
            },
        )

    def payment(self, **values):
        return {
            "payment_id": "PAY-1",
            "amount": 250.0,
            "currency": self.currency,
            "date": "2026-11-21",
            **values,
        }

    def test_a_payment_event_pays_the_invoice_it_names_once(self):
        invoice = self.invoice(250.0)
        response = self.pay(self.payment(reference=invoice.payment_reference))
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(
            self.pay(self.payment(reference=invoice.payment_reference)).status_code, 200
        )
        self.run_jobs()
        self.assertEqual(invoice.payment_state, "paid")
        lines = self.env["account.bank.statement.line"].search(
            [("journal_id", "=", self.journal.id)]
        )
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.logistics_match, "reference")

    def test_bad_payments_are_refused_with_the_field(self):
        cases = [
            (self.payment(amount=-5), "amount"),
            (self.payment(date="21/11/2026"), "date"),
            ({"amount": 5}, "payment_id"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                response = self.pay(body)
                self.assertEqual(response.status_code, 422, response.text)
                fields = [error["field"] for error in response.json()["error"]["fields"]]
                self.assertIn(field, fields)
        response = self.url_open(
            "/logistics/v1/payments",
            data="{not json",
            headers={
                "Authorization": f"Bearer {self.bank_key}",
                "Content-Type": "application/json",
            },
        )
        self.assertEqual(response.status_code, 400)

    def test_only_a_bank_backend_reports_payments(self):
        self.assertEqual(self.pay(self.payment(), key=self.key).status_code, 403)
