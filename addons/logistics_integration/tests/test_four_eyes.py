"""Production configuration changes only when a second administrator
approves; emergencies apply at once, with a reason, flagged for review."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_secrets import NEW_KEY, keys

ADMIN = "logistics_integration.group_integration_admin"


@tagged("post_install", "-at_install")
class TestFourEyes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = new_test_user(cls.env, "alice_admin", ADMIN, name="Alice Admin")
        cls.bob = new_test_user(cls.env, "bob_admin", ADMIN, name="Bob Admin")
        cls.production = cls.env["logistics.backend"].create(
            {"name": "Live TMS", "code": "live_tms", "environment": "production", "lanes": 2}
        )
        cls.sandbox = cls.env["logistics.backend"].create(
            {"name": "Trial TMS", "code": "trial_tms", "environment": "sandbox", "lanes": 2}
        )

    def changes(self, backend):
        return self.env["logistics.change.request"].search(
            [("res_model", "=", "logistics.backend"), ("res_id", "=", backend.id)]
        )

    def propose(self, backend, values, user=None):
        backend.with_user(user or self.alice).write(values)
        return self.changes(backend)[:1]

    def test_a_production_change_waits_for_a_second_administrator(self):
        change = self.propose(self.production, {"lanes": 4, "base_url": "https://tms.example"})
        self.assertEqual((self.production.lanes, self.production.base_url), (2, False))
        self.assertEqual(change.state, "pending")
        self.assertEqual(change.requested_by_id, self.alice)
        self.assertEqual(change.values, {"lanes": 4, "base_url": "https://tms.example"})
        self.assertIn("https://tms.example", change.changes_html)
        self.assertEqual(self.production.pending_change_count, 1)

        with self.assertRaisesRegex(UserError, "second administrator"):
            change.with_user(self.alice).action_approve()
        change.with_user(self.bob).action_approve()
        self.assertEqual(
            (self.production.lanes, self.production.base_url), (4, "https://tms.example")
        )
        self.assertEqual((change.state, change.decided_by_id), ("applied", self.bob))
        # the approval is in the audit trail: applied by Bob, under Alice's request
        rows = self.env["logistics.audit.log"].search([("change_request_id", "=", change.id)])
        self.assertEqual(sorted(rows.mapped("field_name")), ["base_url", "lanes"])
        self.assertEqual(rows.user_id, self.bob)
        self.assertIn("<td", change.changes_html)  # still shows before and after
        with self.assertRaisesRegex(UserError, "no longer awaiting"):
            change.with_user(self.bob).action_approve()

    def test_sandbox_backends_change_directly_but_promotion_waits(self):
        self.sandbox.with_user(self.alice).write({"lanes": 3})
        self.assertEqual(self.sandbox.lanes, 3)
        self.assertFalse(self.changes(self.sandbox))
        change = self.propose(self.sandbox, {"environment": "production", "lanes": 8})
        self.assertEqual((self.sandbox.environment, self.sandbox.lanes), ("sandbox", 3))
        self.assertEqual(change.values, {"environment": "production", "lanes": 8})

    def test_secrets_and_unchanged_values_need_no_approval(self):
        with keys(NEW_KEY):
            self.production.with_user(self.alice).write({"password": "rotated", "lanes": 2})
            self.assertEqual(self.production._secret("password"), "rotated")
        self.assertFalse(self.changes(self.production))

    def test_the_hubs_own_code_is_not_a_person(self):
        self.production.write(
            {"lanes": 6}
        )  # superuser: the runtime, data files, scripts on the server
        self.assertEqual(self.production.lanes, 6)
        self.assertFalse(self.changes(self.production))

    def test_a_context_key_does_not_pass_for_an_approval(self):
        change = self.propose(self.production, {"lanes": 5})
        self.production.with_user(self.alice).with_context(
            logistics_change_request=change.id
        ).write({"lanes": 7})
        self.assertEqual(self.production.lanes, 2)
        self.assertEqual(len(self.changes(self.production)), 2)

    def test_emergency_changes_apply_with_a_reason_and_wait_for_review(self):
        change = self.propose(self.production, {"lanes": 9})
        with self.assertRaisesRegex(UserError, "Say why"):
            change.with_user(self.alice).action_apply_emergency()
        change.reason = "Partner doubled its volume; lanes are backing up"
        change.with_user(self.alice).action_apply_emergency()
        self.assertEqual(self.production.lanes, 9)
        self.assertEqual(
            (change.state, change.emergency, change.review_state), ("applied", True, "to_review")
        )
        self.assertEqual(change.activity_ids.user_id, self.bob)
        with self.assertRaisesRegex(UserError, "Another administrator"):
            change.with_user(self.alice).action_mark_reviewed()
        change.with_user(self.bob).action_mark_reviewed()
        self.assertEqual((change.review_state, change.reviewed_by_id), ("reviewed", self.bob))
        self.assertFalse(change.activity_ids)

    def test_production_configuration_is_not_deleted_directly(self):
        with self.assertRaisesRegex(UserError, "Live TMS is production configuration"):
            self.production.with_user(self.alice).unlink()
        self.sandbox.with_user(self.alice).unlink()
        self.assertFalse(self.sandbox.exists())

    def test_rejected_or_withdrawn(self):
        first = self.propose(self.production, {"lanes": 3})
        first.with_user(self.bob).action_reject()
        second = self.propose(self.production, {"lanes": 4})
        second.with_user(self.alice).action_reject()
        self.assertEqual((first.state, second.state), ("rejected", "cancelled"))
        self.assertEqual(self.production.lanes, 2)
