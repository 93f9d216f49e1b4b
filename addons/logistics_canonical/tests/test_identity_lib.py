from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..lib.identity import Claim, Known, compatible, normalize, resolve

PRO, BOL = 1, 2
MAY = datetime(2024, 5, 1)


def known(shipment, kind, value, backend=0, partner=0, last_seen=MAY):
    return Known(
        id=shipment * 10 + kind,
        shipment=shipment,
        kind=kind,
        match_value=normalize(value),
        backend=backend,
        partner=partner,
        last_seen=last_seen,
    )


@tagged("at_install")
class TestIdentityRules(BaseCase):
    def test_partners_pad_dash_and_case_numbers_freely(self):
        self.assertEqual(normalize(" pro 123-456/7. "), "PRO1234567")
        self.assertEqual(normalize(""), "")

    def test_a_number_is_unique_for_whoever_issued_it(self):
        odfl, saia = 7, 8
        stored = known(1, PRO, "123", partner=odfl)
        self.assertTrue(compatible(Claim(PRO, "123", partner=odfl), stored))
        self.assertTrue(compatible(Claim(PRO, "123"), stored), "a sender that names no carrier")
        self.assertFalse(compatible(Claim(PRO, "123", partner=saia), stored))
        self.assertFalse(compatible(Claim(BOL, "123", partner=odfl), stored), "another kind")
        by_backend = known(1, PRO, "123", backend=3)
        self.assertFalse(compatible(Claim(PRO, "123", backend=4), by_backend))

    def test_resolution_names_every_shipment_and_spots_reused_numbers(self):
        stored = [known(1, PRO, "A"), known(2, BOL, "B"), known(3, PRO, "OLD", last_seen=MAY)]
        claims = [Claim(PRO, "A", at=MAY), Claim(BOL, "B", at=MAY)]
        self.assertEqual(resolve(claims, stored, {PRO: 365}).shipments, {1, 2})
        late = Claim(PRO, "OLD", at=datetime(2025, 6, 1))
        answer = resolve([late], stored, {PRO: 365})
        self.assertEqual((answer.shipments, [k.shipment for k in answer.reused]), (set(), [3]))
        self.assertEqual(resolve([late], stored, {PRO: 0}).shipments, {3}, "0: never reused")
