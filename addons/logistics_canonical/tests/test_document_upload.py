"""Documents from the field over real HTTP: JSON with base64 and multipart
forms, kept on the shipment through the door, refused with a 4xx naming why."""

import base64

from odoo.tests import tagged

from .common_api import ApiCase

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestShipmentDocuments(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipment = cls.env["logistics.shipment"].create(
            {
                "stop_ids": [
                    (0, 0, {"sequence": 1, "stop_type": "pickup", "city": "Chicago"}),
                    (0, 0, {"sequence": 2, "stop_type": "delivery", "city": "Dallas"}),
                ]
            }
        )
        cls.route = f"/logistics/v1/shipments/{cls.shipment.name}/documents"

    def upload(self, content, kind="pod", route=None, **fields):
        document = {
            "kind": kind,
            "content_base64": base64.b64encode(content).decode(),
            "taken_at": "2026-05-02T16:05:00-05:00",
            **fields,
        }
        return self.post(document, path=route or self.route)

    def upload_form(self, content, file_name, **fields):
        return self.url_open(
            self.route,
            data={"taken_at": "2026-05-02T16:05:00-05:00", **fields},
            files={"file": (file_name, content, "application/octet-stream")},
            headers={"Authorization": f"Bearer {self.key}"},
        )

    def attachments(self):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "logistics.shipment"), ("res_id", "=", self.shipment.id)]
        )

    def test_a_pod_photo_is_kept_and_records_pod_received_at_the_time_taken(self):
        response = self.upload(PNG, signed_by="J. Ortiz", stop=2, document_id="phone-1")
        self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()
        self.assertEqual(self.message(response).state, "done", self.message(response).error_message)
        [attachment] = self.attachments()
        self.assertEqual(attachment.mimetype, "image/png")
        pod = self.shipment.milestone_ids.filtered(lambda m: m.code == "POD_RECEIVED")
        self.assertEqual(str(pod.event_time), "2026-05-02 21:05:00")
        self.assertEqual(pod.document_ref, attachment.name)
        self.assertEqual(self.shipment._pod_documents(), attachment)
        # the phone sends it again (no answer seen): the same document, kept once
        again = self.upload(PNG, signed_by="J. Ortiz", stop=2, document_id="phone-1")
        self.assertEqual(again.status_code, 200)
        self.assertTrue(again.json()["duplicate"])
        self.run_jobs()
        self.assertEqual(len(self.attachments()), 1)
        self.assertEqual(len(self.shipment.milestone_ids), 1)

    def test_a_damage_photo_by_form_upload_goes_to_the_chatter_with_its_stop(self):
        response = self.upload_form(
            JPEG, "IMG_0042.HEIC", kind="damage", stop="1", note="torn wrap"
        )
        self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()
        [attachment] = self.attachments()
        self.assertEqual((attachment.name, attachment.mimetype), ("IMG_0042.jpg", "image/jpeg"))
        note = self.shipment.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertIn("Damage photo", note.body)
        self.assertIn("stop 1", note.body)
        self.assertIn("torn wrap", note.body)
        self.assertFalse(self.shipment.milestone_ids, "a damage photo is not a proof of delivery")

    def test_base64_as_phones_write_it_is_read(self):
        wrapped = base64.encodebytes(PDF).decode()  # lines of 76 characters
        response = self.post(
            {
                "kind": "signature",
                "content_base64": f"data:application/pdf;base64,{wrapped}",
                "taken_at": "2026-05-02T16:05:00Z",
            },
            path=self.route,
        )
        self.assertEqual(response.status_code, 202, response.text)
        self.run_jobs()
        self.assertEqual(self.attachments().mimetype, "application/pdf")

    def test_what_is_not_an_image_or_pdf_is_refused_and_kept_in_the_log(self):
        html = b"<html><script>alert(1)</script></html>"
        response = self.upload_form(html, "photo.jpg", kind="pod")
        self.assertEqual(response.status_code, 422)
        [problem] = response.json()["error"]["fields"]
        self.assertEqual(problem["field"], "content_base64")
        self.assertIn("by its content", problem["message"])
        refused = self.env["logistics.integration.message"].search(
            [("backend_id", "=", self.backend.id), ("state", "=", "rejected")]
        )
        self.assertTrue(refused, "the refused upload is in the integration log")
        self.assertFalse(self.attachments())

    def test_bad_uploads_get_a_clear_4xx(self):
        self.assertEqual(self.upload(b"").status_code, 422)
        response = self.post(
            {"kind": "pod", "content_base64": "%%%", "taken_at": "x"}, path=self.route
        )
        self.assertEqual(response.status_code, 422)
        fields = {p["field"] for p in response.json()["error"]["fields"]}
        self.assertIn("taken_at", fields)
        response = self.post(
            {"kind": "selfie", "content_base64": "AA==", "taken_at": "2026-05-02T16:05:00Z"},
            path=self.route,
        )
        self.assertEqual(response.json()["error"]["fields"][0]["field"], "kind")
        # a form without its file
        response = self.url_open(
            self.route,
            data={"kind": "pod", "taken_at": "2026-05-02T16:05:00Z"},
            files={"other": ("a.png", PNG)},
            headers={"Authorization": f"Bearer {self.key}"},
        )
        self.assertEqual(
            (response.status_code, response.json()["error"]["fields"][0]["field"]), (422, "file")
        )
        # too large, and not a document type at all
        self.env["ir.config_parameter"].set_param("logistics.api.max_document_bytes", "100")
        self.assertEqual(self.upload(PNG + b"\x00" * 200).status_code, 422)
        # the request itself: base64 of the file plus room for the form
        self.assertEqual(self.upload(PNG + b"\x00" * 70000).status_code, 413)
        response = self.post(None, path=self.route, raw=PNG, headers={"Content-Type": "image/png"})
        self.assertEqual(response.status_code, 415)

    def test_an_unknown_shipment_or_stop_fails_the_message_naming_it(self):
        response = self.upload(PNG, route="/logistics/v1/shipments/NOPE-1/documents")
        self.assertEqual(response.status_code, 202)
        self.run_jobs()
        message = self.message(response)
        self.assertEqual(message.state, "failed")
        self.assertIn("NOPE-1", message.error_message)
        response = self.upload(JPEG, kind="damage", stop=9)
        self.run_jobs()
        self.assertIn("no stop 9", self.message(response).error_message)
