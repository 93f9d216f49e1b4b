"""Helpers other modules' tests may reuse: a shipment and a way to report milestones."""

from datetime import datetime

from odoo.tests import TransactionCase

from ..lib.timeutil import parse_event_time


class LogisticsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.customer = cls.env["res.partner"].create({"name": "Test Customer"})
        cls.carrier = cls.env["res.partner"].create(
            {"name": "Test Carrier", "is_logistics_carrier": True, "logistics_scac": "TSTC"}
        )
        cls.backend = cls.env["logistics.backend"].create({"name": "Test TMS", "code": "test_tms"})

    @classmethod
    def create_shipment(cls, **vals):
        return cls.env["logistics.shipment"].create(
            {"customer_id": cls.customer.id, "carrier_id": cls.carrier.id, **vals}
        )

    def code(self, code):
        return self.env["logistics.milestone.code"].search([("code", "=", code)])

    def report(self, shipment, code, when, **vals):
        """Record milestone ``code`` at ISO time ``when`` (with offset), as a backend would."""
        event_time, offset = parse_event_time(when) if isinstance(when, str) else (when, 0)
        milestone_code = self.code(code)
        return self.env["logistics.milestone"].create(
            {
                "shipment_id": shipment.id,
                "milestone_code_id": milestone_code.id,
                "classifier": vals.pop("classifier", milestone_code.default_classifier),
                "event_time": event_time,
                "event_utc_offset": offset,
                "backend_id": self.backend.id,
                **vals,
            }
        )


def utc(*args):
    return datetime(*args)
