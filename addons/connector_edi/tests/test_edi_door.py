import os
import tempfile
from unittest.mock import patch

from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from odoo.addons.logistics_integration.lib.registry import AmbiguousRegistration
from odoo.addons.logistics_integration.tests.common import (
    assert_durable_before_scheduled,
    watch_door,
)

from .common import EdiCase
from .sftp_server import SftpServer


@tagged("post_install", "-at_install")
class TestEdiThroughTheDoor(EdiCase):
    """Every EDI channel accepts through the one door: committed before a
    drain is scheduled, applied once however often the partner sends it."""

    def status(self, ref, control):
        return self.interchange(
            [("214", "0001", self.status_214(ref, ("AF", "2024-05-01T08:30:00-05:00")))],
            control=control,
        )

    def inbound(self):
        return self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.edi_backend.id), ("direction", "=", "inbound")]
        )

    def assert_applied_once(self):
        self.run_jobs()
        [message] = self.inbound()
        self.assertEqual((message.state, message.attempts), ("done", 1))
        self.assertEqual(message.shipment_id.milestone_ids.mapped("code"), ["PICKED_UP"])

    def test_http(self):
        text = self.status("DOOR-H", 41)
        with watch_door(self.env) as events:
            response = self.post_edi(text)
        self.assertEqual(response.status_code, 202, response.text)
        assert_durable_before_scheduled(self, events, response.json()["message_id"])
        self.assertEqual(self.post_edi(text).status_code, 200, "resent: a duplicate")
        self.assert_applied_once()

    def test_folder(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "inbound"))
            self.profile.sudo().write({"channel": "folder", "folder_root": root})
            for name in ("a.edi", "a-again.edi"):
                with open(os.path.join(root, "inbound", name), "w") as handle:
                    handle.write(self.status("DOOR-F", 42))
            with watch_door(self.env) as events:
                self.profile._poll()
        assert_durable_before_scheduled(self, events, self.inbound().id)
        self.assertEqual([kind for kind, _n in events].count("receive"), 2)
        self.assert_applied_once()

    def test_sftp(self):
        with SftpServer() as server:
            self.use_sftp(server)
            with open(server.path("inbound", "s.edi"), "w") as handle:
                handle.write(self.status("DOOR-S", 43))
            with watch_door(self.env) as events:
                self.profile._poll()
        assert_durable_before_scheduled(self, events, self.inbound().id)
        self.assert_applied_once()

    def test_a_bug_behind_the_route_answers_json_not_an_html_page(self):
        Partner = self.registry["logistics.edi.partner"]
        with patch.object(Partner, "_accept_interchange", side_effect=KeyError("oops")):
            response = self.post_edi(self.status("DOOR-X", 44))
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response.json()["error"]["code"], "internal_error")
        self.assertFalse(self.inbound(), "nothing was accepted")


@tagged("post_install", "-at_install")
class TestStrictProcessorRegistry(EdiCase):
    def test_two_processors_for_one_message_type_are_an_error(self):
        Processor = self.env["logistics.processor"]
        self.assertEqual(Processor._for_type("edi", "interchange")._name, "logistics.processor.edi")
        edi = self.registry["logistics.processor.edi"]
        with (
            patch.object(edi, "_processor_for", (("*", "interchange"), ("*", "event"))),
            self.assertRaisesRegex(AmbiguousRegistration, "logistics.processor.e"),
        ):
            Processor._claim_table()


@tagged("post_install", "-at_install")
class TestNeutralizedCopy(EdiCase):
    def test_a_neutralized_copy_stops_picking_up_files(self):
        poll = self.env.ref("connector_edi.cron_edi_poll")
        overdue = self.env.ref("connector_edi.cron_edi_overdue_acks")
        (poll | overdue).active = True
        self.env.flush_all()
        for query in get_neutralization_queries(["connector_edi"]):
            self.env.cr.execute(query)
        self.env.invalidate_all()
        self.assertFalse(poll.active, "no partner's files are picked up")
        self.assertTrue(overdue.active, "overdue acknowledgments still show")
