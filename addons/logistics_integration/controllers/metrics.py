import hmac

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..lib import apikey, prometheus


class LogisticsMetrics(http.Controller):
    @http.route(
        "/logistics/v1/metrics", type="http", auth="none", methods=["GET"], save_session=False
    )
    def metrics(self):
        """Prometheus text format; protected by the token in the system parameter
        ``logistics.metrics_token`` (no token configured: the endpoint is off)."""
        request.update_env(user=SUPERUSER_ID)
        expected = request.env["ir.config_parameter"].get_param("logistics.metrics_token")
        given = apikey.from_authorization(request.httprequest.headers.get("Authorization")) or ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return request.make_response(
                "unauthorized\n",
                status=401,
                headers=[("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")],
            )
        body = prometheus.render(request.env["logistics.integration.message"]._metric_families())
        return request.make_response(body, headers=[("Content-Type", "text/plain; version=0.0.4")])
