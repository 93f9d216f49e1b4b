from odoo.tests import tagged

from .common_api import ApiCase


@tagged("post_install", "-at_install")
class TestMetrics(ApiCase):
    def test_metrics_need_the_token(self):
        self.assertEqual(
            self.url_open("/logistics/v1/metrics").status_code, 401, "no token configured: off"
        )
        self.env["ir.config_parameter"].set_param("logistics.metrics_token", "scrape-me")
        wrong = self.url_open("/logistics/v1/metrics", headers={"Authorization": "Bearer nope"})
        self.assertEqual(wrong.status_code, 401)

    def test_metrics_report_the_integration(self):
        self.env["ir.config_parameter"].set_param("logistics.metrics_token", "scrape-me")
        self.post(self.event(ref="M1"))
        self.post(self.event(ref="M2", code="NOT_A_CODE"))
        self.post(self.event(ref="M3", code="DAMAGED"))
        self.run_jobs()
        self.post(self.event(ref="M4"))  # still queued
        response = self.url_open(
            "/logistics/v1/metrics", headers={"Authorization": "Bearer scrape-me"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        lines = response.text.splitlines()
        self.assertIn(
            'logistics_messages{backend="api_test",direction="inbound",state="done"} 2', lines
        )
        self.assertIn(
            'logistics_messages{backend="api_test",direction="inbound",state="failed"} 1', lines
        )
        self.assertIn('logistics_queue_depth{backend="api_test",direction="inbound"} 1', lines)
        self.assertTrue(
            any(
                line.startswith(
                    'logistics_processing_latency_ms{backend="api_test",quantile="0.95"}'
                )
                for line in lines
            )
        )
        self.assertIn('logistics_failure_ratio{backend="api_test"} 0.333333', lines)
        self.assertTrue(
            any(
                line.startswith('logistics_open_exceptions{severity="high",age="lt_1h"}')
                for line in lines
            ),
            "the damage exception is counted",
        )

    def test_kpi_views(self):
        self.post(self.event(ref="K1"))
        self.post(self.event(ref="K2", code="NOT_A_CODE"))
        self.run_jobs()
        self.env.flush_all()
        kpi = self.env["logistics.integration.kpi"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(
            (
                sum(kpi.mapped("message_count")),
                sum(kpi.mapped("done_count")),
                sum(kpi.mapped("failed_count")),
            ),
            (2, 1, 1),
        )
        [total] = kpi.read_group(
            [("backend_id", "=", self.backend.id)],
            ["failure_rate:avg", "latency_p95_ms:max"],
            [],
            lazy=False,
        )
        self.assertEqual(total["failure_rate"], 50.0)
        self.assertIsNotNone(total["latency_p95_ms"])
        ageing = self.env["logistics.exception.kpi"].search([])
        self.assertIn("lt_1h", ageing.mapped("age_bucket"))
