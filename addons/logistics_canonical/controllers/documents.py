"""Documents from the field (a driver's phone) in: JSON with the file in
base64, or a multipart form with the file in a ``file`` part, through the one
door like every event."""

import base64
import json
import re

from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)

from ..models.logistics_processor_document import SHIPMENT_REF

# the form fields of a multipart upload (the JSON document's, but the file)
FORM_FIELDS = ("document_id", "kind", "file_name", "taken_at", "stop", "signed_by", "note")


class LogisticsDocumentsApi(IntegrationController):
    @api_route("/logistics/v1/shipments/<path:shipment_ref>/documents", scope="documents")
    def post_document(self, shipment_ref, **_form):  # a form's fields come as arguments too
        return self._serve(lambda call: self._intake_upload(call, shipment_ref))

    def _intake_upload(self, call, shipment_ref):
        limit = request.env["logistics.openapi"].sudo()._setting("max_document_bytes")
        # base64 and form framing make a request about a third larger than its file
        body = self._read_content(
            call, ("application/json", "multipart/form-data"), max_bytes=limit * 4 // 3 + 65536
        )
        if not re.fullmatch(SHIPMENT_REF, shipment_ref):
            raise ApiError(
                422,
                "validation_failed",
                "not a shipment reference",
                [{"field": "shipment_ref", "message": f"does not match {SHIPMENT_REF}"}],
            )
        if request.httprequest.mimetype == "multipart/form-data":
            document = self._form_document()
        else:
            document = self._parse_json(body)
        upload = {"shipment_ref": shipment_ref, "document": document}
        return self._receive_document(
            call,
            upload,
            json.dumps(upload, separators=(",", ":")),
            "shipment_document",
            "the document does not match the schema",
        )

    def _form_document(self):
        form, upload = request.httprequest.form, request.httprequest.files.get("file")
        if upload is None:
            raise ApiError(
                422,
                "validation_failed",
                "a multipart upload carries its file in a part named 'file'",
                [{"field": "file", "message": "is required"}],
            )
        unknown = sorted(set(form) - set(FORM_FIELDS))
        if unknown:
            raise ApiError(
                422,
                "validation_failed",
                "the form has fields a document does not have",
                [{"field": name, "message": "unknown field"} for name in unknown],
            )
        document = {name: form[name] for name in FORM_FIELDS if name in form}
        if document.get("stop", "").strip().isdigit():
            document["stop"] = int(document["stop"])
        document["content_base64"] = base64.b64encode(upload.read()).decode()
        if upload.filename and "file_name" not in document:
            document["file_name"] = upload.filename
        return document
