import hashlib
from pathlib import Path

from odoo import models

from odoo.addons.logistics_integration.lib import documents, json_schema
from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib.event_schema import FORMATS
from ..lib.timeutil import parse_event_time

# what a shipment reference in a document's path may be (ours, a partner's)
SHIPMENT_REF = r"[A-Za-z0-9._:/-]{1,128}"
SCHEMA = Path(__file__).resolve().parent.parent / "lib" / "schemas" / "document-v1.json"


class LogisticsProcessorDocument(models.AbstractModel):
    """A document taken in the field (a driver's phone): a proof of delivery,
    a signature, a photo of damage. Kept on its shipment as an attachment; a
    proof of delivery also records POD received, at the time it was taken."""

    _name = "logistics.processor.document"
    _inherit = "logistics.processor"
    _description = "Shipment Document Processor"
    _processor_for = (("*", "shipment_document"),)

    def _admit(self, item, document=None):
        """At the door: the fields, and a file that is an image or a PDF by
        its content, within the size limit. The route stores the upload as
        ``{"shipment_ref": <from the path>, "document": <what was sent>}``."""
        upload = self._json_document(item, document) or {}
        document = upload.get("document")
        problems = json_schema.object_problems(json_schema.validator(SCHEMA, FORMATS), document)
        if problems:
            return problems
        try:
            content = documents.decode_base64(document["content_base64"])
        except ValueError as error:
            return [{"field": "content_base64", "message": str(error)}]
        limit = self.env["logistics.openapi"]._setting("max_document_bytes")
        if len(content) > limit:
            return [
                {
                    "field": "content_base64",
                    "message": f"a file of {len(content)} bytes; at most {limit} are kept",
                }
            ]
        if not documents.sniff(content):
            return [
                {
                    "field": "content_base64",
                    "message": "not an image (JPEG, PNG, GIF, TIFF, WebP) or a PDF, "
                    "by its content",
                }
            ]
        same = document.get("document_id") or hashlib.sha256(content).hexdigest()
        item["idempotency_key"] = (
            item.get("idempotency_key") or f"document:{upload['shipment_ref']}:{same}"
        )[:255]
        item["subject_ref"] = upload["shipment_ref"]
        return []

    def _decode(self, message):
        return [self._json_payload(message)]

    def _map(self, message, upload):
        backend, ref, document = message.backend_id, upload["shipment_ref"], upload["document"]
        shipment = self.env["logistics.external.ref"]._find(
            backend, "logistics.shipment", ref
        ) or self.env["logistics.shipment"]._by_name(ref, backend.company_id)
        if not shipment:
            raise PermanentError(
                f"no shipment {ref!r}", code="unknown_shipment", field="shipment_ref"
            )
        stop = shipment.stop_ids.browse()
        if document.get("stop"):
            stop = shipment.stop_ids.filtered(lambda s: s.sequence == document["stop"])
            if not stop:
                raise PermanentError(
                    f"{shipment.name} has no stop {document['stop']}",
                    code="unknown_stop",
                    field="stop",
                )
        content = documents.decode_base64(document["content_base64"])
        return {"document": document, "shipment": shipment, "stop": stop, "content": content}

    def _apply_many(self, items):
        return [self._apply_one(message, mapped) for message, mapped in items]

    def _apply_one(self, message, mapped):
        document, shipment, stop = mapped["document"], mapped["shipment"], mapped["stop"]
        content = mapped["content"]
        mimetype = documents.sniff(content)
        name = self._file_name(document, shipment, stop, mimetype)
        taken_at = parse_event_time(document["taken_at"])[0]
        if document["kind"] == "pod":
            shipment._keep_pod(
                message.backend_id,
                f"{message.idempotency_key}:pod",
                name,
                mimetype,
                content,
                taken_at,
                document.get("signed_by") or "",
            )
            return shipment
        attachment = shipment._keep_document(name, mimetype, content)
        shipment.message_post(
            body=self.env._(
                "%(what)s from %(sender)s, taken %(when)s%(stop)s%(note)s",
                what=dict(self._kinds())[document["kind"]],
                sender=message.backend_id.name,
                when=document["taken_at"],
                stop=self.env._(" at stop %s", stop.sequence) if stop else "",
                note=f": {document['note']}" if document.get("note") else "",
            ),
            attachment_ids=attachment.ids,
        )
        return shipment

    def _kinds(self):
        return [
            ("signature", self.env._("Signature")),
            ("damage", self.env._("Damage photo")),
            ("other", self.env._("Document")),
        ]

    @staticmethod
    def _file_name(document, shipment, stop, mimetype):
        """The sender's file name with the extension of what the file is."""
        extension = documents.EXTENSIONS[mimetype]
        stem = (document.get("file_name") or "").rsplit(".", 1)[0].strip()
        if not stem:
            stem = f"{document['kind']}-{shipment.name}" + (f"-stop{stop.sequence}" if stop else "")
        return f"{stem}.{extension}"
