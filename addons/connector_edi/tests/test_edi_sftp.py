import os
import tempfile
import time

from odoo.tests import tagged

from ..lib import x12
from .common import EdiCase
from .sftp_server import SftpServer


@tagged("post_install", "-at_install")
class TestEdiFileChannels(EdiCase):
    """Pickup and drop against a real SFTP server on loopback, and a local folder."""

    def test_sftp_pickup_processing_and_997_drop(self):
        text = self.interchange(
            [("214", "0001", self.status_214("LOAD-F", ("AF", "2024-05-01T08:30:00-05:00")))],
            control=321,
        )
        with SftpServer() as server:
            self.use_sftp(server)
            for name in ("first.edi", "resent.edi"):  # the partner sends the same interchange twice
                with open(server.path("inbound", name), "w") as handle:
                    handle.write(text)
            self.profile._poll()
            self.assertFalse(self.profile.last_poll_error)
            self.assertEqual(os.listdir(server.path("inbound")), [])
            self.assertEqual(
                sorted(os.listdir(server.path("archive"))), ["first.edi", "resent.edi"]
            )
            messages = self.env["logistics.integration.message"].search(
                [("backend_id", "=", self.edi_backend.id), ("direction", "=", "inbound")]
            )
            self.assertEqual(len(messages), 1, "a resent interchange is a duplicate")
            self.assertEqual(
                (messages.edi_sender, messages.edi_control), ("SHIPPERINC", "000000321")
            )
            self.run_jobs()
            shipment = messages.shipment_id
            self.assertEqual(shipment.status, "picked_up")
            [dropped] = os.listdir(server.path("outbound"))
            with open(server.path("outbound", dropped)) as handle:
                sets = [item for kind, item in x12.Reader(handle.read()) if kind == "set"]
            self.assertEqual([s.id for s in sets], ["997"])

    def test_wrong_host_key_is_refused_and_nothing_is_lost(self):
        with SftpServer() as server, SftpServer() as impostor_key_source:
            self.use_sftp(server, host_key=impostor_key_source.host_key)
            with open(server.path("inbound", "x.edi"), "w") as handle:
                handle.write("ISA")
            self.profile._poll()
            self.assertIn("host key", self.profile.last_poll_error)
            self.assertEqual(os.listdir(server.path("inbound")), ["x.edi"])

    def test_unfinished_file_waits_and_an_unreadable_one_is_kept_as_rejected(self):
        Message = self.env["logistics.integration.message"]
        mine = [("backend_id", "=", self.edi_backend.id)]
        with SftpServer() as server:
            self.use_sftp(server)
            junk = server.path("inbound", "junk.edi")
            with open(junk, "wb") as handle:
                handle.write(b"\x00\x01 junk")
            self.profile._poll()
            self.assertFalse(Message.search(mine), "no trailer, just written: still being written")
            self.assertEqual(os.listdir(server.path("inbound")), ["junk.edi"])
            ten_minutes_ago = time.time() - 600
            os.utime(junk, (ten_minutes_ago, ten_minutes_ago))
            self.profile._poll()
        rejected = Message.search([*mine, ("state", "=", "rejected")])
        self.assertEqual(rejected.error_code, "edi_unreadable")
        self.assertTrue(rejected.exception_ids)
        self.assertFalse(self.profile.last_poll_error)

    def test_folder_channel(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "inbound"))
            self.profile.sudo().write({"channel": "folder", "folder_root": root})
            with open(os.path.join(root, "inbound", "a.edi"), "w") as handle:
                handle.write(
                    self.interchange(
                        [
                            (
                                "214",
                                "0001",
                                self.status_214("LOAD-L", ("X3", "2024-05-01T07:30:00-05:00")),
                            )
                        ],
                        control=9,
                    )
                )
            self.profile._poll()
            self.run_jobs()
            self.assertEqual(os.listdir(os.path.join(root, "archive")), ["a.edi"])
            [dropped] = os.listdir(os.path.join(root, "outbound"))
            self.assertTrue(dropped.startswith("ack-"))
