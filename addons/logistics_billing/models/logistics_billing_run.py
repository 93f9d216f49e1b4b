import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.logistics_integration.lib.transactions import commit
from odoo.addons.logistics_integration.models.logistics_inbox import job_waiting

_logger = logging.getLogger(__name__)

BATCH = 200
BUDGET = 120  # seconds of evaluating per job, then a new job takes over
IDENTITY = "logistics-billing-run"


class LogisticsBillingRun(models.AbstractModel):
    """Billing runs: shipments marked for a look are evaluated (rated,
    audited, held or released) and invoiced, in batches, in a job; a cron
    catches what a lost job would have missed and closes consolidation
    periods."""

    _name = "logistics.billing.run"
    _description = "Billing Run"

    @api.model
    def _schedule(self):
        description = "Evaluate and invoice shipments"
        if job_waiting(self.env, IDENTITY, description):
            return
        self.with_delay(
            channel="root.logistics.billing", identity_key=IDENTITY, description=description
        )._run()

    @api.model
    def _run(self, batch=BATCH, budget=BUDGET):
        """Job: evaluate the shipments marked for a look and invoice the ready
        ones, a batch per transaction. Returns how many were evaluated."""
        started, done = time.monotonic(), 0
        while time.monotonic() - started < budget:
            shipments = self._take(batch)
            if not shipments:
                return done
            self._evaluate_and_invoice(shipments)
            done += len(shipments)
            commit(self.env)
        self._schedule()
        return done

    @api.model
    def _take(self, batch):
        """Marked shipments no other run holds."""
        self.env["logistics.shipment"].flush_model(["billing_dirty"])
        self.env.cr.execute(
            """
            SELECT id FROM logistics_shipment
             WHERE billing_dirty
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [batch],
        )
        return self.env["logistics.shipment"].browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _evaluate_and_invoice(self, shipments):
        """The batch together; when it fails, one by one, so that one bad
        shipment holds back only itself. A concurrency error (another run
        took a billing key first) fails the job: queue_job retries it."""
        try:
            with self.env.cr.savepoint():
                shipments._evaluate_billing()
                shipments._invoice_ready()
            return
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:
            _logger.exception("billing run: batch failed, going one by one")
        for shipment in shipments:
            try:
                with self.env.cr.savepoint():
                    shipment._evaluate_billing()
                    shipment._invoice_ready()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:
                _logger.exception("billing run: shipment %s failed", shipment.id)
                shipment.write({"billing_dirty": False})
                shipment.message_post(
                    body=self.env._("Billing could not evaluate this shipment: %s", error)
                )

    @api.model
    def _cron_evaluate(self):
        """Safety net: late PODs become late by the clock alone, and a job lost
        in a crash leaves shipments marked."""
        grace = timedelta(hours=self.env.company.logistics_pod_grace_hours)
        due = self.env["logistics.shipment"].search(
            [
                ("billing_state", "=", "held"),
                ("billing_hold_reason", "=", "pod_missing"),
                ("actual_delivery", "<", fields.Datetime.now() - grace),
            ]
        )
        due._billing_touch()
        return self._run()

    @api.model
    def _cron_consolidate(self):
        """One invoice per customer for the shipments proven delivered in each
        closed consolidation period."""
        today = fields.Date.context_today(self)
        starts = {
            "daily": today,
            "weekly": today - timedelta(days=today.weekday()),
            "monthly": today.replace(day=1),
        }
        customers = self.env["res.partner"].search(
            [("logistics_invoice_policy", "=", "consolidated")]
        )
        moves = self.env["account.move"]
        for period, start in starts.items():
            members = customers.filtered(
                lambda p, period=period: p.logistics_invoice_period == period
            )
            if not members:
                continue
            shipments = self.env["logistics.shipment"].search(
                [
                    ("billing_state", "=", "billable"),
                    ("customer_id", "child_of", members.ids),
                    ("pod_date", "<", fields.Datetime.to_datetime(start)),
                ]
            )
            moves |= shipments._invoice_ready(consolidated=True)
        return moves
