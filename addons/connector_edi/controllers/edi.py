from odoo import http
from odoo.http import request

from odoo.addons.logistics_canonical.controllers.api import ApiError, LogisticsApi

from ..lib import headers

EDI_TYPES = {
    "application/edi-x12",
    "application/edifact",
    "application/edi-edifact",
    "text/plain",
    "application/octet-stream",
}


class LogisticsEdiApi(LogisticsApi):
    @http.route(
        "/logistics/v1/edi",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def post_edi(self):
        """A raw X12 or EDIFACT interchange from a trading partner. 202 once it is
        stored; its 997 follows through the partner's channel. A resent
        interchange (same sender and control number) answers 200."""
        correlation_id = self._correlation_id()
        target = body = None
        try:
            target = self._authenticate()
            body = self._read_body()
            self._check_signature(target, body)
            mimetype = request.httprequest.mimetype
            if mimetype not in EDI_TYPES:
                raise ApiError(
                    415,
                    "unsupported_media_type",
                    f"Content-Type must be one of {', '.join(sorted(EDI_TYPES))}, not {mimetype or 'none'}",
                )
            self._check_rate(target, 1)
            profile = request.env["logistics.backend"].sudo().browse(target.id)._edi_partner()
            if not profile:
                raise ApiError(403, "forbidden", "this backend has no EDI profile")
            text = headers.decode(body)
            message_id, state, duplicate = profile._accept_interchange(text, "http", correlation_id)
            request.env.cr.commit()  # pylint: disable=invalid-commit
        except ApiError as error:
            self._log_rejection(target, error, correlation_id)
            if target and body is not None and error.status in (400, 415):
                self._keep_rejected(target, body, error, correlation_id)
            return self._error(error, correlation_id)
        if state == "rejected":
            self._log_rejection(
                target, ApiError(400, "edi_unreadable", "unreadable"), correlation_id
            )
            return self._error(
                ApiError(
                    400,
                    "edi_unreadable",
                    "the data is neither an X12 nor an EDIFACT "
                    f"interchange (message {message_id} keeps it)",
                ),
                correlation_id,
            )
        return self._json(
            200 if duplicate else 202,
            {
                "message_id": message_id,
                "state": state,
                "duplicate": duplicate,
                "correlation_id": correlation_id,
            },
        )
