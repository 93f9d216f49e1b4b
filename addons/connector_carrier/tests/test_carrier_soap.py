"""A SOAP carrier through zeep against the sandbox's real WSDL."""

import json

from ..lib import soap_client
from ..lib.errors import CarrierRefused, CarrierUnavailable
from .common import CarrierCase

SOAP_MAPPING = {
    "number": "trackingNumber",
    "events": "event",
    "eta": "estimatedDelivery",
    "event_id": "",
    "ship_date": "",
    "event_city": "city",
    "event_country": "country",
}


class TestCarrierSoap(CarrierCase):
    def setUp(self):
        super().setUp()
        self.carrier.write(
            {
                "carrier_protocol": "soap",
                "base_url": f"{self.sandbox.url}/soap?wsdl",
                "carrier_mapping": json.dumps(SOAP_MAPPING),
            }
        )

    def test_soap_poll_records_milestones(self):
        self.parcel("SPA1", ("PU", 30), ("OD", 3), eta=self.at(-2))
        self.parcel("SPA2", error="unknown number")
        trackings = self.track("SPA1", "SPA2")
        self.poll_now()
        good, bad = trackings
        self.assertEqual(self.codes(good.shipment_id), ["PICKED_UP", "OUT_FOR_DELIVERY"])
        self.assertEqual(good.stage, "out_for_delivery")
        self.assertEqual(good.poll_reason, "out for delivery")
        self.assertTrue(good.eta)
        self.assertEqual((bad.state, bad.error), ("no_update", "unknown number"))

    def test_soap_faults_are_sorted(self):
        self.sandbox.fault("soap_fault", 1)
        with self.assertRaises(CarrierUnavailable):
            soap_client.fetch(self.carrier.base_url, "GetTracking", ["X1"])
        with self.assertRaisesRegex(CarrierRefused, "no operation"):
            soap_client.fetch(self.carrier.base_url, "Nope", ["X1"])

    def test_hostile_wsdl_is_refused(self):
        """A WSDL declaring entities (billion laughs, external files) is not parsed."""
        with self.assertRaises(CarrierRefused):
            soap_client.fetch(f"{self.sandbox.url}/hostile?wsdl", "GetTracking", ["X1"])
