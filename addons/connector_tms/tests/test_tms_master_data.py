"""Customers and locations sent to the TMS in batches: only what changed, one
bad record never stopping the others, in both dialects over real HTTP."""

from odoo.tests import new_test_user

from .common import TmsCase


class TestTmsMasterData(TmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tms.write({"tms_send_master_data": True, "tms_master_batch_size": 8})
        # only this test's customers: the demo's are the company's too
        cls.env["res.partner"].search([("customer_rank", ">", 0)]).customer_rank = 0
        cls.customer.customer_rank = 1
        us = cls.env.ref("base.us")
        cls.customers = cls.customer | cls.env["res.partner"].create(
            [
                {
                    "name": f"Shipper {number}",
                    "ref": f"SHP{number:02d}",
                    "is_company": True,
                    "customer_rank": 1,
                    "city": "Memphis",
                    "zip": f"381{number:02d}",
                    "country_id": us.id,
                }
                for number in range(20)
            ]
        )
        cls.docks = cls.env["res.partner"].create(
            [
                {
                    "name": f"Dock {number}",
                    "type": "delivery",
                    "parent_id": customer.id,
                    "city": "Memphis",
                    "zip": "38103",
                    "country_id": us.id,
                }
                for number, customer in enumerate(cls.customers[:6])
            ]
        )

    def sync(self):
        return self.env["logistics.tms.master.sync"]._sync(self.tms.id)

    def records(self, state=None):
        domain = [("backend_id", "=", self.tms.id)]
        if state:
            domain.append(("state", "=", state))
        return self.env["logistics.tms.master.record"].search(domain)

    def refused(self):
        return {record.code: record.reason for record in self.records("refused")}

    def uploads(self):
        return [r for r in self.sandbox.requests if r["method"] == "POST"]

    def test_customers_and_locations_reach_the_tms_once_until_they_change(self):
        self.sync()
        sent = self.sandbox.master_data
        self.assertEqual(set(sent["customers"]), {c._tms_customer_code() for c in self.customers})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.tms.company_id.id)], limit=1
        )
        expected = {f"WH-{warehouse.code}"} | {
            f"{dock.parent_id.ref}-{dock.id}" for dock in self.docks
        }
        self.assertLessEqual(expected, set(sent["locations"]))
        self.assertFalse(self.refused())
        # 21 customers in batches of 8: three uploads, then the locations
        self.assertEqual(len([r for r in self.uploads() if "cust" in r["path"]]), 3)
        taken = len(self.customers) + len(sent["locations"])
        self.assertIn(f"{taken} taken, 0 refused, 0 unchanged", self.tms.tms_master_last_result)

        # nothing changed: nothing sent
        self.sandbox.reset()
        self.sync()
        self.assertFalse(self.uploads())
        self.assertIn("0 taken", self.tms.tms_master_last_result)

        # one dock moves: only it goes again
        self.docks[2].street = "9 New Dock Road"
        self.sync()
        moved = f"{self.docks[2].parent_id.ref}-{self.docks[2].id}"
        self.assertEqual(list(self.sandbox.master_data["locations"]), [moved])
        self.assertEqual(self.sandbox.master_data["customers"], {})

    def test_one_bad_record_never_stops_the_others(self):
        # the hub knows a dock without a city cannot be a stop: refused here, not sent
        self.docks[0].city = False
        # the TMS refuses a US address without a valid ZIP code
        self.customers[3].zip = "ABC"
        self.sync()
        refused = self.refused()
        dock_code = f"{self.docks[0].parent_id.ref}-{self.docks[0].id}"
        self.assertEqual(refused[dock_code], "city missing")
        self.assertIn("not a US ZIP code", refused[self.customers[3].ref])
        self.assertEqual(len(refused), 2)
        taken = self.sandbox.master_data
        self.assertEqual(len(taken["customers"]), len(self.customers) - 1)
        self.assertNotIn(dock_code, taken["locations"])
        self.assertEqual(self.tms.tms_master_refused_count, 2)
        self.assertIn("2 refused", self.tms.tms_master_last_result)

        # fixed, they go with the next run; a refused record is tried again
        self.docks[0].city = "Memphis"
        self.customers[3].zip = "38117"
        self.sandbox.reset()
        self.sync()
        self.assertFalse(self.refused())
        self.assertEqual(set(self.sandbox.master_data["customers"]), {self.customers[3].ref})
        self.assertEqual(set(self.sandbox.master_data["locations"]), {dock_code})

    def test_a_tms_down_leaves_everything_for_the_next_run(self):
        self.sandbox.down = True
        self.sync()
        self.assertFalse(self.records())
        self.assertIn("stopped taking them", self.tms.tms_master_last_result)
        self.assertEqual(len(self.uploads()), 1, "one refused batch is enough to stop")
        self.sandbox.down = False
        self.sync()
        self.assertEqual(len(self.sandbox.master_data["customers"]), len(self.customers))

    def test_the_schedule_sends_through_a_batch_job(self):
        self.env["logistics.tms.master.sync"]._cron_sync()
        self.run_jobs()
        self.assertEqual(len(self.sandbox.master_data["customers"]), len(self.customers))
        self.assertTrue(self.tms.tms_master_last_sync)

    def test_an_integration_admin_sends_now_through_a_job(self):
        """The job runs as the admin who clicked, who may only read what the TMS
        has: the hub records it, not the admin."""
        admin = new_test_user(
            self.env,
            "tms_master_admin",
            groups="base.group_user,logistics_integration.group_integration_admin",
        )
        self.tms.with_user(admin).action_tms_send_master_data()
        self.run_jobs()
        self.assertEqual(len(self.sandbox.master_data["customers"]), len(self.customers))
        records = (
            self.env["logistics.tms.master.record"]
            .with_user(admin)
            .search([("backend_id", "=", self.tms.id), ("state", "=", "sent")])
        )
        self.assertGreaterEqual(len(records), len(self.customers))


class TestTmsMasterDataFlat(TestTmsMasterData):
    """FlatLine refuses a whole file for one bad row: the hub halves the batch
    until the row is alone, so the others still go."""

    allow_inherited_tests_method = True
    dialect = "flat"

    def test_a_refused_file_is_halved_until_the_bad_row_is_alone(self):
        self.customers[5].zip = False
        self.sync()
        refused = self.refused()
        self.assertEqual(list(refused), [self.customers[5].ref])
        self.assertIn("ZIP code required", refused[self.customers[5].ref])
        self.assertEqual(len(self.sandbox.master_data["customers"]), len(self.customers) - 1)
        # batches of 8: the bad one costs 1 + 2 + 2 + 2 uploads, the two good ones 1 each
        customer_uploads = [r for r in self.uploads() if "cust" in r["path"]]
        self.assertEqual(len(customer_uploads), 9)
