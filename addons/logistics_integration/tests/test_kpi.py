import statistics

import psycopg2

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

# (backend index, direction, state, latency ms) of the messages below
MESSAGES = [
    (0, "inbound", "done", 10),
    (0, "inbound", "done", 30),
    (0, "inbound", "failed", 5),
    (0, "outbound", "done", 200),
    (1, "inbound", "done", 20),
    (1, "inbound", "done", 40),
    (1, "inbound", "done", 60),
    (1, "inbound", "done", 80),
    (1, "inbound", "dead", 900),
    (1, "inbound", "rejected", 0),
    (1, "inbound", "queued", 0),
]


def percentile(values, fraction):
    """PostgreSQL's percentile_cont: linear interpolation between ranks."""
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


@tagged("post_install", "-at_install")
class TestIntegrationKpi(TransactionCase):
    """Pivot figures at every grouping level come from the messages of that
    group: rates are ratios of counts, percentiles of the latencies; nothing
    is an average of the rows below it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backends = cls.env["logistics.backend"].create(
            [{"name": "Busy", "code": "busy"}, {"name": "Quiet", "code": "quiet"}]
        )
        cls.env["logistics.integration.message"]._insert(
            [
                {
                    "backend_id": cls.backends[index].id,
                    "company_id": cls.env.company.id,
                    "direction": direction,
                    "idempotency_key": f"kpi-{n}",
                    "state": state,
                    "duration_ms": latency if state != "queued" else None,
                }
                for n, (index, direction, state, latency) in enumerate(MESSAGES)
            ]
        )
        cls.env["logistics.integration.kpi"].invalidate_model()

    def expected(self, rows):
        failed = [r for r in rows if r[2] in ("failed", "dead", "rejected")]
        done = [r[3] for r in rows if r[2] == "done"]
        return {
            "messages": len(rows),
            "failure_rate": round(100.0 * len(failed) / len(rows), 2),
            "p50": percentile(done, 0.5) if done else None,
            "p95": percentile(done, 0.95) if done else None,
        }

    def grouped(self, groupby):
        groups = self.env["logistics.integration.kpi"].read_group(
            [("backend_id", "in", self.backends.ids)],
            ["message_count:sum", "failure_rate:avg", "latency_p50_ms:max", "latency_p95_ms:max"],
            groupby,
            lazy=False,
        )
        return groups

    def assert_group(self, group, rows):
        expected = self.expected(rows)
        self.assertEqual(group["message_count"], expected["messages"])
        self.assertAlmostEqual(group["failure_rate"], expected["failure_rate"], places=2)
        for name, key in (("latency_p50_ms", "p50"), ("latency_p95_ms", "p95")):
            if expected[key] is None:
                self.assertFalse(group[name])
            else:
                self.assertAlmostEqual(group[name], expected[key], places=3)

    def test_total_is_the_ratio_of_totals(self):
        [total] = self.grouped([])
        self.assert_group(total, MESSAGES)
        # 3 of 11 failed: 27.27 %, not the 20.8 % an average of per-backend rates would show
        self.assertAlmostEqual(total["failure_rate"], 27.27, places=2)
        rates = [g["failure_rate"] for g in self.grouped(["backend_id"])]
        self.assertNotAlmostEqual(total["failure_rate"], statistics.mean(rates), places=1)

    def test_every_grouping_level(self):
        for groupby in (["backend_id"], ["direction"], ["backend_id", "direction"], ["day:day"]):
            for group in self.grouped(groupby):
                with self.subTest(groupby=groupby, group=group["__domain"]):
                    rows = [
                        row
                        for row in MESSAGES
                        if (
                            "backend_id" not in groupby
                            or self.backends[row[0]].id == group["backend_id"][0]
                        )
                        and ("direction" not in groupby or row[1] == group["direction"])
                    ]
                    self.assert_group(group, rows)

    def test_latencies_are_never_negative(self):
        self.assertFalse(
            self.env["logistics.integration.message"].search_count([("duration_ms", "<", 0)])
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env["logistics.integration.message"].browse(
                self.env["logistics.integration.message"].search([], limit=1).id
            ).write({"duration_ms": -500})
            self.env.flush_all()
