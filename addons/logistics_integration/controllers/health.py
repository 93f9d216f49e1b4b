import json

from odoo import http
from odoo.http import request


class LogisticsHealth(http.Controller):
    @http.route(
        "/logistics/v1/health", type="http", auth="none", methods=["GET"], save_session=False
    )
    def health(self):
        """Liveness of the logistics API: answers without credentials, reveals nothing."""
        body = {"status": "ok", "api": "logistics", "version": "v1"}
        return request.make_response(
            json.dumps(body), headers=[("Content-Type", "application/json")]
        )
