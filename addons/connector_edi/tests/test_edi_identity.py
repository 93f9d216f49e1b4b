from odoo.tests import tagged

from ..lib import x12_sets as tx
from .common import EdiCase


@tagged("post_install", "-at_install")
class TestEdiIdentity(EdiCase):
    """A TMS (load id, PRO, BOL), a carrier's API (PRO) and a carrier's EDI 214
    (B10 shipment id = the BOL) reporting one load: one shipment, in any order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kind = cls.env["logistics.identifier.kind"]._ids_by_code()
        cls.carrier = cls.env["res.partner"].create(
            {"name": "Chub Freight", "is_logistics_carrier": True, "logistics_scac": "CHUB"}
        )
        cls.backend.reference_kind_id = kind["load_id"]  # the API client is the TMS
        cls.edi_backend.reference_kind_id = kind["bol"]  # its B10-02 is the shipper's BOL
        carrier_api = cls.env["logistics.backend"].create(
            {
                "name": "Chub API",
                "code": "chub_api",
                "environment": "production",
                "partner_id": cls.carrier.id,
                "reference_kind_id": kind["pro"],
            }
        )
        cls.carrier_key = cls.env["logistics.backend.key"]._generate(carrier_api)[1]

    def send_tms(self):
        shipment = {"carrier_scac": "CHUB", "pro_number": "PRO-55", "bol_number": "BOL-55"}
        return self.post(
            self.event("LOAD-55", "DISPATCHED", "2024-05-01T07:00:00-05:00", shipment=shipment)
        )

    def send_carrier_api(self):
        return self.post(
            self.event("PRO-55", "PICKED_UP", "2024-05-01T08:30:00-05:00"), key=self.carrier_key
        )

    def send_214(self):
        body = tx.build_214(
            {
                "pro_number": "PRO-55",
                "shipment_id": "BOL-55",
                "scac": "CHUB",
                "events": [
                    {"status_code": "D1", "reason_code": "NS", "time": "2024-05-02T15:00:00-05:00"}
                ],
            }
        )
        return self.post_edi(self.interchange([("214", "0001", body)]))

    def assert_one_shipment(self, responses):
        messages = [self.message(response) for response in responses]
        self.run_jobs()
        for message in messages:
            self.assertEqual(message.state, "done", message.error_message)
        shipment = messages[0].shipment_id
        self.assertEqual({m.shipment_id for m in messages}, {shipment})
        self.assertEqual(
            {(i.kind_id.code, i.value) for i in shipment.identifier_ids},
            {("load_id", "LOAD-55"), ("pro", "PRO-55"), ("bol", "BOL-55")},
        )
        self.assertEqual(shipment.status, "delivered")
        self.assertEqual(
            shipment.milestone_ids.sorted("event_time").mapped("code"),
            ["DISPATCHED", "PICKED_UP", "DELIVERED"],
        )
        self.assertEqual(len(shipment.external_ref_ids), 3, "each system's own name is bound")

    def test_tms_carrier_and_edi_report_one_shipment(self):
        responses = []
        for send in (self.send_tms, self.send_carrier_api, self.send_214):
            responses.append(send())
            self.run_jobs()
        self.assert_one_shipment(responses)

    def test_the_same_events_in_reverse_order_give_the_same_shipment(self):
        responses = []
        for send in (self.send_214, self.send_carrier_api, self.send_tms):
            responses.append(send())
            self.run_jobs()
        self.assert_one_shipment(responses)
