"""Polling the sandbox carrier over real HTTP, with real queue_job execution."""

from datetime import timedelta

from odoo import fields
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import new_test_user

from odoo.addons.logistics_integration.lib import destinations, pod_download

from .common import CarrierCase


class TestCarrierPolling(CarrierCase):
    def test_picking_with_two_numbers_is_tracked_on_one_shipment(self):
        self.parcel("PKA1", ("PU", 30), ("IT", 20))
        self.parcel("PKA2", ("PU", 30))
        partner = self.env["res.partner"].create({"name": "Consignee"})
        picking = self.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "carrier_id": self.shipping_method.id,
                "carrier_tracking_ref": "PKA1, PKA2",
            }
        )
        self.assertEqual(picking.logistics_tracking_ids.mapped("number"), ["PKA1", "PKA2"])
        shipment = picking.logistics_shipment_id
        self.assertTrue(shipment)
        self.assertEqual(shipment.customer_id, partner)
        self.assertEqual(shipment.carrier_id, self.carrier_partner)
        self.poll_now()
        self.assertEqual(self.sandbox.requests, 1, "both numbers in one batch request")
        self.assertEqual(picking.logistics_status, "in_transit")
        self.assertEqual(picking.delivery_state, "in_transit")
        milestone = shipment.milestone_ids.filtered(lambda m: m.code == "IN_TRANSIT")
        self.assertEqual((milestone.source_code, milestone.source_text), ("IT", "In transit"))
        link = picking.carrier_tracking_url
        self.assertIn("https://parcel.example/track/PKA1", link)
        self.assertIn("PKA2", link)

    def test_repeated_history_applies_once_and_backs_off(self):
        self.parcel("PKB1", ("PU", 30), ("IT", 20))
        [tracking] = self.track("PKB1")
        self.poll_now()
        self.poll_now()
        self.assertEqual(self.codes(tracking.shipment_id), ["PICKED_UP", "IN_TRANSIT"])
        self.assertEqual(tracking.poll_count, 2)
        self.assertEqual(tracking.quiet_polls, 1)
        self.assertEqual(tracking.stage, "in_transit")
        wait = tracking.next_poll_at - tracking.last_polled_at
        self.assertEqual(wait, timedelta(minutes=360), "in transit, one quiet poll: backed off")
        messages = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.carrier.id), ("message_type", "=", "carrier_tracking")]
        )
        self.assertEqual(len(messages), 1, "an unchanged answer is not handed to the door again")

    def test_delivery_confirmation_pod_and_charges(self):
        self.parcel(
            "PKC1",
            ("PU", 40),
            ("OD", 5),
            ("DE", 2),
            charges=[
                {"type": "freight", "amount": 18.4, "currency": "USD", "stage": "final"},
                {
                    "type": "fuel",
                    "amount": "2.10",
                    "currency": "USD",
                    "stage": "final",
                    "invoice_number": "PN-INV-9",
                },
            ],
        )
        [tracking] = self.track("PKC1")
        self.poll_now()
        shipment = tracking.shipment_id
        self.assertEqual(shipment.status, "delivered")
        self.assertIn("POD_RECEIVED", self.codes(shipment))
        pod = self.env["ir.attachment"].search(
            [("res_model", "=", "logistics.shipment"), ("res_id", "=", shipment.id)]
        )
        self.assertEqual(pod.mimetype, "application/pdf")
        self.assertEqual(tracking.state, "delivered", "the POD came: no confirmation poll needed")
        charges = shipment.charge_ids.filtered(lambda c: c.source == "carrier")
        self.assertEqual(sorted(charges.mapped("amount")), [2.1, 18.4])
        self.assertEqual(set(charges.mapped("charge_type")), {"linehaul", "fuel"})
        self.assertEqual(set(charges.mapped("bill_ref")), {False, "PN-INV-9"})
        # the same charges again change nothing
        tracking.write({"state": "tracking", "digest": False})
        self.poll_now(tracking)
        self.assertEqual(len(shipment.charge_ids.filtered(lambda c: c.source == "carrier")), 2)

    def test_a_validated_charge_is_not_billed_twice(self):
        parcel = self.parcel(
            "PKC2",
            ("PU", 10),
            charges=[
                {"type": "freight", "amount": 18.4, "currency": "EUR", "stage": "final"},
                {"type": "fuel", "amount": 2.1, "currency": "EUR", "stage": "final"},
            ],
        )
        [tracking] = self.track("PKC2")
        self.poll_now()
        charges = tracking.shipment_id.charge_ids
        self.assertEqual(
            set(charges.currency_id.mapped("name")), {"EUR"}, "an inactive currency too"
        )
        charges.filtered(lambda c: c.charge_type == "linehaul").validation_state = "valid"
        # the carrier corrects the fuel surcharge
        parcel.charges = [parcel.charges[0], {**parcel.charges[1], "amount": 2.6}]
        self.poll_now()
        charges = tracking.shipment_id.charge_ids
        self.assertEqual(sorted(charges.mapped("amount")), [2.6, 18.4])
        self.assertEqual(charges.filtered(lambda c: c.amount == 18.4).validation_state, "valid")

    def test_a_stock_user_ships_with_a_tracked_carrier(self):
        self.parcel("PKU1", ("PU", 10))
        clerk = new_test_user(self.env, login="carrier_clerk", groups="stock.group_stock_user")
        picking = (
            self.env["stock.picking"]
            .with_user(clerk)
            .create(
                {
                    "partner_id": self.env["res.partner"].create({"name": "Clerk's customer"}).id,
                    "picking_type_id": self.env.ref("stock.picking_type_out").id,
                    "carrier_id": self.shipping_method.id,
                }
            )
        )
        picking.carrier_tracking_ref = "PKU1"
        self.assertEqual(picking.carrier_tracking_url, "https://parcel.example/track/PKU1")
        self.poll_now()
        self.assertEqual(picking.delivery_state, "in_transit")

    def test_pod_links_are_not_trusted(self):
        url = self.sandbox.url
        with self.assertRaisesRegex(pod_download.PodRefused, "not a public address"):
            pod_download.fetch(
                f"{url}/pod/X.pdf", "https://api.carrier.example", "t", destinations.private_address
            )
        with self.assertRaisesRegex(pod_download.PodRefused, "text/html"):
            pod_download.fetch(f"{url}/track/X", url, "t", destinations.private_address)
        name, mimetype, content = pod_download.fetch(
            f"{url}/pod/X.pdf", url, "t", destinations.private_address
        )
        self.assertEqual((name, mimetype), ("X.pdf", "application/pdf"))
        self.assertTrue(content.startswith(b"%PDF"))

    def test_one_broken_number_among_a_hundred(self):
        numbers = [f"PKD{index:03d}" for index in range(99)]
        for number in numbers:
            self.parcel(number, ("PU", 10))
        self.parcel("BROKEN", error="invalid tracking number")
        # a number the carrier's API refuses outright (and with it the whole request)
        trackings = self.track(*numbers, "BROKEN", "BAD-REF")
        self.poll_now()
        good = trackings.filtered(lambda t: t.number.startswith("PKD"))
        self.assertEqual(set(good.mapped("carrier_status")), {"picked_up"})
        self.assertEqual(set(good.mapped("state")), {"tracking"})
        broken = trackings - good
        self.assertEqual(set(broken.mapped("state")), {"no_update"})
        self.assertIn(
            "invalid tracking number", trackings.filtered(lambda t: t.number == "BROKEN").error
        )
        self.assertIn("HTTP 400", trackings.filtered(lambda t: t.number == "BAD-REF").error)

    def test_quota_answer_429_is_honoured(self):
        self.parcel("PKE1", ("PU", 10))
        [tracking] = self.track("PKE1")
        self.sandbox.fault("http_429", 1)
        self.poll_now()
        self.assertEqual(self.sandbox.statuses.get(429), 1)
        blocked = self.carrier.carrier_blocked_until
        self.assertAlmostEqual(
            blocked, fields.Datetime.now() + timedelta(seconds=120), delta=timedelta(seconds=10)
        )
        self.assertEqual(tracking.next_poll_at, blocked)
        # blocked: the cron asks nothing before Retry-After has passed
        tracking.next_poll_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["logistics.carrier.tracking"]._dispatch_polls()
        self.run_jobs()
        self.assertEqual(self.sandbox.requests, 1)
        self.assertFalse(tracking.shipment_id.milestone_ids)

    def test_our_quota_keeps_the_carrier_from_answering_429(self):
        numbers = [f"PKF{index:02d}" for index in range(40)]
        for number in numbers:
            self.parcel(number, ("PU", 10))
        self.sandbox.quota = 3
        self.carrier.write({"carrier_quota_per_second": 3, "carrier_batch_size": 5})
        try:
            self.track(*numbers)
            self.poll_now()
        finally:
            self.sandbox.quota = 0
        self.assertEqual(self.sandbox.requests, 8)
        self.assertNotIn(429, self.sandbox.statuses)

    def test_server_errors_open_the_circuit_and_lose_nothing(self):
        self.parcel("PKG1", ("PU", 10), ("IT", 5))
        [tracking] = self.track("PKG1")
        self.carrier.circuit_threshold = 2
        self.sandbox.fault("http_500", 2)
        self.poll_now()
        self.poll_now()
        self.assertEqual(self.carrier.circuit_state, "open")
        self.assertIn("HTTP 500", tracking.error)
        self.assertEqual(tracking.state, "tracking", "a carrier outage is not the number's fault")
        self.assertFalse(tracking.shipment_id.milestone_ids)
        # open: nothing is asked until the cool-down passed
        self.poll_now()
        self.assertEqual(self.sandbox.requests, 2)
        self.carrier.circuit_opened_at = fields.Datetime.now() - timedelta(minutes=5)
        self.poll_now()
        self.assertEqual(self.carrier.circuit_state, "closed")
        self.assertEqual(self.codes(tracking.shipment_id), ["PICKED_UP", "IN_TRANSIT"])

    def test_a_carrier_that_does_not_answer_in_time(self):
        self.parcel("PKT1", ("PU", 10))
        [tracking] = self.track("PKT1")
        self.carrier.carrier_timeout = 1
        self.sandbox.fault("slow", 2)
        try:
            self.poll_now()
        finally:
            self.sandbox.fault("slow", 0)
        self.assertIn("Timeout", tracking.error)
        self.assertEqual(self.carrier.circuit_failures, 1)
        self.assertGreater(tracking.next_poll_at, fields.Datetime.now(), "tried again later")
        self.poll_now()
        self.assertEqual(self.codes(tracking.shipment_id), ["PICKED_UP"])

    def test_malformed_answer_is_kept_for_the_admin(self):
        self.parcel("PKH1", ("PU", 10))
        [tracking] = self.track("PKH1")
        self.sandbox.fault("malformed", 1)
        self.poll_now()
        refused = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.carrier.id), ("state", "=", "rejected")]
        )
        self.assertEqual(len(refused), 1)
        self.assertIn('"tracking_number": ', refused.payload)
        self.assertEqual(tracking.state, "tracking")
        self.poll_now()
        self.assertEqual(self.codes(tracking.shipment_id), ["PICKED_UP"])

    def test_recycled_number_starts_a_new_shipment(self):
        self.parcel("PKI1", ("PU", 10), ("DE", 5))
        [old] = self.track("PKI1")
        self.poll_now()
        old_shipment = old.shipment_id
        self.assertEqual(old_shipment.status, "delivered")
        # as if that was 200 days ago: the carrier now hands out the same number again
        old.write(
            {
                "ship_date": fields.Date.today() - timedelta(days=200),
                "last_event_at": fields.Datetime.now() - timedelta(days=199),
            }
        )
        identifier = old_shipment.identifier_ids.filtered(lambda i: i.value == "PKI1")
        identifier.last_seen = fields.Datetime.now() - timedelta(days=199)
        new = self.env["logistics.carrier.tracking"]._track(self.carrier, "PKI1")
        self.assertNotEqual(new, old)
        self.assertNotEqual(new.shipment_id, old_shipment)
        self.assertFalse(old.active)
        self.parcel("PKI1", ("PU", 1))
        self.poll_now(new)
        self.assertEqual(self.codes(new.shipment_id), ["PICKED_UP"])
        self.assertEqual(old_shipment.status, "delivered", "the old shipment is not touched")

    def test_a_number_from_the_tms_is_tracked_on_its_shipment(self):
        """A TMS names the shipment and its carrier's tracking number: the
        carrier's scans land on that shipment, not on a new one."""
        self.parcel("TMS1", ("PU", 10))
        event = self.event(
            "LOAD-77",
            "DISPATCHED",
            identifiers=[{"type": "tracking", "value": "TMS1"}],
            shipment={"carrier_scac": "TPCO", "mode": "parcel"},
        )
        self.assertEqual(self.post(event).status_code, 202)
        self.run_jobs()
        [tracking] = self.env["logistics.carrier.tracking"].search([("number", "=", "TMS1")])
        shipment = tracking.shipment_id
        self.assertIn("LOAD-77", shipment.external_ref_ids.mapped("external_id"))
        self.poll_now(tracking)
        self.assertEqual(self.codes(shipment), ["DISPATCHED", "PICKED_UP"])
        self.assertEqual(
            len(self.env["logistics.shipment"].search([("pro_number", "=", "TMS1")])), 1
        )

    def test_one_poll_in_flight_per_number(self):
        self.parcel("PKJ1", ("PU", 10))
        [tracking] = self.track("PKJ1")
        tracking.next_poll_at = fields.Datetime.now() - timedelta(seconds=1)
        Tracking = self.env["logistics.carrier.tracking"]
        self.assertEqual(Tracking._dispatch(self.carrier, fields.Datetime.now()), 1)
        self.assertEqual(Tracking._dispatch(self.carrier, fields.Datetime.now()), 0, "leased")
        self.run_jobs()
        self.assertEqual(self.sandbox.requests, 1)
        self.assertFalse(tracking.lease_until)

    def test_a_neutralized_copy_polls_no_carrier(self):
        self.parcel("PKN1", ("PU", 10))
        [tracking] = self.track("PKN1")
        tracking.next_poll_at = fields.Datetime.now() - timedelta(seconds=1)
        self.env["logistics.carrier.tracking"]._dispatch_polls()
        polls = self.env["queue.job"].search([("method_name", "=", "_poll")])
        self.assertTrue(polls)
        self.env.flush_all()
        for query in get_neutralization_queries(["connector_carrier"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertFalse(self.env.ref("connector_carrier.cron_carrier_dispatch_polls").active)
        self.assertEqual(set(polls.mapped("state")), {"cancelled"})
        self.run_jobs()
        self.assertEqual(self.sandbox.requests, 0)
