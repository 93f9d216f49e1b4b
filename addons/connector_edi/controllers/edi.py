from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)

from ..lib import headers

EDI_TYPES = (
    "application/edi-x12",
    "application/edifact",
    "application/edi-edifact",
    "text/plain",
    "application/octet-stream",
)


class LogisticsEdiApi(IntegrationController):
    @api_route("/logistics/v1/edi", scope="edi")
    def post_edi(self):
        """A raw X12 or EDIFACT interchange from a trading partner. 202 once it is
        stored; its 997 follows through the partner's channel. A resent
        interchange (same sender and control number) answers 200."""
        return self._serve(self._intake_interchange)

    def _intake_interchange(self, call):
        body = self._read_content(call, EDI_TYPES)
        self._check_rate(call, 1)
        profile = request.env["logistics.backend"].sudo().browse(call.target.id)._edi_partner()
        if not profile:
            raise ApiError(403, "forbidden", "this backend has no EDI profile")
        receipt = profile._accept_interchange(
            headers.decode(body),
            "http",
            call.correlation_id,
            request.httprequest.headers.get("Content-Type"),
        )
        if receipt.problems:
            raise ApiError(
                400,
                "edi_unreadable",
                "the data is neither an X12 nor an EDIFACT interchange "
                f"(message {receipt.message_id} keeps it)",
                list(receipt.problems),
                kept=True,
            )
        return self._json(
            200 if receipt.duplicate else 202, self._accepted(receipt, call.correlation_id)
        )
