"""Helpers other modules' tests reuse to prove their channel uses the door."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.addons.logistics_integration.models import logistics_inbox


@contextmanager
def watch_door(env):
    """Record what the door does, in order: ``("receive", n items)``,
    ``("commit", queued message ids)`` and ``("schedule", lane)``.

    A channel that goes through the door shows ``receive`` then ``commit``
    before any ``schedule``: what it accepted was durable before anything
    could run it or anyone be told. (Tests cannot commit; the door's commit
    is still called, and recorded here.)"""
    events = []
    Inbox = env.registry["logistics.inbox"]
    receive, ensure_drain = Inbox._receive, Inbox._ensure_drain
    real_commit = logistics_inbox.commit

    def spy_receive(self, target, items, *args, **kwargs):
        events.append(("receive", len(items)))
        return receive(self, target, items, *args, **kwargs)

    def spy_commit(env_):
        env_["logistics.integration.message"].flush_model()
        env_.cr.execute("SELECT id FROM logistics_integration_message WHERE state = 'queued'")
        events.append(("commit", {row[0] for row in env_.cr.fetchall()}))
        real_commit(env_)

    def spy_drain(self, backend_id, lane, channel, eta=None):
        events.append(("schedule", lane))
        return ensure_drain(self, backend_id, lane, channel, eta=eta)

    with (
        patch.object(Inbox, "_receive", spy_receive),
        patch.object(Inbox, "_ensure_drain", spy_drain),
        patch.object(logistics_inbox, "commit", spy_commit),
    ):
        yield events


def assert_durable_before_scheduled(case, events, message_id):
    """The message was committed by the door before any drain was scheduled."""
    kinds = [kind for kind, _value in events]
    case.assertIn("receive", kinds, "the channel did not use the door")
    commit_at = next(
        (i for i, (kind, ids) in enumerate(events) if kind == "commit" and message_id in ids),
        None,
    )
    case.assertIsNotNone(commit_at, f"message {message_id} was not committed by the door")
    schedules = [i for i, (kind, _lane) in enumerate(events) if kind == "schedule"]
    case.assertTrue(schedules, "no drain was scheduled")
    case.assertLess(commit_at, schedules[0], "a drain was scheduled before the commit")


def assert_audited(case, record, values):
    """Write ``values`` on ``record`` and check the audit trail got one
    "Changed" row per field, by the current user, with the new value as people
    read it. Returns those rows."""
    Log = record.env["logistics.audit.log"].sudo()
    last = Log.search([], limit=1).id
    record.write(values)
    rows = Log.search(
        [("id", ">", last), ("res_model", "=", record._name), ("res_id", "=", record.id)]
    )
    case.assertEqual(sorted(rows.mapped("field_name")), sorted(values), record._name)
    for row in rows:
        case.assertEqual(row.operation, "write")
        case.assertEqual(row.user_id, record.env.user)
        case.assertEqual(row.new_value, record._audit_values([row.field_name])[row.field_name])
        case.assertNotEqual(row.old_value, row.new_value)
    return rows
