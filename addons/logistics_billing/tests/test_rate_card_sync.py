"""The daily rate card sync, against a pricing system on loopback that
publishes its cards over real HTTP; jobs run as the job runner runs them."""

from datetime import date

from odoo.tests import tagged

from odoo.addons.logistics_canonical.tests.common_api import ApiCase
from odoo.addons.logistics_canonical.tests.sandbox_server import SandboxServer

PATH = "/api/v1/rate-cards"


def card(**changes):
    """A sell card as a pricing system writes it: padded codes, mixed case,
    amounts sent as text."""
    return {
        "partner_ref": " ACME-01 ",
        "side": "Sell",
        "name": "Acme 2027",
        "version": 3,
        "valid_from": "2027-01-01",
        "currency": "usd",
        "fuel_table": "diesel weekly",
        "lanes": [
            {
                "origin": {"country": "us", "state": "IL"},
                "destination": {"country": "US", "zip_prefix": "75"},
                "mode": "LTL",
                "basis": "weight",
                "rate": "0.55",
                "minimum": 320,
            },
            {"destination": {"country": "US"}, "basis": "shipment", "flat": 900},
        ],
        "accessorials": [{"code": "liftgate", "name": "Liftgate", "amount": 80}],
        **changes,
    }


@tagged("post_install", "-at_install")
class TestRateCardSync(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer()
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Industries", "ref": "ACME-01", "is_company": True}
        )
        cls.fuel_table = cls.env["logistics.fuel.table"].create(
            {"name": "Diesel Weekly", "index_name": "diesel"}
        )
        cls.backend.write(
            {
                "base_url": cls.server.base_url,
                "rate_card_path": PATH,
                "api_token": "pricing-token",
            }
        )

    def sync(self, cards):
        self.server.publish(PATH, {"rate_cards": cards})
        self.env["logistics.rate.card.sync"]._cron_sync()
        self.run_jobs()
        self.backend.invalidate_recordset()
        return self.backend.rate_card_last_result

    def cards(self):
        return self.env["logistics.rate.card"].search([("partner_id", "=", self.customer.id)])

    def messages(self, state=None):
        domain = [("backend_id", "=", self.backend.id), ("message_type", "=", "rate_card")]
        return self.env["logistics.integration.message"].search(
            domain + ([("state", "=", state)] if state else [])
        )

    def test_a_published_card_becomes_the_card_in_force_once(self):
        result = self.sync([card()])
        self.assertEqual(result, "1 card(s) read: 1 new or changed, 0 refused")
        self.assertEqual(self.server.requests[-1]["method"], "GET")
        self.assertEqual(
            self.server.requests[-1]["headers"]["Authorization"], "Bearer pricing-token"
        )
        rate_card = self.cards()
        self.assertEqual(len(rate_card), 1)
        self.assertEqual(rate_card.side, "sell")
        self.assertEqual(rate_card.version, 3)
        self.assertEqual(rate_card.date_from, date(2027, 1, 1))
        self.assertEqual(rate_card.currency_id, self.env.ref("base.USD"))
        self.assertEqual(rate_card.fuel_table_id, self.fuel_table)
        self.assertEqual(rate_card.source_backend_id, self.backend)
        ltl, flat = rate_card.lane_ids.sorted("basis", reverse=True)
        self.assertEqual(
            (ltl.origin_state_id.code, ltl.destination_zip_prefix, ltl.mode, ltl.rate),
            ("IL", "75", "ltl", 0.55),
        )
        self.assertEqual(
            (flat.basis, flat.flat, flat.origin_country_id.id), ("shipment", 900, False)
        )
        self.assertEqual(rate_card.accessorial_ids.mapped("code"), ["LIFTGATE"])
        self.assertEqual(
            self.env["logistics.rate.card"]._in_force(
                self.customer, "sell", self.env.company, date(2027, 3, 1)
            ),
            rate_card,
        )

        # read again unchanged: a duplicate at the door, nothing rewritten
        self.assertEqual(self.sync([card()]), "1 card(s) read: 0 new or changed, 0 refused")
        self.assertEqual(len(self.messages()), 1)

        # the pricing system changes a rate: the same card, its lanes replaced
        changed = card()
        changed["lanes"][0]["rate"] = 0.6
        self.assertEqual(self.sync([changed]), "1 card(s) read: 1 new or changed, 0 refused")
        self.assertEqual(self.cards(), rate_card)
        self.assertEqual(len(rate_card.lane_ids), 2)
        self.assertEqual(max(rate_card.lane_ids.mapped("rate")), 0.6)
        self.assertIn("Read from", rate_card.message_ids[0].body)

    def test_a_card_naming_what_odoo_does_not_know_fails_alone_for_finance(self):
        unknown = card(partner_ref="NOBODY", currency="XXQ", version=1)
        unknown["lanes"][0]["origin"] = {"country": "ZZ"}
        unknown["lanes"][1]["destination"] = {"state": "TX"}
        result = self.sync([card(), unknown])
        self.assertEqual(result, "2 card(s) read: 2 new or changed, 0 refused")
        self.assertEqual(len(self.cards()), 1, "the good card is not held back by the bad one")
        failed = self.messages("failed")
        self.assertEqual(len(failed), 1)
        for problem in (
            "partner_ref: no partner has the reference 'NOBODY'",
            "currency: unknown currency 'XXQ'",
            "lanes/0/origin/country: unknown country 'ZZ'",
            "lanes/1/destination/state: a state needs its country",
        ):
            self.assertIn(problem, failed.error_message)
        issue = failed.exception_ids
        self.assertEqual(issue.exception_type_id.code, "rate_card_invalid")
        self.assertEqual(issue.team_id, self.env.ref("logistics_canonical.team_finance"))

    def test_malformed_cards_are_refused_at_the_door_with_the_field(self):
        no_version = card()
        del no_version["version"]
        negative = card(version=4)
        negative["lanes"][0]["rate"] = -1
        self.assertEqual(
            self.sync([no_version, negative]), "2 card(s) read: 0 new or changed, 2 refused"
        )
        rejected = self.messages("rejected")
        self.assertEqual(len(rejected), 2)
        problems = " ".join(rejected.mapped("error_message"))
        self.assertIn("version", problems)
        self.assertIn("lanes/0/rate", problems)
        self.assertTrue(all(message.exception_ids for message in rejected))
        self.assertFalse(self.cards())

    def test_an_answer_that_is_not_cards_is_kept_and_reported(self):
        self.server.pages[PATH] = (b"<html>maintenance</html>", "text/html")
        self.env["logistics.rate.card.sync"]._cron_sync()
        self.run_jobs()
        self.backend.invalidate_recordset()
        self.assertEqual(
            self.backend.rate_card_last_result,
            "The answer is not a list of rate cards: see the integration log.",
        )
        refused = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.backend.id), ("message_type", "=", "refused")]
        )
        self.assertEqual(refused.payload, "<html>maintenance</html>")
        self.assertTrue(refused.exception_ids)

    def test_a_system_that_does_not_answer_says_so_on_the_backend(self):
        self.server.fail_next(1, status=503)
        self.sync([card()])
        self.assertEqual(
            self.backend.rate_card_last_result, "The rate cards could not be read: HTTP 503"
        )
        self.assertTrue(self.backend.rate_card_last_sync)
        self.assertFalse(self.messages())

    def test_a_test_backend_never_changes_prices_in_force(self):
        self.backend.environment = "test"
        self.sync([card()])
        self.assertFalse(self.cards())
        self.assertEqual(self.messages("failed").error_code, "not_production")
