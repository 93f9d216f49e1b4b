from odoo import http
from odoo.http import request

from .portal import ShipmentPortal

TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


class ShipmentTracking(http.Controller):
    """``/track/<token>``: the link that goes into notification e-mails. No
    login; the status, the ETA and the timeline, nothing else of the customer.
    An unknown token is a 404, the same as a malformed one."""

    @http.route("/track/<string:token>", type="http", auth="public", website=True, sitemap=False)
    def shipment_tracking(self, token, **kw):
        shipment = request.env["logistics.shipment"]
        if len(token) == TOKEN_LENGTH:
            shipment = shipment.sudo().search([("tracking_token", "=", token)], limit=1)
        if not shipment:
            raise request.not_found()
        return request.render(
            "logistics_portal.shipment_tracking_page",
            {
                "timeline": shipment._public_timeline(),
                "format_moment": ShipmentPortal._format_moment,
                "format_slip": ShipmentPortal._format_slip,
            },
        )
